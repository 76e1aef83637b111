#pragma once
// FakeBroker: a scriptable stand-in for a KRaft broker's lifecycle side
// (BrokerLifecycleManager + the metadata fetcher), so controller tests exercise
// real messages over the simulated network without the real broker.
//
// On start it registers (a fresh incarnation id per process), then heartbeats
// every broker.heartbeat.interval.ms (first one at once), and long-polls the
// controller's metadata log, replaying records into its own MetadataImage and
// reporting the last applied offset in its heartbeats. It retries a
// registration that fails or gets no answer, and a fetch whose connection broke.
// Tests can stop and resume its heartbeats, ask for a controlled shutdown,
// and make it send AlterPartition / CreateTopics; it records every answer.
#include <cstdint>
#include <optional>
#include <string>
#include <vector>

#include "core/base/assert.h"
#include "core/env/env.h"
#include "core/env/node.h"
#include "core/metadata/metadata_image.h"

namespace ksim::test {

class FakeBroker final : public Node {
 public:
  struct Options {
    BrokerId id{1};
    NodeId controller{0};
    std::string rack;
    int64_t heartbeat_interval_ms = 2000;  // broker.heartbeat.interval.ms
    int32_t fetch_max_wait_ms = 500;
    int64_t retry_backoff_ms = 100;
    int64_t request_timeout_ms = 3000;
  };

  struct FetchRound {
    SimTime sent;
    SimTime answered;
    int64_t fetch_offset = 0;
    size_t records = 0;
  };

  FakeBroker(Env& env, Options options) : env_(env), options_(std::move(options)) {}

  void start() override {
    incarnation_id_ = env_.rng().next_u64();
    send_registration();
  }

  void on_message(NodeId, ConnectionId, const Message& msg) override {
    if (const auto* r = std::get_if<BrokerRegistrationResponse>(&msg)) on_registration(*r);
    else if (const auto* r = std::get_if<BrokerHeartbeatResponse>(&msg)) on_heartbeat(*r);
    else if (const auto* r = std::get_if<MetadataFetchResponse>(&msg)) on_fetch(*r);
    else if (const auto* r = std::get_if<AlterPartitionResponse>(&msg)) alter_responses.push_back(*r);
    else if (const auto* r = std::get_if<CreateTopicsResponse>(&msg)) create_responses.push_back(*r);
    else if (const auto* r = std::get_if<AllocateProducerIdsResponse>(&msg)) allocate_responses.push_back(*r);
  }

  void on_timer(TimerId id, TimerTag tag) override {
    switch (tag) {
      case kHeartbeat:
        if (id != heartbeat_timer_) return;
        heartbeat_timer_ = {};
        if (heartbeating_ && !shut_down) send_heartbeat();
        arm_heartbeat();
        break;
      case kRegistrationRetry:
        if (id == registration_timer_ && !epoch) send_registration();
        break;
      case kFetchRetry:
        if (id == fetch_timer_) send_fetch();
        break;
    }
  }

  void on_connection_lost(NodeId peer) override {
    if (peer != options_.controller) return;
    // What was in flight is gone: retry the fetch (or registration) soon.
    if (epoch) {
      fetch_timer_ = env_.set_timer(millis(options_.retry_backoff_ms), kFetchRetry);
    } else {
      registration_timer_ = env_.set_timer(millis(options_.retry_backoff_ms), kRegistrationRetry);
    }
  }

  // --- test controls (call through Simulation::invoke) ----------------------
  void stop_heartbeats() { heartbeating_ = false; }
  void resume_heartbeats() {
    heartbeating_ = true;
    send_heartbeat();
  }
  void request_controlled_shutdown() {
    want_shutdown_ = true;
    send_heartbeat();
  }
  // AlterPartition as the leader: epochs from this broker's own image unless given.
  void send_alter_partition(const std::string& topic, int32_t partition, std::vector<int32_t> new_isr,
                            std::optional<int32_t> leader_epoch = std::nullopt,
                            std::optional<int32_t> partition_epoch = std::nullopt,
                            std::optional<int64_t> broker_epoch = std::nullopt) {
    const PartitionRecord* p = image.partition(TopicPartition{topic, PartitionId(partition)});
    AlterPartitionRequest req;
    req.correlation_id = next_correlation_++;
    req.broker = options_.id;
    req.broker_epoch = broker_epoch ? BrokerEpoch(*broker_epoch) : epoch.value_or(BrokerEpoch(-1));
    req.topic = topic;
    req.partition = PartitionId(partition);
    req.leader_epoch = leader_epoch ? LeaderEpoch(*leader_epoch) : (p ? p->leader_epoch : LeaderEpoch(0));
    req.partition_epoch = partition_epoch ? *partition_epoch : (p ? p->partition_epoch : 0);
    req.new_isr = std::move(new_isr);
    env_.send(options_.controller, req);
  }
  void send_create_topics(CreateTopicsRequest req) {
    req.correlation_id = next_correlation_++;
    env_.send(options_.controller, req);
  }
  void send_raw(Message msg) { env_.send(options_.controller, std::move(msg)); }

