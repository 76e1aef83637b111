#pragma once
// CoordinatorHarness: one GroupCoordinator over a FakeEnv, with a fake
// __consumer_offsets log that tests acknowledge by hand (or at once), and
// members that are plain node ids sending hand-written requests. Virtual time
// only moves when the test says so; due timers fire in order.
#include <catch2/catch.hpp>
#include <deque>
#include <functional>
#include <optional>
#include <string>
#include <vector>

#include "core/group/coordinator/coordinator_partition.h"
#include "core/group/coordinator/group_coordinator.h"
#include "core/log/partition_log.h"
#include "tests/support/fake_env.h"

namespace ksim::test {

// The node id of a member's client in these tests: n(1), n(2), ...
inline NodeId n(uint32_t i) { return NodeId(i); }

class FakeOffsetsLog final : public CoordinatorHost {
 public:
  explicit FakeOffsetsLog(Storage& storage)
      : log_(storage, TopicPartition{std::string(kConsumerOffsetsTopic), PartitionId(0)}, LogConfig{}) {}

  struct Pending {
    std::vector<Record> records;
    std::function<void(Errc)> done;
  };

  void append_offsets_records(PartitionId partition, std::vector<Record> records,
                              std::function<void(Errc)> done) override {
    REQUIRE(partition == PartitionId(0));
    RecordBatch b;
    b.records = records;
    log_.append_as_leader(std::move(b), LeaderEpoch(1));
    ++appends;
    if (auto_ack) return done(Errc::none);
    pending.push_back({std::move(records), std::move(done)});
  }
  const PartitionLog* offsets_log(PartitionId) const override { return &log_; }

  // Completes the oldest parked append with `error` (NONE: the HW covers it).
  void complete(Errc error = Errc::none) {
    REQUIRE(!pending.empty());
    Pending p = std::move(pending.front());
    pending.pop_front();
    p.done(error);
  }

  bool auto_ack = true;
  int appends = 0;
  std::deque<Pending> pending;
  PartitionLog log_;
};

inline BrokerConfig harness_config() {
  BrokerConfig c;
  c.offsets_topic_num_partitions = 1;  // every group in partition 0
  return c;
}

class CoordinatorHarness {
 public:
  static constexpr TimerTag kTag = 77;

  CoordinatorHarness() { load(); }

  // Becomes leader of __consumer_offsets-0 and finishes loading it.
  void load(LeaderEpoch epoch = LeaderEpoch(1)) {
    gc.on_offsets_partition_changed(PartitionId(0), true, epoch);
    advance(millis(1) + micros(log.log_.size_bytes() * 1000 / config.group_coordinator_load_bytes_per_ms));
    REQUIRE(gc.is_loaded(PartitionId(0)));
  }
  void resign() { gc.on_offsets_partition_changed(PartitionId(0), false, LeaderEpoch(2)); }

  // Fires every due timer up to now + d, in time order.
  void advance(Duration d) {
    const SimTime until = env.now() + d;
    for (;;) {
      FakeEnv::Armed* next = nullptr;
      for (auto& t : env.timers)
        if (!t.cancelled && t.at <= until && (!next || t.at < next->at)) next = &t;
      if (!next) break;
      next->cancelled = true;
      env.set_now(next->at);
      REQUIRE(next->tag == kTag);
      gc.on_timer(next->id);
      gc.check_invariants();
    }
    env.set_now(until);
  }

  // --- requests ----------------------------------------------------------------------
  static JoinGroupProtocol protocol(std::string name = "range", std::vector<std::string> topics = {"orders"}) {
    JoinGroupProtocol p;
    p.name = std::move(name);
    p.metadata.topics = std::move(topics);
    return p;
  }
  int32_t join(NodeId from, const std::string& member_id, std::optional<std::string> instance = std::nullopt,
               std::vector<JoinGroupProtocol> protocols = {protocol()}, int32_t session_timeout_ms = 10000,
               int32_t rebalance_timeout_ms = 60000) {
    JoinGroupRequest r;
    r.correlation_id = next_correlation_++;
    r.group_id = group;
    r.member_id = member_id;
    r.group_instance_id = std::move(instance);
    r.protocols = std::move(protocols);
    r.session_timeout_ms = session_timeout_ms;
    r.rebalance_timeout_ms = rebalance_timeout_ms;
    gc.handle(ReplyTo{from, ConnectionId{}}, r);
    gc.check_invariants();
    return r.correlation_id;
  }
  int32_t sync(NodeId from, const std::string& member_id, GenerationId gen,
               std::vector<SyncGroupAssignment> assignments = {}, std::optional<std::string> instance = std::nullopt) {
    SyncGroupRequest r;
    r.correlation_id = next_correlation_++;
    r.group_id = group;
    r.member_id = member_id;
    r.generation_id = gen;
    r.group_instance_id = std::move(instance);
    r.assignments = std::move(assignments);
    gc.handle(ReplyTo{from, ConnectionId{}}, r);
    gc.check_invariants();
    return r.correlation_id;
  }
  Errc heartbeat(NodeId from, const std::string& member_id, GenerationId gen,
                 std::optional<std::string> instance = std::nullopt) {
    HeartbeatRequest r;
    r.correlation_id = next_correlation_++;
    r.group_id = group;
    r.member_id = member_id;
    r.generation_id = gen;
    r.group_instance_id = std::move(instance);
    gc.handle(ReplyTo{from, ConnectionId{}}, r);
    gc.check_invariants();
    auto resp = take<HeartbeatResponse>(from, r.correlation_id);
    REQUIRE(resp);
    return resp->error;
  }
  LeaveGroupResponse leave(NodeId from, const std::string& member_id) {
    LeaveGroupRequest r;
    r.correlation_id = next_correlation_++;
    r.group_id = group;
    r.members.push_back({member_id, std::nullopt, "test"});
    gc.handle(ReplyTo{from, ConnectionId{}}, r);
    gc.check_invariants();
    auto resp = take<LeaveGroupResponse>(from, r.correlation_id);
    REQUIRE(resp);
    return *resp;
  }
  int32_t commit(NodeId from, const std::string& member_id, GenerationId gen, int64_t offset,
                 const std::string& group_id = "") {
    OffsetCommitRequest r;
    r.correlation_id = next_correlation_++;
    r.group_id = group_id.empty() ? group : group_id;
    r.member_id = member_id;
    r.generation_id = gen;
    r.partitions.push_back({TopicPartition{"orders", PartitionId(0)}, Offset(offset), LeaderEpoch(0), ""});
    gc.handle(ReplyTo{from, ConnectionId{}}, r);
    gc.check_invariants();
    return r.correlation_id;
  }
  // The commit's error once answered; nullopt while it is parked.
  std::optional<Errc> commit_result(NodeId from, int32_t correlation) {
    auto r = take<OffsetCommitResponse>(from, correlation);
    if (!r) return std::nullopt;
    REQUIRE(r->partitions.size() == 1);
    return r->partitions[0].error;
  }
  Errc commit_now(NodeId from, const std::string& member_id, GenerationId gen, int64_t offset) {
    const int32_t c = commit(from, member_id, gen, offset);
    auto e = commit_result(from, c);
    REQUIRE(e);
    return *e;
  }
  // The committed offset of orders-0 as OffsetFetch answers it (or the group error).
  std::pair<Errc, int64_t> fetch_offset(NodeId from) {
    OffsetFetchRequest r;
    r.correlation_id = next_correlation_++;
    r.group_id = group;
    r.partitions.push_back(TopicPartition{"orders", PartitionId(0)});
    gc.handle(ReplyTo{from, ConnectionId{}}, r);
    auto resp = take<OffsetFetchResponse>(from, r.correlation_id);
    REQUIRE(resp);
    if (resp->error != Errc::none) return {resp->error, -1};
    REQUIRE(resp->partitions.size() == 1);
    return {Errc::none, resp->partitions[0].committed_offset.value};
  }

