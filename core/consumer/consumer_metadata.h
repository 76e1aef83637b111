#pragma once
// ConsumerMetadata: what a consumer knows of the cluster (Kafka's
// ConsumerMetadata / Metadata): the partition count of each topic it reads
// (the group leader's assignor needs them) and each partition's leader and
// leader epoch (the fetcher sends a partition's Fetch to its leader and
// includes the epoch, KIP-320, so a stale leader answers FENCED_LEADER_EPOCH
// or a newer one UNKNOWN_LEADER_EPOCH).
//
// A refresh is one Metadata request for every topic to a bootstrap broker
// (round robin over the list). Metadata also expires: metadata.max.age.ms
// after the last successful refresh another one goes out on its own
// (Metadata.timeToNextUpdate), which is how a consumer learns of partitions
// added to a topic it reads (the group leader then rejoins, see
// consumer_coordinator.h). Errors that mean "the leader moved"
// (NOT_LEADER_OR_FOLLOWER, FENCED_LEADER_EPOCH, ...) call request_update(); the
// owner then refreshes before fetching that partition again. Leader epochs only
// grow: a response older than what is known does not move a partition back
// (Metadata.updateLatestMetadata's epoch check).
#include <functional>
#include <map>
#include <optional>
#include <string>
#include <vector>

#include "core/env/env.h"
#include "core/net/request_tracker.h"
#include "core/protocol/topic_partition.h"

namespace ksim {

class ConsumerMetadata {
 public:
  struct Leader {
    NodeId node;
    LeaderEpoch epoch;
  };

  ConsumerMetadata(Env& env, RequestTracker& tracker, std::vector<NodeId> bootstrap, int32_t request_timeout_ms,
                   int32_t retry_backoff_ms, TimerTag retry_tag, int32_t metadata_max_age_ms, TimerTag max_age_tag);

  // Sends a refresh unless one is in flight. `on_update` runs after each
  // completed refresh (successful or not).
  void refresh();
  void request_update() { stale_ = true; }
  bool needs_update() const { return stale_; }
  bool refresh_in_flight() const { return in_flight_; }
  bool has_topic(const std::string& topic) const { return partitions_.count(topic) != 0; }
  std::optional<int32_t> partition_count(const std::string& topic) const;
  std::optional<Leader> leader(const TopicPartition& tp) const;
  // Any live broker: where FindCoordinator goes (Kafka's least-loaded node).
  NodeId any_broker();
  // A partition's leader is unknown until the next refresh.
  void forget_leader(const TopicPartition& tp) { leaders_.erase(tp); stale_ = true; }
  void on_retry_timer() { retry_armed_ = false; refresh(); }
  // metadata.max.age.ms passed since the last successful refresh.
  void on_max_age_timer(TimerId id);
  // Grows with every successful refresh (Metadata.updateVersion).
  int32_t update_version() const { return update_version_; }
  bool ever_updated() const { return updated_once_; }

  std::function<void()> on_update;

 private:
  Env& env_;
  RequestTracker& tracker_;
  std::vector<NodeId> bootstrap_;
  std::vector<NodeId> brokers_;  // from the last response
  int32_t request_timeout_ms_;
  int32_t retry_backoff_ms_;
  TimerTag retry_tag_;
  int32_t max_age_ms_;
  TimerTag max_age_tag_;
  TimerId max_age_timer_;
  int32_t update_version_ = 0;
  std::map<std::string, int32_t> partitions_;
  std::map<TopicPartition, Leader> leaders_;
  std::map<TopicPartition, LeaderEpoch> max_epochs_;
  size_t next_ = 0;
  bool in_flight_ = false;
  bool stale_ = true;
  bool retry_armed_ = false;
  bool updated_once_ = false;
  std::optional<SimTime> last_done_;
};

}  // namespace ksim
