#include "tests/consumer/fake_kafka.h"

#include <algorithm>

#include "core/base/assert.h"

namespace ksim::test {

void FakeKafka::append(const TopicPartition& tp, int n) {
  auto& log = logs_[tp];
  for (int i = 0; i < n; ++i) log.push_back(make_record_id(NodeId(4000), next_record_++));
  std::vector<ParkedFetch> parked;
  parked.swap(parked_);
  for (auto& p : parked) {
    env_.cancel_timer(p.timer);
    handle_fetch(p.from, p.req, /*parked=*/false);
  }
}

FetchResponse FakeKafka::read(const FetchRequest& r, int64_t& records) {
  FetchResponse resp;
  resp.correlation_id = r.correlation_id;
  for (const auto& p : r.partitions) {
    FetchPartitionResponse pr;
    pr.tp = p.tp;
    const auto& log = logs_[p.tp];
    const int64_t end = static_cast<int64_t>(log.size());
    pr.high_watermark = Offset(end);
    pr.log_start_offset = Offset(0);
    if (p.fetch_offset.value > end || p.fetch_offset.value < 0) {
      pr.error = Errc::offset_out_of_range;
    } else if (p.fetch_offset.value < end) {
      RecordBatch b;
      b.base_offset = p.fetch_offset;
      b.partition_leader_epoch = LeaderEpoch(0);
      for (int64_t o = p.fetch_offset.value; o < end && o < p.fetch_offset.value + 100; ++o)
        b.records.push_back(Record{log[static_cast<size_t>(o)], "", false, 10, 0});
      records += b.count();
      pr.batches.push_back(std::move(b));
    }
    resp.partitions.push_back(std::move(pr));
  }
  return resp;
}

void FakeKafka::handle_fetch(NodeId from, const FetchRequest& r, bool parked) {
  int64_t records = 0;
  FetchResponse resp = read(r, records);
  if (records > 0 || parked || r.max_wait_ms <= 0) {
    env_.send(from, std::move(resp));
    return;
  }
  parked_.push_back(ParkedFetch{from, r, env_.set_timer(millis(r.max_wait_ms), kFetchWait)});
}

void FakeKafka::on_message(NodeId from, ConnectionId, const Message& msg) {
  std::visit(
      [&](const auto& r) {
        using T = std::decay_t<decltype(r)>;
        if constexpr (std::is_same_v<T, MetadataRequest>) {
          MetadataResponse resp;
          resp.correlation_id = r.correlation_id;
          resp.brokers.push_back(MetadataBroker{BrokerId(1), env_.self(), ""});
          for (const auto& [name, n] : o_.topics) {
            MetadataTopic t;
            t.name = name;
            for (int32_t p = 0; p < n; ++p) t.partitions.push_back(MetadataPartition{PartitionId(p), Errc::none, BrokerId(1), LeaderEpoch(0), {1}, {1}});
            resp.topics.push_back(t);
          }
          env_.send(from, resp);
        } else if constexpr (std::is_same_v<T, ListOffsetsRequest>) {
          ListOffsetsResponse resp;
          resp.correlation_id = r.correlation_id;
          for (const auto& p : r.partitions) {
            const int64_t end = static_cast<int64_t>(logs_[p.tp].size());
            resp.partitions.push_back({p.tp, Errc::none, Offset(p.timestamp == kEarliestTimestamp ? 0 : end), LeaderEpoch(0)});
          }
          env_.send(from, resp);
        } else if constexpr (std::is_same_v<T, FetchRequest>) {
          handle_fetch(from, r, false);
        } else if constexpr (std::is_same_v<T, FindCoordinatorRequest>) {
          FindCoordinatorResponse resp;
          resp.correlation_id = r.correlation_id;
          resp.coordinator = BrokerId(1);
          resp.node = env_.self();
          env_.send(from, resp);
        } else if constexpr (std::is_same_v<T, JoinGroupRequest>) {
          join(from, r);
        } else if constexpr (std::is_same_v<T, SyncGroupRequest>) {
          sync(from, r);
        } else if constexpr (std::is_same_v<T, HeartbeatRequest>) {
          HeartbeatResponse resp;
          resp.correlation_id = r.correlation_id;
          auto it = members_.find(r.member_id);
          if (it == members_.end()) resp.error = Errc::unknown_member_id;
          else if (r.generation_id != generation_) resp.error = Errc::illegal_generation;
          else if (state_ == "PreparingRebalance") resp.error = Errc::rebalance_in_progress;
          if (it != members_.end()) it->second.last_heard = env_.now();
          env_.send(from, resp);
        } else if constexpr (std::is_same_v<T, LeaveGroupRequest>) {
          LeaveGroupResponse resp;
          resp.correlation_id = r.correlation_id;
          for (const auto& m : r.members) {
            const bool known = members_.count(m.member_id) != 0;
            resp.members.push_back({m.member_id, m.group_instance_id, known ? Errc::none : Errc::unknown_member_id});
            if (known) {
              remove_member(m.member_id);
              prepare_rebalance();
            }
          }
          env_.send(from, resp);
        } else if constexpr (std::is_same_v<T, OffsetCommitRequest>) {
          OffsetCommitResponse resp;
          resp.correlation_id = r.correlation_id;
          Errc e = Errc::none;
          if (!(r.generation_id.value < 0 && r.member_id.empty())) {
            if (!members_.count(r.member_id)) e = Errc::unknown_member_id;
            else if (r.generation_id != generation_) e = Errc::illegal_generation;
            else if (state_ == "CompletingRebalance") e = Errc::rebalance_in_progress;
          }
          for (const auto& p : r.partitions) {
            if (e == Errc::none) committed_[p.tp] = p.committed_offset;
            resp.partitions.push_back({p.tp, e});
          }
          env_.send(from, resp);
        } else if constexpr (std::is_same_v<T, OffsetFetchRequest>) {
          OffsetFetchResponse resp;
          resp.correlation_id = r.correlation_id;
          for (const auto& tp : r.partitions) {
            OffsetFetchPartitionResponse p;
            p.tp = tp;
            if (auto it = committed_.find(tp); it != committed_.end()) p.committed_offset = it->second;
            resp.partitions.push_back(p);
          }
          env_.send(from, resp);
        }
      },
      msg);
}

void FakeKafka::join(NodeId from, const JoinGroupRequest& r) {
  if (r.member_id.empty()) {
    const std::string id = "member-" + std::to_string(next_member_++);
    known_ids_.insert(id);
    JoinGroupResponse resp;
    resp.correlation_id = r.correlation_id;
    resp.error = Errc::member_id_required;
    resp.member_id = id;
    env_.send(from, resp);
    return;
  }
  if (!members_.count(r.member_id) && !known_ids_.count(r.member_id)) {
    JoinGroupResponse resp;
    resp.correlation_id = r.correlation_id;
    resp.error = Errc::unknown_member_id;
    env_.send(from, resp);
    return;
  }
  known_ids_.erase(r.member_id);
  Member& m = members_[r.member_id];
  m.instance = r.group_instance_id;
  m.session_timeout_ms = r.session_timeout_ms;
  m.rebalance_timeout_ms = r.rebalance_timeout_ms;
  m.protocols = r.protocols;
  m.last_heard = env_.now();
  m.pending_join = std::make_pair(from, r.correlation_id);
  prepare_rebalance();
  maybe_complete_join(false);
}

void FakeKafka::prepare_rebalance() {
  if (state_ == "PreparingRebalance") {
    maybe_complete_join(false);
    return;
  }
  // Members parked in SyncGroup learn of the new rebalance.
  for (auto& [id, m] : members_)
    if (m.pending_sync) {
      SyncGroupResponse resp;
      resp.correlation_id = m.pending_sync->second;
      resp.error = Errc::rebalance_in_progress;
      env_.send(m.pending_sync->first, resp);
      m.pending_sync.reset();
    }
  initial_delay_ = state_ == "Empty" && o_.initial_rebalance_delay_ms > 0;
  set_state("PreparingRebalance");
  assignment_.clear();
  int32_t timeout = 0;
  for (const auto& [id, m] : members_) timeout = std::max(timeout, m.rebalance_timeout_ms);
  if (rebalance_timer_.valid()) env_.cancel_timer(rebalance_timer_);
  rebalance_timer_ = env_.set_timer(millis(initial_delay_ ? o_.initial_rebalance_delay_ms : timeout), kRebalance);
  if (members_.empty()) {
    set_state("Empty");
    env_.cancel_timer(rebalance_timer_);
    rebalance_timer_ = TimerId{};
  }
}

void FakeKafka::maybe_complete_join(bool timed_out) {
  if (state_ != "PreparingRebalance") return;
  if (initial_delay_ && !timed_out) return;
  const bool all = std::all_of(members_.begin(), members_.end(), [](const auto& kv) { return kv.second.pending_join.has_value(); });
  if (!all && !timed_out) return;
  std::vector<std::string> gone;
  for (const auto& [id, m] : members_)
    if (!m.pending_join) gone.push_back(id);
  for (const auto& id : gone) members_.erase(id);
  if (rebalance_timer_.valid()) env_.cancel_timer(rebalance_timer_);
  rebalance_timer_ = TimerId{};
  initial_delay_ = false;
  generation_ = GenerationId(generation_.value + 1);
  if (members_.empty()) {
    set_state("Empty");
    return;
  }
  if (!members_.count(leader_)) leader_ = members_.begin()->first;
  // The leader's first protocol that every member offers.
  protocol_.clear();
  for (const auto& p : members_.at(leader_).protocols) {
    bool everyone = true;
    for (const auto& [id, m] : members_)
      everyone &= std::any_of(m.protocols.begin(), m.protocols.end(), [&](const auto& q) { return q.name == p.name; });
    if (everyone) {
      protocol_ = p.name;
      break;
    }
  }
  set_state("CompletingRebalance");
  for (auto& [id, m] : members_) {
    JoinGroupResponse resp;
    resp.correlation_id = m.pending_join->second;
    resp.generation_id = generation_;
    resp.protocol_name = protocol_;
    resp.leader = leader_;
    resp.member_id = id;
    if (id == leader_)
      for (const auto& [oid, om] : members_)
        for (const auto& p : om.protocols)
          if (p.name == protocol_) resp.members.push_back({oid, om.instance, p.metadata});
    m.last_heard = env_.now();
    env_.send(m.pending_join->first, resp);
    m.pending_join.reset();
  }
}

void FakeKafka::sync(NodeId from, const SyncGroupRequest& r) {
  SyncGroupResponse resp;
  resp.correlation_id = r.correlation_id;
  auto it = members_.find(r.member_id);
  if (it == members_.end()) resp.error = Errc::unknown_member_id;
  else if (r.generation_id != generation_) resp.error = Errc::illegal_generation;
  else if (state_ == "PreparingRebalance") resp.error = Errc::rebalance_in_progress;
  if (resp.error != Errc::none) {
    env_.send(from, resp);
    return;
  }
  it->second.last_heard = env_.now();
  if (state_ == "Stable") {
    resp.protocol_name = protocol_;
    resp.assignment.partitions = assignment_[r.member_id];
    env_.send(from, resp);
    return;
  }
  it->second.pending_sync = std::make_pair(from, r.correlation_id);
  if (r.member_id == leader_) {
    assignment_.clear();
    for (const auto& [id, m] : members_) assignment_[id] = {};
    for (const auto& a : r.assignments) assignment_[a.member_id] = a.assignment.partitions;
    set_state("Stable");
    for (auto& [id, m] : members_)
      if (m.pending_sync) {
        SyncGroupResponse ok;
        ok.correlation_id = m.pending_sync->second;
        ok.protocol_name = protocol_;
        ok.assignment.partitions = assignment_[id];
        env_.send(m.pending_sync->first, ok);
        m.pending_sync.reset();
      }
  }
}

void FakeKafka::remove_member(const std::string& id) {
  members_.erase(id);
  assignment_.erase(id);
}

void FakeKafka::on_timer(TimerId id, TimerTag tag) {
  if (tag == kSessionCheck) {
    std::vector<std::string> expired;
    for (const auto& [mid, m] : members_)
      if (!m.pending_join && env_.now() - m.last_heard >= millis(m.session_timeout_ms)) expired.push_back(mid);
    for (const auto& mid : expired) {
      remove_member(mid);
      if (state_ == "PreparingRebalance") maybe_complete_join(false);
      else prepare_rebalance();
    }
    env_.set_timer(millis(100), kSessionCheck);
  } else if (tag == kRebalance) {
    if (id == rebalance_timer_) {
      rebalance_timer_ = TimerId{};
      maybe_complete_join(true);
    }
  } else if (tag == kFetchWait) {
    for (size_t i = 0; i < parked_.size(); ++i)
      if (parked_[i].timer == id) {
        ParkedFetch p = parked_[i];
        parked_.erase(parked_.begin() + static_cast<std::ptrdiff_t>(i));
        handle_fetch(p.from, p.req, /*parked=*/true);
        return;
      }
  }
}

}  // namespace ksim::test