  // Removes and returns the response of type T with this correlation id sent to `to`.
  template <class T>
  std::optional<T> take(NodeId to, int32_t correlation) {
    for (auto it = env.sent.begin(); it != env.sent.end(); ++it) {
      if (it->to != to) continue;
      const T* r = std::get_if<T>(&it->msg);
      if (!r || r->correlation_id != correlation) continue;
      T out = *r;
      env.sent.erase(it);
      return out;
    }
    return std::nullopt;
  }

  // A full rebalance of dynamic members on nodes 1..n: MEMBER_ID_REQUIRED, the
  // real join, the initial delay, SyncGroup with the leader giving each member
  // orders-i. Returns the member ids in node order.
  std::vector<std::string> form_group(int n) {
    std::vector<std::string> ids;
    for (int i = 1; i <= n; ++i) {
      const NodeId node(static_cast<uint32_t>(i));
      auto r = take<JoinGroupResponse>(node, join(node, ""));
      REQUIRE(r);
      REQUIRE(r->error == Errc::member_id_required);
      ids.push_back(r->member_id);
    }
    std::vector<int32_t> joins;
    for (int i = 1; i <= n; ++i) joins.push_back(join(NodeId(static_cast<uint32_t>(i)), ids[i - 1]));
    // The initial delay, extended once if members arrived during it.
    advance(millis(config.group_initial_rebalance_delay_ms) * (n > 1 ? 2 : 1));
    std::vector<JoinGroupResponse> responses;
    for (int i = 1; i <= n; ++i) {
      auto r = take<JoinGroupResponse>(NodeId(static_cast<uint32_t>(i)), joins[i - 1]);
      REQUIRE(r);
      REQUIRE(r->error == Errc::none);
      responses.push_back(*r);
    }
    const GenerationId gen = responses[0].generation_id;
    std::vector<int32_t> syncs;
    std::vector<SyncGroupAssignment> assignment;
    for (int i = 0; i < n; ++i)
      assignment.push_back({ids[i], ConsumerAssignment{{TopicPartition{"orders", PartitionId(i)}}}});
    for (int i = 1; i <= n; ++i) {
      const bool leader = responses[i - 1].leader == ids[i - 1];
      syncs.push_back(sync(NodeId(static_cast<uint32_t>(i)), ids[i - 1], gen, leader ? assignment
                                                                                         : std::vector<SyncGroupAssignment>{}));
    }
    for (int i = 1; i <= n; ++i) {
      auto r = take<SyncGroupResponse>(NodeId(static_cast<uint32_t>(i)), syncs[i - 1]);
      REQUIRE(r);
      REQUIRE(r->error == Errc::none);
    }
    REQUIRE(state() == GroupState::stable);
    return ids;
  }

  GroupState state() const {
    const ClassicGroup* g = gc.group(group);
    return g ? g->state() : GroupState::dead;
  }
  GenerationId generation() const { return gc.group(group)->generation(); }
  std::vector<std::string> member_ids() const {
    std::vector<std::string> out;
    if (const ClassicGroup* g = gc.group(group))
      for (const auto& m : g->members()) out.push_back(m.member_id);
    return out;
  }
  template <class T>
  std::vector<T> traced() const { return env.traced_of<T>(); }

  std::string group = "g1";
  FakeEnv env{NodeId(0)};
  BrokerConfig config = harness_config();
  FakeOffsetsLog log{env.storage()};
  GroupCoordinator gc{env, config, log, kTag};

 private:
  int32_t next_correlation_ = 1;
};

}  // namespace ksim::test
