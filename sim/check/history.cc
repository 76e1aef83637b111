#include "sim/check/history.h"

#include <algorithm>
#include <charconv>
#include <cstdio>
#include <map>
#include <set>
#include <type_traits>
#include <variant>

#include "core/base/assert.h"
#include "core/protocol/internal_topics.h"

namespace ksim::check {

std::string PartitionName::str() const { return topic + "-" + std::to_string(partition.value); }

std::string format_ms(SimTime time) {
  char buf[40];
  std::snprintf(buf, sizeof buf, "%.3f ms", static_cast<double>(time.us) / 1000.0);
  return buf;
}

std::span<const LogEntry> Replica::below_hw() const {
  auto end = std::lower_bound(log.begin(), log.end(), hw,
                              [](const LogEntry& e, Offset o) { return e.offset < o; });
  return {log.data(), static_cast<size_t>(end - log.begin())};
}

bool Replica::holds(RecordId record) const {
  return std::any_of(log.begin(), log.end(), [&](const LogEntry& e) { return e.record == record; });
}

std::span<const LogEntry> PartitionHistory::committed_log() const {
  if (committed_replica < 0) return {};
  return replicas[static_cast<size_t>(committed_replica)].below_hw();
}

const Replica* PartitionHistory::find_replica(BrokerId broker) const {
  for (const auto& r : replicas)
    if (r.broker == broker) return &r;
  return nullptr;
}

const Send* History::find_send(RecordId record) const {
  auto it = std::lower_bound(send_by_record.begin(), send_by_record.end(), record,
                             [](const auto& p, RecordId r) { return p.first < r; });
  if (it == send_by_record.end() || it->first != record) return nullptr;
  return &sends[it->second];
}

std::optional<PartitionIndex> History::find_partition(std::string_view topic, PartitionId partition) const {
  auto it = std::lower_bound(partitions.begin(), partitions.end(), std::pair{topic, partition},
                             [](const PartitionHistory& p, const std::pair<std::string_view, PartitionId>& k) {
                               return std::pair<std::string_view, PartitionId>{p.name.topic, p.name.partition} < k;
                             });
  if (it == partitions.end() || it->name.topic != topic || it->name.partition != partition) return std::nullopt;
  return static_cast<PartitionIndex>(it - partitions.begin());
}

std::optional<GroupIndex> History::find_group(std::string_view group) const {
  auto it = std::lower_bound(groups.begin(), groups.end(), group);
  if (it == groups.end() || *it != group) return std::nullopt;
  return static_cast<GroupIndex>(it - groups.begin());
}

std::string_view History::node_name(NodeId node) const {
  return node.value < node_names.size() ? std::string_view(node_names[node.value]) : std::string_view("?");
}

std::string History::record_name(RecordId record) const {
  const NodeId producer = record_producer(record);
  std::string name = producer.value < node_names.size() ? node_names[producer.value]
                                                        : "node" + std::to_string(producer.value);
  return name + "#" + std::to_string(record_send_index(record));
}

std::string History::partition_name(PartitionIndex partition) const {
  return partition < partitions.size() ? partitions[partition].name.str() : "?";
}

std::string History::broker_name(BrokerId broker) const {
  for (size_t n = 0; n < broker_of_node.size(); ++n)
    if (broker_of_node[n] == broker) return node_names[n];
  return "broker " + std::to_string(broker.value);
}

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

// A replica while the history is being built: the final Replica plus how far
// its entries have been observed as committed.
struct ReplicaBuild {
  Replica replica;
  size_t observed = 0;  // entries [0, observed) were recorded as replica commits
};

class Builder {
 public:
  Builder(const TraceHeader& header, const std::vector<TraceEvent>& events) : header_(header), events_(events) {}

  History build() {
    collect_names();
    for (const auto& e : events_) apply(e);
    finish();
    return std::move(h_);
  }

 private:
  using PartitionKey = std::pair<std::string, PartitionId>;

  template <class... Args>
  void warn(const TraceEvent& e, Args&&... parts) {
    ++h_.warning_count;
    if (h_.warnings.size() >= History::kMaxWarnings) return;
    std::string text = "seq " + std::to_string(e.seq) + " (" + std::string(trace::kind_of(e.payload)) + "): ";
    ((text += parts), ...);
    h_.warnings.push_back(std::move(text));
  }

