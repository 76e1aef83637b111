#pragma once
// ReplicationFixture: a cluster of brokers and a controller on virtual time,
// with a ProbeProducer "p1", so a test reads like the lecture:
//
//   ReplicationFixture f({.brokers = 3, .topic = "orders", .rf = 3});
//   f.send(f.tp(0), 10);
//   f.settle();
//   CHECK(f.hw(f.tp(0)) == Offset(10));
#include <algorithm>
#include <catch2/catch.hpp>
#include <memory>
#include <string>

#include "core/broker/broker_node.h"
#include "core/client/probe_producer.h"
#include "core/controller/controller_node.h"
#include "sim/cluster/cluster.h"

namespace ksim::test {

struct FixtureOptions {
  int32_t brokers = 3;
  std::string topic = "orders";
  int32_t partitions = 1;
  int16_t rf = 3;
  std::vector<std::vector<int32_t>> assignment;  // explicit, optional
  std::map<std::string, std::string> topic_configs;
  Acks acks = Acks::all;
  int32_t retries = 0;
  uint64_t seed = 1;
  TruncationMode truncation = TruncationMode::leader_epoch;
  bool unclean = false;
  Duration latency = millis(1);
  std::function<void(ClusterSpec&)> customize;  // anything else
};

class ReplicationFixture {
 public:
  explicit ReplicationFixture(const FixtureOptions& o) : options_(o), cluster_(make_spec(o)) {
    std::vector<NodeId> bootstrap = cluster_.broker_nodes();
    ProbeProducerConfig pc;
    pc.bootstrap = bootstrap;
    pc.acks = o.acks;
    pc.retries = o.retries;
    producer_ = cluster_.add_node("p1", "producer", [pc](Env& env) { return std::make_unique<ProbeProducer>(env, pc); });
    cluster_.start();
    // The cluster is up when every partition has a leader and a full ISR.
    REQUIRE(cluster_.run_until([this] { return all_partitions_ready(); }, seconds(30)));
  }

  Cluster& cluster() { return cluster_; }
  Simulation& sim() { return cluster_.sim(); }
  TopicPartition tp(int32_t p = 0) const { return {options_.topic, PartitionId(p)}; }

  // --- the producer ---------------------------------------------------------------
  ProbeProducer& producer() {
    auto* p = sim().process_as<ProbeProducer>(producer_);
    REQUIRE(p != nullptr);
    return *p;
  }
  NodeId producer_node() const { return producer_; }
  std::vector<RecordId> send(const TopicPartition& tp, int n) {
    std::vector<RecordId> ids;
    sim().invoke(producer_, [&](Node& node) {
      for (int i = 0; i < n; ++i) ids.push_back(static_cast<ProbeProducer&>(node).send(tp));
    });
    return ids;
  }
  // Runs until every send so far has completed (acked or failed).
  bool await_sends(Duration limit = seconds(60)) {
    return cluster_.run_until(
        [this] {
          const auto& o = producer().outcomes();
          return std::all_of(o.begin(), o.end(), [](const auto& x) { return x.completed; });
        },
        limit);
  }
  const ProbeProducer::Outcome& outcome(RecordId id) {
    for (const auto& o : producer().outcomes())
      if (o.record == id) return o;
    FAIL("no such record");
    throw;  // unreachable
  }

  // --- what the brokers hold ---------------------------------------------------------
  const Partition* replica(const TopicPartition& tp, int32_t broker) {
    BrokerNode* b = cluster_.broker(broker);
    return b ? b->partition(tp) : nullptr;
  }
  // The leader according to the brokers themselves: the live broker leading
  // the highest leader epoch. -1 if none.
  int32_t leader_of(const TopicPartition& tp) {
    int32_t leader = -1;
    LeaderEpoch best{-1};
    for (int32_t b = 1; b <= options_.brokers; ++b) {
      const Partition* p = replica(tp, b);
      if (p && p->is_leader() && p->leader_epoch() > best) {
        best = p->leader_epoch();
        leader = b;
      }
    }
    return leader;
  }
  LeaderEpoch leader_epoch(const TopicPartition& tp) {
    const int32_t l = leader_of(tp);
    return l < 0 ? LeaderEpoch(-1) : replica(tp, l)->leader_epoch();
  }
  std::vector<int32_t> isr(const TopicPartition& tp) {
    const int32_t l = leader_of(tp);
    if (l < 0) return {};
    std::vector<int32_t> isr = replica(tp, l)->isr();
    std::sort(isr.begin(), isr.end());
    return isr;
  }
  Offset hw(const TopicPartition& tp, int32_t broker) { return replica(tp, broker)->log().high_watermark(); }
  Offset hw(const TopicPartition& tp) { return hw(tp, leader_of(tp)); }
  Offset leo(const TopicPartition& tp, int32_t broker) { return replica(tp, broker)->log().log_end_offset(); }
  std::vector<RecordId> records(const TopicPartition& tp, int32_t broker) {
    std::vector<RecordId> ids;
    for (const auto& seg : replica(tp, broker)->log().segments())
      for (const auto& b : seg.batches())
        for (const auto& r : b.records) ids.push_back(r.id);
    return ids;
  }
  bool has_record(const TopicPartition& tp, int32_t broker, RecordId id) {
    auto ids = records(tp, broker);
    return std::find(ids.begin(), ids.end(), id) != ids.end();
  }

  // --- faults, as a scenario would inject them -------------------------------------------
  NodeId node(int32_t broker) const { return cluster_.broker_node(broker); }
  void crash(int32_t broker, bool power_loss = false) { sim().crash(node(broker), power_loss); }
  void restart(int32_t broker) { sim().restart(node(broker)); }
  // Runs until the partition has a leader other than `not_this` (or any if -1).
  bool await_leader(const TopicPartition& tp, int32_t not_this = -1, Duration limit = seconds(60)) {
    return cluster_.run_until(
        [&] {
          const int32_t l = leader_of(tp);
          return l > 0 && l != not_this;
        },
        limit);
  }
  void run_for(Duration d) { cluster_.run_for(d); }

  bool all_partitions_ready() {
    for (int32_t p = 0; p < options_.partitions; ++p) {
      const int32_t l = leader_of(tp(p));
      if (l < 0) return false;
      if (static_cast<int16_t>(replica(tp(p), l)->isr().size()) < options_.rf) return false;
    }
    return true;
  }

 private:
  static ClusterSpec make_spec(const FixtureOptions& o) {
    ClusterSpec spec;
    spec.seed = o.seed;
    spec.name = "replication test";
    spec.brokers = o.brokers;
    spec.network.default_link = LinkSpec{o.latency, o.latency, {}, 0.0};
    spec.broker.replication_truncation = o.truncation;
    spec.controller.unclean_leader_election_enable = o.unclean;
    InitialTopic t;
    t.name = o.topic;
    t.partitions = o.partitions;
    t.replication_factor = o.rf;
    t.assignment = o.assignment;
    t.configs = o.topic_configs;
    spec.controller.initial_topics.push_back(t);
    if (o.customize) o.customize(spec);
    return spec;
  }

  FixtureOptions options_;
  Cluster cluster_;
  NodeId producer_;
};

}  // namespace ksim::test
