#pragma once
// FakeKafka: one test node that plays a whole single-broker cluster with an
// in-memory log per partition and a *minimal* classic group coordinator, so
// the consumer's group state machine (join, sync, heartbeats, session and
// poll timeouts, cooperative rounds, commits) can be tested on its own, apart
// from the real coordinator in core/group/coordinator/ (built separately).
//
// The coordinator here follows Kafka's GroupCoordinator in the parts the
// consumer can observe:
//   - JoinGroup with an empty member id answers MEMBER_ID_REQUIRED (KIP-394);
//   - a join moves the group to PreparingRebalance; the join completes when
//     every member has rejoined, or at the rebalance timeout (the longest
//     member's max.poll.interval.ms), dropping those that did not; the first
//     rebalance of an Empty group waits group.initial.rebalance.delay.ms;
//   - the generation grows by one per completed join; the protocol is the
//     leader's first choice that every member supports; only the leader gets
//     the member list;
//   - SyncGroup parks until the leader's assignment arrives;
//   - Heartbeat: UNKNOWN_MEMBER_ID, ILLEGAL_GENERATION, REBALANCE_IN_PROGRESS;
//   - a member without a heartbeat for session.timeout.ms is removed (members
//     waiting in a join are not);
//   - OffsetCommit checks member and generation (generation -1 with no member
//     id is a standalone commit and always accepted).
// Not modelled: static membership, persistence, NOT_COORDINATOR.
#include <map>
#include <optional>
#include <set>
#include <string>
#include <vector>

#include "core/env/env.h"
#include "core/env/node.h"

namespace ksim::test {

class FakeKafka final : public Node {
 public:
  struct Options {
    std::map<std::string, int32_t> topics;
    int32_t initial_rebalance_delay_ms = 0;
  };
  FakeKafka(Env& env, Options o) : env_(env), o_(std::move(o)) {}

  void start() override { env_.set_timer(millis(100), kSessionCheck); }
  void on_message(NodeId from, ConnectionId connection, const Message& msg) override;
  void on_timer(TimerId id, TimerTag tag) override;

  void append(const TopicPartition& tp, int n);
  // CreatePartitions: the topic now has `total` partitions (Metadata answers them).
  void add_partitions(const std::string& topic, int32_t total) { o_.topics[topic] = total; }
  GenerationId generation() const { return generation_; }
  std::string state() const { return state_; }
  std::optional<Offset> committed(const TopicPartition& tp) const {
    auto it = committed_.find(tp);
    if (it == committed_.end()) return std::nullopt;
    return it->second;
  }
  // member id -> its assignment in the current generation (Stable only).
  const std::map<std::string, std::vector<TopicPartition>>& assignment() const { return assignment_; }
  size_t members() const { return members_.size(); }
  int32_t rebalances() const { return generation_.value; }

 private:
  static constexpr TimerTag kSessionCheck = 1, kRebalance = 2, kFetchWait = 3;
  struct Member {
    std::optional<std::string> instance;
    int32_t session_timeout_ms = 45000;
    int32_t rebalance_timeout_ms = 300000;
    std::vector<JoinGroupProtocol> protocols;
    SimTime last_heard;
    std::optional<std::pair<NodeId, int32_t>> pending_join;
    std::optional<std::pair<NodeId, int32_t>> pending_sync;
  };
  struct ParkedFetch {
    NodeId from;
    FetchRequest req;
    TimerId timer;
  };

  void handle_fetch(NodeId from, const FetchRequest& r, bool parked);
  FetchResponse read(const FetchRequest& r, int64_t& records);
  void join(NodeId from, const JoinGroupRequest& r);
  void sync(NodeId from, const SyncGroupRequest& r);
  void prepare_rebalance();
  void maybe_complete_join(bool timed_out);
  void remove_member(const std::string& id);
  void set_state(std::string s) { state_ = std::move(s); }

  Env& env_;
  Options o_;
  std::map<TopicPartition, std::vector<RecordId>> logs_;
  uint64_t next_record_ = 0;
  std::vector<ParkedFetch> parked_;

  std::string state_ = "Empty";
  GenerationId generation_{0};
  std::map<std::string, Member> members_;
  std::set<std::string> known_ids_;  // handed out with MEMBER_ID_REQUIRED
  std::string leader_;
  std::string protocol_;
  std::map<std::string, std::vector<TopicPartition>> assignment_;
  TimerId rebalance_timer_;
  bool initial_delay_ = false;
  int32_t next_member_ = 1;
  std::map<TopicPartition, Offset> committed_;
};

}  // namespace ksim::test
