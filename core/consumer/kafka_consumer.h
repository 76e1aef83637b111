#pragma once
// KafkaConsumer: a consumer client node running the classic group protocol
// (Kafka's ClassicKafkaConsumer) together with its application (the workload's
// poll loop). It owns, one concept each:
//   ConsumerMetadata     partition counts and leaders (Metadata)
//   SubscriptionState    what it reads and its position in each partition
//   ConsumerCoordinator  the group: discovery, join/sync, heartbeats, commits
//   OffsetResetter       auto.offset.reset (ListOffsets)
//   PositionValidator    KIP-320: positions checked against a new leader (OffsetsForLeaderEpoch)
//   Fetcher              Fetch to each leader, buffering, max.poll.records
//
// The application is single-threaded, as a Kafka application's poll loop is:
// it is either inside poll() (waiting for records, up to poll_timeout_ms),
// processing one record (a timer of the drawn processing time), or waiting for
// a commitSync. Rebalance callbacks run only inside poll(). The heartbeat
// "thread" runs on its own timers throughout.
//
// What it traces (core/trace/client_events.h): consumer_polled per partition
// of each non-empty poll, record_processed, offset_committed per partition
// (with the error), assignment_changed (added / revoked-or-lost partitions),
// client_failed when a fatal error stops it (consumer_failure.h).
//
// Lifecycle: crash and restart are the Simulation's (a restart is a new
// KafkaConsumer: a new member id unless group.instance.id is set); pause is a
// stop-the-world (a pause beyond session.timeout.ms makes a zombie whose later
// commit fails); close() leaves the group gracefully.
#include <map>
#include <memory>
#include <optional>
#include <vector>

#include "core/consumer/consumer_config.h"
#include "core/consumer/consumer_coordinator.h"
#include "core/consumer/consumer_metadata.h"
#include "core/consumer/consumer_workload.h"
#include "core/consumer/fetcher.h"
#include "core/consumer/offset_resetter.h"
#include "core/consumer/position_validator.h"
#include "core/consumer/subscription_state.h"
#include "core/env/env.h"
#include "core/env/node.h"
#include "core/net/request_tracker.h"

namespace ksim {

class KafkaConsumer final : public Node {
 public:
  enum class AppState : uint8_t { not_started, polling, processing, committing, closed, failed };

  KafkaConsumer(Env& env, ConsumerConfig config, ConsumerWorkload workload);

  void start() override;
  void on_message(NodeId from, ConnectionId connection, const Message& msg) override;
  void on_timer(TimerId id, TimerTag tag) override;
  void on_connection_lost(NodeId peer) override;
  void check_invariants() const override;

  // KafkaConsumer.close(): auto-commit (if enabled), revoke, LeaveGroup for a
  // dynamic member; the application stops.
  void close();

  // For tests and fixtures (checkers read the trace).
  AppState app_state() const { return app_; }
  const ConsumerCoordinator& coordinator() const { return *coordinator_; }
  const SubscriptionState& subscriptions() const { return subscriptions_; }
  const Fetcher& fetcher() const { return fetcher_; }
  std::vector<TopicPartition> assignment() const { return subscriptions_.assigned(); }
  std::optional<Offset> position(const TopicPartition& tp) const;
  int64_t processed() const { return processed_; }
  std::optional<Errc> fatal_error() const { return fatal_; }

 private:
  static constexpr TimerTag kRequestTimeout = 1, kMetadataRetry = 2, kHeartbeat = 3, kPollTimeout = 4,
                            kCoordinatorRetry = 5, kStart = 6, kPollDeadline = 7, kProcess = 8,
                            kMetadataMaxAge = 9;

  void begin_poll();
  void try_complete_poll();
  void finish_poll(std::vector<PolledPartition> records);
  void process_next();
  void after_batch();
  void commit_sync(std::map<TopicPartition, PartitionPosition> offsets, std::function<void()> then);
  void commit_async(std::map<TopicPartition, PartitionPosition> offsets);
  void trace_commit(GenerationId generation, const std::vector<CommitOutcome>& outcomes);
  void on_revoked(const std::vector<TopicPartition>& partitions, bool lost);
  void on_assigned(const std::vector<TopicPartition>& added);
  // A fatal error (consumer_failure.h): traced as client_failed, and the
  // application stops. `partition` and `exception` say more where the error
  // is about one partition.
  void on_fatal(Errc error, const std::optional<TopicPartition>& partition, std::string_view exception);
  GenerationId traced_generation() const;
  std::string group() const { return config_.group_id.value_or(""); }

  Env& env_;
  ConsumerConfig config_;
  ConsumerWorkload workload_;
  RequestTracker tracker_;
  SubscriptionState subscriptions_;
  ConsumerMetadata metadata_;
  std::unique_ptr<ConsumerCoordinator> coordinator_;
  OffsetResetter resetter_;
  PositionValidator validator_;
  Fetcher fetcher_;

  AppState app_ = AppState::not_started;
  TimerId poll_deadline_;
  TimerId process_timer_;
  SimTime next_auto_commit_;
  // The records of the current poll, flattened, and how far processing got.
  struct Item {
    TopicPartition tp;
    Offset offset;
    RecordId record;
  };
  std::vector<Item> batch_;
  size_t next_item_ = 0;
  std::map<TopicPartition, Offset> batch_last_processed_;
  int64_t processed_ = 0;
  std::optional<Errc> fatal_;
};

}  // namespace ksim
