#pragma once
// ProbeProducer: a deliberately simple producer for replication tests and
// lectures about acks: one record per batch, one partition per request, no
// batching, no idempotence. send() finds the leader through a Metadata request
// to a bootstrap broker and sends a Produce with the chosen acks. With
// retries > 0 it refreshes metadata and resends after retriable errors (which
// is how a lost acknowledgement turns into a duplicate). Every send and outcome
// is traced (producer_send / producer_acked / producer_failed), so checkers see
// what it saw. The full Kafka producer (partitioners, accumulator, sender,
// idempotence) is core/producer/.
#include <deque>
#include <map>
#include <string>
#include <vector>

#include "core/env/env.h"
#include "core/env/node.h"
#include "core/net/request_tracker.h"
#include "core/protocol/acks.h"

namespace ksim {

struct ProbeProducerConfig {
  std::vector<NodeId> bootstrap;  // brokers to ask for metadata
  Acks acks = Acks::all;
  int32_t request_timeout_ms = 30000;
  int32_t retries = 0;
  int32_t retry_backoff_ms = 100;
  int32_t value_bytes = 100;
};

class ProbeProducer final : public Node {
 public:
  ProbeProducer(Env& env, ProbeProducerConfig config);

  void start() override {}
  void on_message(NodeId from, ConnectionId connection, const Message& msg) override;
  void on_timer(TimerId id, TimerTag tag) override;
  void on_connection_lost(NodeId peer) override;

  // Sends one record to `tp`; returns its record id. Sends go out one at a
  // time, in order (max.in.flight 1).
  RecordId send(const TopicPartition& tp);

  struct Outcome {
    RecordId record;
    TopicPartition tp;
    bool completed = false;
    Errc error = Errc::none;
    Offset offset{-1};
  };
  const std::vector<Outcome>& outcomes() const { return outcomes_; }
  size_t acked() const;
  size_t failed() const;

 private:
  static constexpr TimerTag kRequestTimeout = 1, kRetry = 2;
  void pump();
  void refresh_metadata();
  void produce_head();
  void complete_head(Errc error, Offset offset);

  Env& env_;
  ProbeProducerConfig config_;
  RequestTracker tracker_;
  std::map<TopicPartition, NodeId> leaders_;
  std::deque<size_t> queue_;  // indexes into outcomes_
  std::vector<Outcome> outcomes_;
  bool busy_ = false;
  int32_t attempts_ = 0;
  uint64_t sends_ = 0;
  size_t next_bootstrap_ = 0;
};

}  // namespace ksim
