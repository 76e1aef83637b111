#include "core/producer/partitioner/builtin_partitioner.h"

#include <algorithm>

#include "core/base/assert.h"
#include "core/producer/partitioner/key_hash_partition.h"

namespace ksim::producer {

BuiltinPartitioner::BuiltinPartitioner(const PartitionerConfig& config)
    : batch_size_(config.batch_size),
      ignore_keys_(config.partitioner_ignore_keys),
      adaptive_(config.partitioner_adaptive_partitioning_enable),
      availability_timeout_ms_(config.partitioner_availability_timeout_ms) {
  // BuiltInPartitioner's constructor: "stickyBatchSize must be >= 1".
  KSIM_ASSERT_MSG(batch_size_ >= 1, "batch.size " << batch_size_);
  KSIM_ASSERT_MSG(availability_timeout_ms_ >= 0, "partitioner.availability.timeout.ms " << availability_timeout_ms_);
}

PartitionResult BuiltinPartitioner::choose(const PartitionRequest& record, const TopicPartitions& partitions,
                                           SimTime, Rng& rng) {
  if (record.key && !ignore_keys_) return PartitionResult::chosen(kafka_partition_for_key(*record.key, partitions.partition_count));
  // peekCurrentPartitionInfo: the first unkeyed record of a topic picks one.
  TopicState& s = state(record.topic);
  if (!s.sticky) {
    s.sticky = next_partition(s, partitions, rng);
    s.produced_bytes = 0;
  }
  return PartitionResult::chosen(*s.sticky, /*sticky=*/true);
}

bool BuiltinPartitioner::on_bytes_appended(std::string_view topic, const PartitionChoice& choice,
                                           int64_t appended_bytes, bool all_batches_full, const ClusterView& cluster,
                                           Rng& rng) {
  // Keyed and explicit choices are not counted (Java: partitionInfo == null).
  if (!choice.sticky) return false;
  KSIM_ASSERT(appended_bytes >= 0);
  TopicState& s = state(topic);
  KSIM_ASSERT_MSG(s.sticky && *s.sticky == choice.partition,
                  "bytes appended to " << topic << "-" << choice.partition.value
                                       << " reported as sticky, but the sticky partition is "
                                       << (s.sticky ? s.sticky->value : -1));
  s.produced_bytes += appended_bytes;
  const int64_t batch = batch_size_;
  const bool enough = s.produced_bytes >= batch && all_batches_full;
  const bool far_too_much = s.produced_bytes >= 2 * batch;
  if (!enough && !far_too_much) return false;
  s.sticky = next_partition(s, cluster.topic(topic), rng);
  s.produced_bytes = 0;
  return true;
}

PartitionId BuiltinPartitioner::next_partition(const TopicState& s, const TopicPartitions& partitions,
                                               Rng& rng) const {
  if (s.load) {
    // Weighted draw: the first entry of the table strictly greater than r.
    const LoadStats& load = *s.load;
    const auto r = static_cast<int64_t>(rng.below(static_cast<uint64_t>(load.cumulative.back())));
    const auto it = std::upper_bound(load.cumulative.begin(), load.cumulative.end(), r);
    KSIM_ASSERT(it != load.cumulative.end());
    return load.ids[static_cast<size_t>(it - load.cumulative.begin())];
  }
  if (!partitions.available.empty()) return partitions.available[random_index(rng, partitions.available.size())];
  // No partition has a leader: pick among all of them anyway.
  return PartitionId(static_cast<int32_t>(random_index(rng, static_cast<size_t>(partitions.partition_count))));
}

void BuiltinPartitioner::update_partition_load_stats(std::string_view topic,
                                                     const std::optional<PartitionLoadInput>& input) {
  TopicState& s = state(topic);
  s.load.reset();
  if (!adaptive_ || !input) return;
  const std::vector<PartitionQueueSize>& included = input->included;
  KSIM_ASSERT(included.size() <= input->considered);
  // Too few partitions for adaptive logic to matter (length < 1 ||
  // queueSizes.length < 2 in Java).
  if (included.empty() || input->considered < 2) return;

  int64_t max_size = included.front().queue_size;
  bool all_equal = true;
  for (const PartitionQueueSize& q : included) {
    KSIM_ASSERT(q.queue_size >= 0);
    all_equal = all_equal && q.queue_size == included.front().queue_size;
    max_size = std::max<int64_t>(max_size, q.queue_size);
  }
  // Equal queues and nothing excluded: uniform is already right.
  if (all_equal && included.size() == input->considered) return;

  LoadStats load;
  int64_t running = 0;
  for (const PartitionQueueSize& q : included) {
    running += max_size + 1 - q.queue_size;  // each weight >= 1, so the table strictly increases
    load.cumulative.push_back(running);
    load.ids.push_back(q.partition);
  }
  s.load = std::move(load);
}

void BuiltinPartitioner::check_invariants() const {
  for (const auto& [topic, s] : topics_) {
    KSIM_ASSERT_MSG(s.produced_bytes >= 0 && s.produced_bytes < 2 * static_cast<int64_t>(batch_size_),
                    topic << ": " << s.produced_bytes << " bytes on the sticky partition, batch.size " << batch_size_);
    KSIM_ASSERT_MSG(s.sticky || s.produced_bytes == 0, topic << ": bytes counted without a sticky partition");
    if (!s.load) continue;
    KSIM_ASSERT(!s.load->cumulative.empty());
    KSIM_ASSERT(s.load->cumulative.size() == s.load->ids.size());
    for (size_t i = 0; i < s.load->cumulative.size(); ++i) {
      KSIM_ASSERT(s.load->cumulative[i] > (i == 0 ? 0 : s.load->cumulative[i - 1]));
    }
  }
}

std::optional<PartitionId> BuiltinPartitioner::sticky_partition(std::string_view topic) const {
  const TopicState* s = find(topic);
  return s ? s->sticky : std::nullopt;
}

int64_t BuiltinPartitioner::produced_bytes(std::string_view topic) const {
  const TopicState* s = find(topic);
  return s ? s->produced_bytes : 0;
}

bool BuiltinPartitioner::has_load_stats(std::string_view topic) const {
  const TopicState* s = find(topic);
  return s && s->load.has_value();
}

const BuiltinPartitioner::TopicState* BuiltinPartitioner::find(std::string_view topic) const {
  auto it = topics_.find(topic);
  return it == topics_.end() ? nullptr : &it->second;
}

BuiltinPartitioner::TopicState& BuiltinPartitioner::state(std::string_view topic) {
  auto it = topics_.find(topic);
  if (it == topics_.end()) it = topics_.emplace(std::string(topic), TopicState{}).first;
  return it->second;
}

}  // namespace ksim::producer
