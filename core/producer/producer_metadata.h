#pragma once
// ProducerMetadata: what the producer knows of the cluster (Java's
// ProducerMetadata over Metadata): each topic's partitions and their leaders,
// from Metadata responses. It is refreshed
//   - when a send names a topic it does not know yet (waitOnMetadata),
//   - when a produce answer says the leader moved (NOT_LEADER_OR_FOLLOWER,
//     UNKNOWN_TOPIC_OR_PARTITION and the other InvalidMetadataExceptions, or a
//     broken connection / request timeout), via request_update(),
//   - and every metadata.max.age.ms even without errors.
// It also feeds the partitioner its ClusterView (partition counts, which
// partitions have a leader).
#include <map>
#include <optional>
#include <set>
#include <string>

#include "core/base/time.h"
#include "core/producer/partitioner/cluster_view.h"
#include "core/protocol/replication_messages.h"

namespace ksim::producer {

class ProducerMetadata {
 public:
  explicit ProducerMetadata(int64_t metadata_max_age_ms) : max_age_ms_(metadata_max_age_ms) {}

  void add_topic(const std::string& topic);
  const std::set<std::string>& topics() const { return topics_; }
  bool knows(const std::string& topic) const { return view_.find(topic) != nullptr; }

  void request_update() { need_update_ = true; }
  // Whether a refresh is due at `now`.
  bool update_due(SimTime now) const;
  // When the next refresh falls due without errors.
  SimTime next_refresh(SimTime now) const;
  void update(const MetadataResponse& response, SimTime now);
  // A refresh attempt failed (no answer): try again after backoff.
  void failed_update() { need_update_ = true; }

  // The leader's node of `tp`, if known.
  std::optional<NodeId> leader(const TopicPartition& tp) const;
  LeaderEpoch leader_epoch(const TopicPartition& tp) const;
  // Partitions led by `node`, ascending (the drain order). Kept per node by
  // update(): the sender asks for them on every drain.
  const std::vector<TopicPartition>& partitions_of(NodeId node) const;
  std::vector<NodeId> brokers() const;
  const ClusterView& view() const { return view_; }

 private:
  struct Leader {
    NodeId node;
    LeaderEpoch epoch;
  };
  int64_t max_age_ms_;
  bool need_update_ = true;
  std::optional<SimTime> last_refresh_;
  std::set<std::string> topics_;
  std::map<TopicPartition, Leader> leaders_;
  std::map<NodeId, std::vector<TopicPartition>> partitions_by_node_;  // leaders_ by node, ascending
  std::map<int32_t, NodeId> brokers_;
  ClusterView view_;
};

}  // namespace ksim::producer