  // Pass 1: every partition and group name, and which node is which broker, so
  // that indices are dense and in sorted name order before pass 2 uses them.
  void collect_names() {
    h_.node_names.reserve(header_.nodes.size());
    for (const auto& n : header_.nodes) h_.node_names.push_back(n.name);
    h_.broker_of_node.assign(header_.nodes.size(), kNoBroker);
    for (size_t n = 0; n < header_.nodes.size(); ++n)
      if (auto id = broker_number_from_name(header_.nodes[n].name)) h_.broker_of_node[n] = BrokerId(*id);

    std::set<PartitionKey> partitions;
    std::set<std::string> groups;
    std::vector<bool> role_evidence(header_.nodes.size(), false);
    auto add = [&](const std::string& topic, PartitionId p) {
      if (p.value >= 0 && !is_internal_topic(topic)) partitions.emplace(topic, p);
    };
    for (const auto& e : events_) {
      std::visit(
          [&](const auto& x) {
            using T = std::decay_t<decltype(x)>;
            if constexpr (std::is_same_v<T, trace::TopicCreated> || std::is_same_v<T, trace::PartitionsAdded>) {
              for (int32_t p = 0; p < x.partitions; ++p) add(x.topic, PartitionId(p));
            } else if constexpr (std::is_same_v<T, trace::ReplicaRoleChanged>) {
              add(x.topic, x.partition);
              if (x.role == "leader" && e.node.value < h_.broker_of_node.size() && x.leader != kNoBroker &&
                  !role_evidence[e.node.value]) {
                h_.broker_of_node[e.node.value] = x.leader;
                role_evidence[e.node.value] = true;
              }
            } else if constexpr (std::is_same_v<T, trace::AssignmentChanged>) {
              groups.insert(x.group);
              for (const auto* list : {&x.assigned, &x.revoked})
                for (const auto& s : *list)
                  if (auto tp = parse_topic_partition(s)) add(std::string(tp->first), tp->second);
            } else if constexpr (requires { x.topic; x.partition; }) {
              add(x.topic, x.partition);
              if constexpr (requires { x.group; }) groups.insert(x.group);
            }
          },
          e.payload);
    }
    h_.partitions.reserve(partitions.size());
    for (const auto& [topic, p] : partitions) {
      PartitionHistory ph;
      ph.name = PartitionName{topic, p};
      h_.partitions.push_back(std::move(ph));
    }
    h_.groups.assign(groups.begin(), groups.end());
    replicas_.resize(h_.partitions.size());
  }

  PartitionIndex partition(const std::string& topic, PartitionId p) const {
    if (p.value < 0) return kNoPartition;
    auto idx = h_.find_partition(topic, p);
    return idx ? *idx : kNoPartition;
  }

  GroupIndex group(const std::string& name) const {
    auto idx = h_.find_group(name);
    KSIM_ASSERT(idx.has_value());  // pass 1 collected every group name
    return *idx;
  }

  ReplicaBuild& replica(PartitionIndex p, NodeId node) {
    auto& list = replicas_[p];
    for (auto& r : list)
      if (r.replica.node == node) return r;
    ReplicaBuild r;
    r.replica.node = node;
    list.push_back(std::move(r));
    return list.back();
  }

  Send* send_of(RecordId record) {
    auto it = send_index_.find(record);
    return it == send_index_.end() ? nullptr : &h_.sends[it->second];
  }

  // Records entries that the HW now covers as committed on this replica.
  void observe_commits(PartitionIndex p, ReplicaBuild& r, const Stamp& at) {
    auto& log = r.replica.log;
    while (r.observed < log.size() && log[r.observed].offset < r.replica.hw) {
      h_.partitions[p].replica_commits.push_back(ReplicaCommit{log[r.observed], r.replica.node, at});
      ++r.observed;
    }
  }

  void truncate(ReplicaBuild& r, Offset to) {
    auto& log = r.replica.log;
    auto it = std::lower_bound(log.begin(), log.end(), to, [](const LogEntry& e, Offset o) { return e.offset < o; });
    log.erase(it, log.end());
    r.observed = std::min(r.observed, log.size());
    if (r.replica.hw > to) r.replica.hw = to;  // UnifiedLog.truncateTo keeps HW <= LEO
  }

