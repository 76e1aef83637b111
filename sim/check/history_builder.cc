#include "sim/check/history_builder.h"

#include <algorithm>
#include <array>
#include <charconv>
#include <optional>
#include <type_traits>
#include <utility>
#include <variant>

#include "core/base/assert.h"
#include "core/protocol/internal_topics.h"

namespace ksim::check {
namespace {

// "orders-0" -> ("orders", 0). Topic names may contain '-': the partition is
// after the last one.
std::optional<std::pair<std::string_view, PartitionId>> parse_topic_partition(std::string_view s) {
  const size_t dash = s.rfind('-');
  if (dash == std::string_view::npos || dash == 0 || dash + 1 == s.size()) return std::nullopt;
  int32_t p = 0;
  const char* first = s.data() + dash + 1;
  const char* last = s.data() + s.size();
  auto [ptr, ec] = std::from_chars(first, last, p);
  if (ec != std::errc() || ptr != last || p < 0) return std::nullopt;
  return std::pair{s.substr(0, dash), PartitionId(p)};
}

std::optional<int32_t> broker_number_from_name(std::string_view name) {
  constexpr std::string_view kPrefix = "broker-";
  if (name.substr(0, kPrefix.size()) != kPrefix) return std::nullopt;
  int32_t id = 0;
  const char* first = name.data() + kPrefix.size();
  const char* last = name.data() + name.size();
  auto [ptr, ec] = std::from_chars(first, last, id);
  if (ec != std::errc() || ptr != last || first == last) return std::nullopt;
  return id;
}

}  // namespace

template <class... Args>
void HistoryBuilder::warn(const TraceEvent& e, Args&&... parts) {
  ++h_.warning_count;
  if (h_.warnings.size() >= History::kMaxWarnings) return;
  std::string text = "seq " + std::to_string(e.seq) + " (" + std::string(trace::kind_of(e.payload)) + "): ";
  ((text += parts), ...);
  h_.warnings.push_back(std::move(text));
}

void HistoryBuilder::sync_nodes(const TraceHeader& header) {
  for (size_t n = h_.node_names.size(); n < header.nodes.size(); ++n) {
    h_.node_names.push_back(header.nodes[n].name);
    const auto id = broker_number_from_name(header.nodes[n].name);
    h_.broker_of_node.push_back(id ? BrokerId(*id) : kNoBroker);
    role_evidence_.push_back(false);
  }
}

HistoryBuilder::TopicSlot* HistoryBuilder::find_topic(std::string_view topic) {
  if (last_topic_ < topics_.size() && topics_[last_topic_].name == topic) return &topics_[last_topic_];
  for (size_t t = 0; t < topics_.size(); ++t)
    if (topics_[t].name == topic) {
      last_topic_ = t;
      return &topics_[t];
    }
  return nullptr;
}

PartitionIndex HistoryBuilder::partition(std::string_view topic, PartitionId p) {
  if (p.value < 0) return kNoPartition;
  const TopicSlot* slot = find_topic(topic);
  if (slot == nullptr || static_cast<size_t>(p.value) >= slot->by_partition.size()) return kNoPartition;
  return slot->by_partition[static_cast<size_t>(p.value)];
}

PartitionIndex HistoryBuilder::note_partition_slow(std::string_view topic, PartitionId p) {
  if (p.value < 0) return kNoPartition;
  TopicSlot* slot = find_topic(topic);
  if (slot == nullptr) {
    last_topic_ = topics_.size();
    slot = &topics_.emplace_back();
    slot->name = std::string(topic);
    slot->internal = is_internal_topic(topic);
  }
  if (slot->internal) return kNoPartition;
  const auto at = static_cast<size_t>(p.value);
  if (at >= slot->by_partition.size()) slot->by_partition.resize(at + 1, kNoPartition);
  if (slot->by_partition[at] != kNoPartition) return slot->by_partition[at];
  const auto index = static_cast<PartitionIndex>(h_.partitions.size());
  slot->by_partition[at] = index;
  PartitionHistory ph;
  ph.name = PartitionName{slot->name, p};
  h_.partitions.push_back(std::move(ph));
  replicas_.emplace_back();
  return index;
}

GroupIndex HistoryBuilder::note_group(const std::string& name) {
  // h_.groups holds the names by provisional index until finish().
  if (last_group_ < h_.groups.size() && h_.groups[last_group_] == name) return last_group_;
  auto it = group_ids_.find(name);
  if (it != group_ids_.end()) return last_group_ = it->second;
  const auto index = static_cast<GroupIndex>(h_.groups.size());
  group_ids_.emplace(name, index);
  h_.groups.push_back(name);
  return last_group_ = index;
}

HistoryBuilder::ReplicaBuild& HistoryBuilder::replica(PartitionIndex p, NodeId node) {
  auto& list = replicas_[p];
  for (auto& r : list)
    if (r.replica.node == node) return r;
  ReplicaBuild r;
  r.replica.node = node;
  list.push_back(std::move(r));
  return list.back();
}

Send* HistoryBuilder::send_of(RecordId record) {
  const uint32_t s = h_.send_index_of(record);
  return s == History::kNoSend ? nullptr : &h_.sends[s];
}

void HistoryBuilder::index_send(RecordId record, uint32_t send) {
  // Dense while the id stays near the run's count of sends, so that a stray
  // id (say producer 1<<20 or send index 1<<39) costs a sorted insert, not a
  // huge table. Which ids go where depends only on the events: a streamed and
  // a stored build agree.
  constexpr uint32_t kMaxDenseProducer = 4096;
  const uint32_t producer = record_producer(record).value;
  const uint64_t index = record_send_index(record);
  if (producer < kMaxDenseProducer && index < 2 * uint64_t{send} + 1024) {
    if (producer >= h_.send_slots.size()) h_.send_slots.resize(producer + 1);
    auto& slots = h_.send_slots[producer];
    if (index >= slots.size()) slots.resize(std::max<size_t>(index + 1, 2 * slots.size()), History::kNoSend);
    slots[index] = send;
    return;
  }
  auto& overflow = h_.send_overflow;
  auto it = std::lower_bound(overflow.begin(), overflow.end(), record,
                             [](const auto& p, RecordId r) { return p.first < r; });
  overflow.insert(it, {record, send});
}

// Records entries that the HW now covers as committed on this replica.
void HistoryBuilder::observe_commits(PartitionIndex p, ReplicaBuild& r, const Stamp& at) {
  auto& log = r.replica.log;
  while (r.observed < log.size() && log[r.observed].offset < r.replica.hw) {
    h_.partitions[p].replica_commits.push_back(ReplicaCommit{log[r.observed], r.replica.node, at});
    ++r.observed;
  }
}

void HistoryBuilder::truncate(ReplicaBuild& r, Offset to) {
  auto& log = r.replica.log;
  auto it = std::lower_bound(log.begin(), log.end(), to, [](const LogEntry& e, Offset o) { return e.offset < o; });
  log.erase(it, log.end());
  r.observed = std::min(r.observed, log.size());
  if (r.replica.hw > to) r.replica.hw = to;  // UnifiedLog.truncateTo keeps HW <= LEO
}

namespace {

// Whether an event of kind T can change the history: it names a topic or a
// group, or it starts or stops a node. Most of a run's events are none of
// these (message deliveries, disk flushes, ...) and cost one table lookup.
template <class T>
constexpr bool kShapesHistory = requires(const T& x) { x.topic; } || requires(const T& x) { x.group; } ||
                                std::is_same_v<T, trace::NodeStarted> || std::is_same_v<T, trace::NodeCrashed>;

template <size_t... I>
constexpr std::array<bool, sizeof...(I)> shapes_history(std::index_sequence<I...>) {
  return {kShapesHistory<std::variant_alternative_t<I, trace::Payload>>...};
}

constexpr auto kShapesHistoryByIndex = shapes_history(std::make_index_sequence<std::variant_size_v<trace::Payload>>{});

}  // namespace

void HistoryBuilder::on_event(const TraceHeader& header, const TraceEvent& e) {
  KSIM_ASSERT_MSG(!finished_, "a HistoryBuilder takes no events after finish()");
  if (header.nodes.size() != h_.node_names.size()) sync_nodes(header);
  if (!kShapesHistoryByIndex[e.payload.index()]) return;
  std::visit([&](const auto& x) { apply(e, x, collect_names(e, x)); }, e.payload);
}

// Every partition and group name the event mentions, and which node is which
// broker. Names of internal topics and negative partitions are not collected;
// a group is, even when the event is about an internal topic.
template <class T>
HistoryBuilder::Noted HistoryBuilder::collect_names(const TraceEvent& e, const T& x) {
  Noted noted;
  if constexpr (std::is_same_v<T, trace::TopicCreated> || std::is_same_v<T, trace::PartitionsAdded>) {
    for (int32_t p = 0; p < x.partitions; ++p) note_partition(x.topic, PartitionId(p));
  } else if constexpr (std::is_same_v<T, trace::ReplicaRoleChanged>) {
    noted.partition = note_partition(x.topic, x.partition);
    if (x.role == "leader" && e.node.value < h_.broker_of_node.size() && x.leader != kNoBroker &&
        !role_evidence_[e.node.value]) {
      h_.broker_of_node[e.node.value] = x.leader;
      role_evidence_[e.node.value] = true;
    }
  } else if constexpr (std::is_same_v<T, trace::AssignmentChanged>) {
    noted.group = note_group(x.group);
    for (const auto* list : {&x.assigned, &x.revoked})
      for (const auto& s : *list)
        if (auto tp = parse_topic_partition(s)) note_partition(tp->first, tp->second);
  } else if constexpr (requires { x.topic; x.partition; }) {
    noted.partition = note_partition(x.topic, x.partition);
    if constexpr (requires { x.group; }) noted.group = note_group(x.group);
  }
  return noted;
}

// `noted`: the partition and group indices collect_names found for the event
// (kNoPartition for a negative partition or an internal topic).
template <class T>
void HistoryBuilder::apply(const TraceEvent& e, const T& x, const Noted& noted) {
  const Stamp at{e.time, e.seq};
  if constexpr (requires { x.topic; }) {
    // Internal topics hold the brokers' own records (the coordinator's
    // commits), not client records: the client-history checkers skip them.
    if (is_internal_topic(x.topic)) return;
  }
  if constexpr (std::is_same_v<T, trace::ProducerSend>) {
    if (h_.send_index_of(x.record) != History::kNoSend) {
      warn(e, "record ", h_.record_name(x.record), " sent twice; the first send is kept");
      return;
    }
    Send s;
    s.record = x.record;
    s.producer = e.node;
    s.session = x.session;
    s.partition = noted.partition;
    s.key = x.key;
    s.has_key = x.has_key;
    s.sent = at;
    index_send(x.record, static_cast<uint32_t>(h_.sends.size()));
    h_.sends.push_back(std::move(s));
  } else if constexpr (std::is_same_v<T, trace::ProducerAcked> || std::is_same_v<T, trace::ProducerFailed>) {
    Send* s = send_of(x.record);
    if (!s) {
      warn(e, "completion of ", h_.record_name(x.record), ", which was never sent");
      return;
    }
    if (s->outcome != SendOutcome::unknown) {
      warn(e, "second completion of ", h_.record_name(x.record), "; the first is kept");
      return;
    }
    if (s->partition == kNoPartition) s->partition = noted.partition;
    s->completed = at;
    if constexpr (std::is_same_v<T, trace::ProducerAcked>) {
      s->outcome = SendOutcome::acked;
      s->acked_offset = x.offset;
    } else {
      s->outcome = SendOutcome::failed;
      s->error = x.error;
    }
  } else if constexpr (std::is_same_v<T, trace::LogAppended>) {
    const PartitionIndex p = noted.partition;
    if (p == kNoPartition) return warn(e, "append to a negative partition");
    auto& r = replica(p, e.node);
    if (r.replica.log_end() > x.base_offset) {
      warn(e, h_.node_name(e.node), " appended at ", std::to_string(x.base_offset.value), " below its log end ",
           std::to_string(r.replica.log_end().value), "; overlapped entries dropped");
      truncate(r, x.base_offset);
    }
    for (size_t i = 0; i < x.records.size(); ++i)
      r.replica.log.push_back(LogEntry{x.base_offset + static_cast<int64_t>(i), x.records[i]});
    observe_commits(p, r, at);
    h_.appends.push_back(Append{p, e.node, x.base_offset, h_.append_records.size(), x.records.size(), at});
    h_.append_records.insert(h_.append_records.end(), x.records.begin(), x.records.end());
  } else if constexpr (std::is_same_v<T, trace::LogTruncated>) {
    const PartitionIndex p = noted.partition;
    if (p == kNoPartition) return warn(e, "truncation of a negative partition");
    truncate(replica(p, e.node), x.to_offset);
  } else if constexpr (std::is_same_v<T, trace::LogRecovered>) {
    // A restart: the log ends at the recovered LEO, the HW is the checkpoint's.
    const PartitionIndex p = noted.partition;
    if (p == kNoPartition) return warn(e, "recovery of a negative partition");
    auto& r = replica(p, e.node);
    truncate(r, x.leo);
    r.replica.hw = x.hw;
    observe_commits(p, r, at);
  } else if constexpr (std::is_same_v<T, trace::FetchServed>) {
    const PartitionIndex p = noted.partition;
    if (p == kNoPartition) return warn(e, "fetch answer of a negative partition");
    Offset broker_hw{0};  // a broker that never traced a HW for it has none
    for (const auto& r : replicas_[p])
      if (r.replica.node == e.node) broker_hw = r.replica.hw;
    h_.served.push_back(ServedFetch{e.node, x.to, p, x.first_offset, x.records, x.high_watermark, broker_hw, at});
  } else if constexpr (std::is_same_v<T, trace::HighWatermarkChanged>) {
    const PartitionIndex p = noted.partition;
    if (p == kNoPartition) return warn(e, "HW of a negative partition");
    auto& r = replica(p, e.node);
    r.replica.hw = x.hw;
    observe_commits(p, r, at);
  } else if constexpr (std::is_same_v<T, trace::ReplicaRoleChanged>) {
    const PartitionIndex p = noted.partition;
    if (p == kNoPartition) return warn(e, "role change of a negative partition");
    auto& r = replica(p, e.node);
    r.replica.role = x.role;
    r.replica.role_leader_epoch = x.leader_epoch;
  } else if constexpr (std::is_same_v<T, trace::PartitionChanged>) {
    const PartitionIndex p = noted.partition;
    if (p == kNoPartition) return warn(e, "state of a negative partition");
    auto& ph = h_.partitions[p];
    ph.has_controller_state = true;
    ph.leader = x.leader;
    ph.leader_epoch = x.leader_epoch;
    ph.isr.clear();
    for (int32_t b : x.isr) ph.isr.push_back(BrokerId(b));
    ph.assigned.clear();
    for (int32_t b : x.replicas) ph.assigned.push_back(BrokerId(b));
  } else if constexpr (std::is_same_v<T, trace::ConsumerPolled>) {
    Poll poll;
    poll.consumer = e.node;
    poll.group = noted.group;
    poll.generation = x.generation;
    poll.partition = noted.partition;
    if (poll.partition == kNoPartition) return warn(e, "poll of a negative partition");
    if (x.offsets.size() != x.records.size())
      warn(e, std::to_string(x.offsets.size()), " offsets but ", std::to_string(x.records.size()),
           " records; the extra ones are dropped");
    const size_t n = std::min(x.offsets.size(), x.records.size());
    poll.records.reserve(n);
    for (size_t i = 0; i < n; ++i) poll.records.push_back(LogEntry{x.offsets[i], x.records[i]});
    poll.at = at;
    h_.polls.push_back(std::move(poll));
  } else if constexpr (std::is_same_v<T, trace::RecordProcessed>) {
    const PartitionIndex p = noted.partition;
    if (p == kNoPartition) return warn(e, "processed record of a negative partition");
    h_.processed.push_back(Processed{e.node, noted.group, p, LogEntry{x.offset, x.record}, at});
  } else if constexpr (std::is_same_v<T, trace::OffsetCommitted>) {
    const PartitionIndex p = noted.partition;
    if (p == kNoPartition) return warn(e, "commit for a negative partition");
    h_.commits.push_back(Commit{e.node, noted.group, x.generation, p, x.offset, x.error, at});
  } else if constexpr (std::is_same_v<T, trace::AssignmentChanged>) {
    AssignmentChange a;
    a.consumer = e.node;
    a.group = noted.group;
    a.generation = x.generation;
    a.at = at;
    auto parse_list = [&](const std::vector<std::string>& in, std::vector<PartitionIndex>& out) {
      for (const auto& s : in) {
        auto tp = parse_topic_partition(s);
        if (!tp) {
          warn(e, "unreadable partition \"", s, "\" (expected topic-partition)");
          continue;
        }
        // Only an internal topic's partition has no index: never judged.
        if (const PartitionIndex p = partition(tp->first, tp->second); p != kNoPartition) out.push_back(p);
      }
    };
    parse_list(x.assigned, a.assigned);
    parse_list(x.revoked, a.revoked);
    h_.assignments.push_back(std::move(a));
  } else if constexpr (std::is_same_v<T, trace::NodeStarted>) {
    if (x.incarnation > 1) h_.lifecycle.push_back(Lifecycle{e.node, true, at});
  } else if constexpr (std::is_same_v<T, trace::NodeCrashed>) {
    h_.lifecycle.push_back(Lifecycle{e.node, false, at});
  }
}

// Renumbers partitions and groups from first-appearance order to sorted name
// order, everywhere the history holds an index.
void HistoryBuilder::sort_indices() {
  std::vector<PartitionIndex> new_partition(h_.partitions.size());
  {
    std::vector<PartitionIndex> by_name(h_.partitions.size());
    for (PartitionIndex i = 0; i < by_name.size(); ++i) by_name[i] = i;
    std::sort(by_name.begin(), by_name.end(),
              [&](PartitionIndex a, PartitionIndex b) { return h_.partitions[a].name < h_.partitions[b].name; });
    for (PartitionIndex next = 0; next < by_name.size(); ++next) new_partition[by_name[next]] = next;
    std::vector<PartitionHistory> partitions(h_.partitions.size());
    std::vector<std::vector<ReplicaBuild>> replicas(replicas_.size());
    for (PartitionIndex old = 0; old < h_.partitions.size(); ++old) {
      partitions[new_partition[old]] = std::move(h_.partitions[old]);
      replicas[new_partition[old]] = std::move(replicas_[old]);
    }
    h_.partitions = std::move(partitions);
    replicas_ = std::move(replicas);
  }
  std::vector<GroupIndex> new_group(h_.groups.size());
  {
    GroupIndex next = 0;
    h_.groups.clear();
    for (const auto& [name, old] : group_ids_) {
      new_group[old] = next++;
      h_.groups.push_back(name);
    }
  }
  auto p = [&](PartitionIndex& index) {
    if (index != kNoPartition) index = new_partition[index];
  };
  for (auto& s : h_.sends) p(s.partition);
  for (auto& a : h_.appends) p(a.partition);
  for (auto& x : h_.polls) {
    p(x.partition);
    x.group = new_group[x.group];
  }
  for (auto& x : h_.processed) {
    p(x.partition);
    x.group = new_group[x.group];
  }
  for (auto& x : h_.commits) {
    p(x.partition);
    x.group = new_group[x.group];
  }
  for (auto& x : h_.served) p(x.partition);
  for (auto& x : h_.assignments) {
    x.group = new_group[x.group];
    for (auto& i : x.assigned) p(i);
    for (auto& i : x.revoked) p(i);
  }
  topics_.clear();
  group_ids_.clear();
}

BrokerId HistoryBuilder::broker_of(NodeId node) const {
  return node.value < h_.broker_of_node.size() ? h_.broker_of_node[node.value] : kNoBroker;
}

void HistoryBuilder::finish_partitions() {
  for (PartitionIndex p = 0; p < h_.partitions.size(); ++p) {
    auto& ph = h_.partitions[p];
    // A leader that never appended still has a (empty) replica.
    if (ph.has_controller_state && ph.leader != kNoBroker) {
      for (size_t n = 0; n < h_.broker_of_node.size(); ++n)
        if (h_.broker_of_node[n] == ph.leader) {
          replica(p, NodeId(static_cast<uint32_t>(n)));
          break;
        }
    }
    for (auto& r : replicas_[p]) {
      r.replica.broker = broker_of(r.replica.node);
      if (r.replica.hw > r.replica.log_end()) r.replica.hw = r.replica.log_end();
      ph.replicas.push_back(std::move(r.replica));
    }
    std::sort(ph.replicas.begin(), ph.replicas.end(), [](const Replica& a, const Replica& b) {
      return std::pair{a.broker, a.node} < std::pair{b.broker, b.node};
    });
    choose_committed_replica(ph);
  }
}

void HistoryBuilder::choose_committed_replica(PartitionHistory& ph) {
  // a. the final leader
  BrokerId leader = kNoBroker;
  if (ph.has_controller_state) {
    leader = ph.leader;
  } else {
    LeaderEpoch best{-1};
    for (const auto& r : ph.replicas)
      if (r.role == "leader" && (leader == kNoBroker || r.role_leader_epoch > best)) {
        leader = r.broker;
        best = r.role_leader_epoch;
      }
  }
  ph.final_leader = leader;
  // b. its replica
  if (leader != kNoBroker) {
    for (size_t i = 0; i < ph.replicas.size(); ++i)
      if (ph.replicas[i].broker == leader) {
        ph.committed_replica = static_cast<int32_t>(i);
        return;
      }
    return;  // a leader whose node the trace never named: nothing to judge against
  }
  // c. no leader: the most favourable ISR member
  auto in_isr = [&](const Replica& r) { return std::find(ph.isr.begin(), ph.isr.end(), r.broker) != ph.isr.end(); };
  const bool any_isr = std::any_of(ph.replicas.begin(), ph.replicas.end(), in_isr);
  int32_t best = -1;
  for (size_t i = 0; i < ph.replicas.size(); ++i) {
    const auto& r = ph.replicas[i];
    if (any_isr && !in_isr(r)) continue;
    if (best < 0) {
      best = static_cast<int32_t>(i);
      continue;
    }
    const auto& b = ph.replicas[static_cast<size_t>(best)];
    // replicas are sorted by broker id, so on a full tie the lower id stays
    if (r.hw > b.hw || (r.hw == b.hw && r.log_end() > b.log_end())) best = static_cast<int32_t>(i);
  }
  ph.committed_replica = best;
}

History HistoryBuilder::finish(const TraceHeader& header) && {
  KSIM_ASSERT_MSG(!finished_, "HistoryBuilder::finish runs once");
  finished_ = true;
  sync_nodes(header);
  sort_indices();
  finish_partitions();
  return std::move(h_);
}

}  // namespace ksim::check
