#pragma once
// ConsumerWorkload: the application around a KafkaConsumer, as a scenario or
// a test describes it: what it reads, how long each record takes to process,
// and when it commits. The loop is the classic one:
//
//   while (running) {
//     records = consumer.poll(poll_timeout_ms);
//     [before_processing: commitSync(positions)]
//     for (record : records) { process(record); [per_record: commitSync(record.offset + 1)] }
//     [after_poll: commitSync(last processed + 1 per partition)]
//   }
//
// With enable.auto.commit the consumer itself commits, at the start of a
// poll() once auto.commit.interval.ms has passed, the positions the *previous*
// polls returned (ConsumerCoordinator.maybeAutoCommitOffsetsAsync): in this
// synchronous loop those records are processed by then, so auto-commit is
// at-least-once here; before_processing shows the at-most-once loss.
// commit_on_revoke commits the positions of revoked partitions in
// onPartitionsRevoked (the ConsumerRebalanceListener recipe).
#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "core/base/rng.h"
#include "core/base/time.h"
#include "core/protocol/topic_partition.h"

namespace ksim {

// Per-record processing time: fixed, uniform in [min, max], or exponential
// with a mean, drawn from the consumer node's own random stream.
struct ProcessingTime {
  enum class Kind : uint8_t { fixed, uniform, exponential };
  Kind kind = Kind::fixed;
  Duration fixed = millis(0);
  Duration min = millis(0), max = millis(0);
  Duration mean = millis(0);
  Duration draw(Rng& rng) const;
  std::string str() const;
};

enum class CommitPolicy : uint8_t {
  none,               // no manual commits (enable.auto.commit decides)
  after_poll,         // commitSync after processing each poll's records
  before_processing,  // commitSync of the positions before processing (at-most-once)
  per_record,         // commitSync after each record
};
std::string_view to_string(CommitPolicy p);
// "auto"/"none", "after_poll", "before_processing", "per_record"; nullopt otherwise.
std::optional<CommitPolicy> parse_commit_policy(std::string_view s);

struct ConsumerWorkload {
  std::vector<std::string> topics;        // subscribe(topics) ...
  std::vector<TopicPartition> partitions; // ... or assign(partitions) when not empty
  ProcessingTime processing;
  CommitPolicy commit = CommitPolicy::none;
  bool commit_on_revoke = false;
  int32_t poll_timeout_ms = 100;          // poll(Duration.ofMillis(100))
  int64_t start_ms = 0;                   // the first poll (restarts poll at once)
};

}  // namespace ksim