  void apply(const TraceEvent& e) {
    const Stamp at{e.time, e.seq};
    std::visit(
        [&](const auto& x) {
          using T = std::decay_t<decltype(x)>;
          if constexpr (requires { x.topic; }) {
            // Internal topics hold the brokers' own records (the coordinator's
            // commits), not client records: the client-history checkers skip them.
            if (is_internal_topic(x.topic)) return;
          }
          if constexpr (std::is_same_v<T, trace::ProducerSend>) {
            if (send_index_.count(x.record)) {
              warn(e, "record ", h_.record_name(x.record), " sent twice; the first send is kept");
              return;
            }
            Send s;
            s.record = x.record;
            s.producer = e.node;
            s.session = x.session;
            s.partition = partition(x.topic, x.partition);
            s.key = x.key;
            s.has_key = x.has_key;
            s.sent = at;
            send_index_.emplace(x.record, static_cast<uint32_t>(h_.sends.size()));
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
            if (s->partition == kNoPartition) s->partition = partition(x.topic, x.partition);
            s->completed = at;
            if constexpr (std::is_same_v<T, trace::ProducerAcked>) {
              s->outcome = SendOutcome::acked;
              s->acked_offset = x.offset;
            } else {
              s->outcome = SendOutcome::failed;
              s->error = x.error;
            }
          } else if constexpr (std::is_same_v<T, trace::LogAppended>) {
            const PartitionIndex p = partition(x.topic, x.partition);
            if (p == kNoPartition) return warn(e, "append to a negative partition");
            auto& r = replica(p, e.node);
            if (r.replica.log_end() > x.base_offset) {
              warn(e, h_.node_name(e.node), " appended at ", std::to_string(x.base_offset.value),
                   " below its log end ", std::to_string(r.replica.log_end().value), "; overlapped entries dropped");
              truncate(r, x.base_offset);
            }
            for (size_t i = 0; i < x.records.size(); ++i)
              r.replica.log.push_back(LogEntry{x.base_offset + static_cast<int64_t>(i), x.records[i]});
            observe_commits(p, r, at);
            h_.appends.push_back(Append{p, e.node, x.base_offset, x.records, at});
          } else if constexpr (std::is_same_v<T, trace::LogTruncated>) {
            const PartitionIndex p = partition(x.topic, x.partition);
            if (p == kNoPartition) return warn(e, "truncation of a negative partition");
            truncate(replica(p, e.node), x.to_offset);
          } else if constexpr (std::is_same_v<T, trace::HighWatermarkChanged>) {
            const PartitionIndex p = partition(x.topic, x.partition);
            if (p == kNoPartition) return warn(e, "HW of a negative partition");
            auto& r = replica(p, e.node);
            r.replica.hw = x.hw;
            observe_commits(p, r, at);
          } else if constexpr (std::is_same_v<T, trace::ReplicaRoleChanged>) {
            const PartitionIndex p = partition(x.topic, x.partition);
            if (p == kNoPartition) return warn(e, "role change of a negative partition");
            auto& r = replica(p, e.node);
            r.replica.role = x.role;
            r.replica.role_leader_epoch = x.leader_epoch;
          } else if constexpr (std::is_same_v<T, trace::PartitionChanged>) {
            const PartitionIndex p = partition(x.topic, x.partition);
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
            poll.group = group(x.group);
            poll.generation = x.generation;
            poll.partition = partition(x.topic, x.partition);
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
            const PartitionIndex p = partition(x.topic, x.partition);
            if (p == kNoPartition) return warn(e, "processed record of a negative partition");
            h_.processed.push_back(Processed{e.node, group(x.group), p, LogEntry{x.offset, x.record}, at});
          } else if constexpr (std::is_same_v<T, trace::OffsetCommitted>) {
            const PartitionIndex p = partition(x.topic, x.partition);
            if (p == kNoPartition) return warn(e, "commit for a negative partition");
            h_.commits.push_back(Commit{e.node, group(x.group), x.generation, p, x.offset, x.error, at});
          } else if constexpr (std::is_same_v<T, trace::AssignmentChanged>) {
            AssignmentChange a;
            a.consumer = e.node;
            a.group = group(x.group);
            a.generation = x.generation;
            a.at = at;
            auto parse_list = [&](const std::vector<std::string>& in, std::vector<PartitionIndex>& out) {
              for (const auto& s : in) {
                auto tp = parse_topic_partition(s);
                if (!tp) {
                  warn(e, "unreadable partition \"", s, "\" (expected topic-partition)");
                  continue;
                }
                out.push_back(*h_.find_partition(tp->first, tp->second));
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
        },
        e.payload);
  }

  BrokerId broker_of(NodeId node) const {
    return node.value < h_.broker_of_node.size() ? h_.broker_of_node[node.value] : kNoBroker;
  }

  void finish() {
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
    h_.send_by_record.assign(send_index_.begin(), send_index_.end());
  }

  static void choose_committed_replica(PartitionHistory& ph) {
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
    auto in_isr = [&](const Replica& r) {
      return std::find(ph.isr.begin(), ph.isr.end(), r.broker) != ph.isr.end();
    };
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

  const TraceHeader& header_;
  const std::vector<TraceEvent>& events_;
  History h_;
  std::vector<std::vector<ReplicaBuild>> replicas_;  // per partition, in order of first appearance
  std::map<RecordId, uint32_t> send_index_;
};

}  // namespace

History build_history(const TraceHeader& header, const std::vector<TraceEvent>& events) {
  return Builder(header, events).build();
}

bool history_uses_event(const trace::Payload& payload) {
  return std::visit(
      [](const auto& x) {
        using T = std::decay_t<decltype(x)>;
        if constexpr (requires { x.topic; x.partition; }) return true;
        return std::is_same_v<T, trace::TopicCreated> || std::is_same_v<T, trace::PartitionsAdded> ||
               std::is_same_v<T, trace::ReplicaRoleChanged> ||
               std::is_same_v<T, trace::AssignmentChanged> || std::is_same_v<T, trace::ProducerSend> ||
               std::is_same_v<T, trace::ProducerAcked> || std::is_same_v<T, trace::ProducerFailed> ||
               std::is_same_v<T, trace::LogAppended> || std::is_same_v<T, trace::LogTruncated> ||
               std::is_same_v<T, trace::HighWatermarkChanged> || std::is_same_v<T, trace::PartitionChanged> ||
               std::is_same_v<T, trace::ConsumerPolled> || std::is_same_v<T, trace::RecordProcessed> ||
               std::is_same_v<T, trace::OffsetCommitted> || std::is_same_v<T, trace::NodeStarted> ||
               std::is_same_v<T, trace::NodeCrashed>;
      },
      payload);
}

}  // namespace ksim::check