  // --- observations -----------------------------------------------------------
  BrokerId id() const { return options_.id; }
  std::optional<BrokerEpoch> epoch;
  bool fenced = true;  // as the last heartbeat answer said
  bool shut_down = false;
  MetadataImage image;
  std::vector<BrokerRegistrationResponse> registration_responses;
  std::vector<BrokerHeartbeatResponse> heartbeat_responses;
  std::vector<AlterPartitionResponse> alter_responses;
  std::vector<CreateTopicsResponse> create_responses;
  std::vector<AllocateProducerIdsResponse> allocate_responses;
  std::vector<FetchRound> fetch_rounds;
  struct StrayFetch {
    SimTime at;
    MetadataFetchResponse response;
  };
  std::vector<StrayFetch> stray_fetch_responses;

 private:
  enum : TimerTag { kHeartbeat = 1, kRegistrationRetry = 2, kFetchRetry = 3 };

  void send_registration() {
    BrokerRegistrationRequest req;
    req.correlation_id = next_correlation_++;
    req.broker = options_.id;
    req.incarnation_id = incarnation_id_;
    req.rack = options_.rack;
    env_.send(options_.controller, req);
    registration_timer_ = env_.set_timer(millis(options_.request_timeout_ms), kRegistrationRetry);
  }

  void on_registration(const BrokerRegistrationResponse& r) {
    registration_responses.push_back(r);
    if (epoch) return;
    if (r.error != Errc::none) {
      registration_timer_ = env_.set_timer(millis(options_.retry_backoff_ms * 10), kRegistrationRetry);
      return;
    }
    epoch = r.broker_epoch;
    registration_timer_ = {};
    send_heartbeat();
    arm_heartbeat();
    send_fetch();
  }

  void arm_heartbeat() { heartbeat_timer_ = env_.set_timer(millis(options_.heartbeat_interval_ms), kHeartbeat); }

  void send_heartbeat() {
    if (!epoch || shut_down) return;
    BrokerHeartbeatRequest req;
    req.correlation_id = next_correlation_++;
    req.broker = options_.id;
    req.broker_epoch = *epoch;
    req.current_metadata_offset = image.offset();
    req.want_fence = false;
    req.want_shutdown = want_shutdown_;
    env_.send(options_.controller, req);
  }

  void on_heartbeat(const BrokerHeartbeatResponse& r) {
    heartbeat_responses.push_back(r);
    if (r.error != Errc::none) return;
    fenced = r.is_fenced;
    if (r.should_shut_down) shut_down = true;
  }

  void send_fetch() {
    MetadataFetchRequest req;
    req.correlation_id = next_correlation_++;
    req.broker = options_.id;
    req.fetch_offset = image.offset() + 1;
    req.max_wait_ms = options_.fetch_max_wait_ms;
    fetch_correlation_ = req.correlation_id;
    fetch_rounds.push_back(FetchRound{env_.now(), SimTime::max(), req.fetch_offset, 0});
    env_.send(options_.controller, req);
    fetch_timer_ = env_.set_timer(millis(options_.request_timeout_ms), kFetchRetry);
  }

  void on_fetch(const MetadataFetchResponse& r) {
    if (r.correlation_id != fetch_correlation_) {  // one we gave up on, or a test's own
      stray_fetch_responses.push_back({env_.now(), r});
      return;
    }
    fetch_rounds.back().answered = env_.now();
    fetch_rounds.back().records = r.records.size();
    KSIM_ASSERT(r.error == Errc::none);
    KSIM_ASSERT(r.base_offset == image.offset() + 1);
    for (size_t i = 0; i < r.records.size(); ++i) image.apply(r.records[i], r.base_offset + static_cast<int64_t>(i));
    send_fetch();
  }

  Env& env_;
  Options options_;
  uint64_t incarnation_id_ = 0;
  int32_t next_correlation_ = 1;
  int32_t fetch_correlation_ = 0;
  bool heartbeating_ = true;
  bool want_shutdown_ = false;
  TimerId heartbeat_timer_;
  TimerId registration_timer_;
  TimerId fetch_timer_;
};

}  // namespace ksim::test
