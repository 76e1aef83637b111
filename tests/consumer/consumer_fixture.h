#pragma once
// ConsumerFixture: a real cluster (controller + brokers on virtual time), a
// probe producer "p1" and any number of KafkaConsumers, so a consumer test
// reads like the lecture:
//
//   ConsumerFixture f({.partitions = 2});
//   f.add_consumer("c1", config, workload);
//   f.start();
//   f.produce(f.tp(0), 10);
//   CHECK(f.await([&] { return f.consumer("c1").processed() == 10; }));
//
// What a consumer saw is read back from the trace (polled, processed,
// committed), as the checkers read it.
#include <algorithm>
#include <catch2/catch.hpp>
#include <map>
#include <memory>
#include <string>
#include <vector>

#include "core/broker/broker_node.h"
#include "core/client/probe_producer.h"
#include "core/consumer/kafka_consumer.h"
#include "core/group/coordinator/coordinator_partition.h"
#include "core/group/coordinator/group_coordinator.h"
#include "core/trace/client_events.h"
#include "sim/cluster/cluster.h"

namespace ksim::test {

struct ConsumerFixtureOptions {
  int32_t brokers = 3;
  std::string topic = "orders";
  int32_t partitions = 1;
  int16_t rf = 3;
  uint64_t seed = 1;
  // The probe producer's retries: 0 fails a send on the first error, which is
  // what most tests want to see; tests that crash brokers retry.
  int32_t producer_retries = 0;
  std::function<void(ClusterSpec&)> customize;
};

class ConsumerFixture {
 public:
  explicit ConsumerFixture(const ConsumerFixtureOptions& o) : options_(o), cluster_(make_spec(o)) {
    ProbeProducerConfig pc;
    pc.bootstrap = cluster_.broker_nodes();
    pc.acks = Acks::all;
    pc.retries = o.producer_retries;
    producer_ = cluster_.add_node("p1", "producer", [pc](Env& env) { return std::make_unique<ProbeProducer>(env, pc); });
  }

  // A consumer with the cluster's brokers as bootstrap.servers; before start().
  NodeId add_consumer(const std::string& name, ConsumerConfig config, ConsumerWorkload workload) {
    config.bootstrap = cluster_.broker_nodes();
    const NodeId id = cluster_.add_node(name, "consumer", [config, workload](Env& env) {
      return std::make_unique<KafkaConsumer>(env, config, workload);
    });
    consumers_[name] = id;
    return id;
  }

  void start() {
    cluster_.start();
    REQUIRE(cluster_.run_until([this] { return all_partitions_ready(); }, seconds(30)));
  }

  Cluster& cluster() { return cluster_; }
  Simulation& sim() { return cluster_.sim(); }
  TopicPartition tp(int32_t p = 0) const { return {options_.topic, PartitionId(p)}; }
  NodeId node(const std::string& consumer) const { return consumers_.at(consumer); }
  KafkaConsumer& consumer(const std::string& name) {
    auto* c = sim().process_as<KafkaConsumer>(node(name));
    REQUIRE(c != nullptr);
    return *c;
  }
  bool running(const std::string& name) { return sim().process_as<KafkaConsumer>(node(name)) != nullptr; }

  // Sends n records to tp and waits for their acks.
  std::vector<RecordId> produce(const TopicPartition& tp, int n) {
    std::vector<RecordId> ids;
    sim().invoke(producer_, [&](Node& node) {
      for (int i = 0; i < n; ++i) ids.push_back(static_cast<ProbeProducer&>(node).send(tp));
    });
    REQUIRE(cluster_.run_until(
        [this] {
          auto* p = sim().process_as<ProbeProducer>(producer_);
          return std::all_of(p->outcomes().begin(), p->outcomes().end(), [](const auto& x) { return x.completed; });
        },
        seconds(60)));
    return ids;
  }

  // How many of the probe producer's sends were acknowledged.
  size_t acked() { return sim().process_as<ProbeProducer>(producer_)->acked(); }

  bool await(const std::function<bool()>& done, Duration limit = seconds(120)) { return cluster_.run_until(done, limit); }
  void run_for(Duration d) { cluster_.run_for(d); }

  // --- what the trace says ------------------------------------------------------------
  template <class T>
  std::vector<std::pair<TraceEvent, T>> events_of(const std::string& consumer) {
    std::vector<std::pair<TraceEvent, T>> out;
    const NodeId n = node(consumer);
    for (const TraceEvent& e : sim().trace().events())
      if (e.node == n)
        if (const T* x = std::get_if<T>(&e.payload)) out.push_back({e, *x});
    return out;
  }
  // Offsets of `tp` that `consumer` processed, in processing order.
  std::vector<int64_t> processed(const std::string& consumer, const TopicPartition& tp) {
    std::vector<int64_t> out;
    for (const auto& [e, x] : events_of<trace::RecordProcessed>(consumer))
      if (x.topic == tp.topic && x.partition == tp.partition) out.push_back(x.offset.value);
    return out;
  }
  std::vector<RecordId> processed_records(const std::string& consumer) {
    std::vector<RecordId> out;
    for (const auto& [e, x] : events_of<trace::RecordProcessed>(consumer)) out.push_back(x.record);
    return out;
  }
  // Successful commits of `consumer` for `tp`, in order.
  std::vector<int64_t> commits(const std::string& consumer, const TopicPartition& tp) {
    std::vector<int64_t> out;
    for (const auto& [e, x] : events_of<trace::OffsetCommitted>(consumer))
      if (x.topic == tp.topic && x.partition == tp.partition && x.error == "NONE") out.push_back(x.offset.value);
    return out;
  }
  std::vector<std::string> commit_errors(const std::string& consumer) {
    std::vector<std::string> out;
    for (const auto& [e, x] : events_of<trace::OffsetCommitted>(consumer))
      if (x.error != "NONE") out.push_back(x.error);
    return out;
  }

  // Every event of kind T anywhere in the trace (the coordinator's events are
  // on whichever broker coordinated at the time), with its trace event.
  template <class T>
  std::vector<std::pair<TraceEvent, T>> all_events() {
    std::vector<std::pair<TraceEvent, T>> out;
    for (const TraceEvent& e : sim().trace().events())
      if (const T* x = std::get_if<T>(&e.payload)) out.push_back({e, *x});
    return out;
  }

  // The group as its coordinator holds it now (the running broker leading
  // the group's __consumer_offsets partition), or nullptr.
  const ClassicGroup* group(const std::string& group_id) {
    const TopicPartition offsets{std::string(kConsumerOffsetsTopic),
                                 offsets_partition_for(group_id, cluster_.spec().broker.offsets_topic_num_partitions)};
    const int32_t l = leader_of(offsets);
    BrokerNode* b = l < 0 ? nullptr : cluster_.broker(l);
    if (!b || !b->group_coordinator().is_loaded(offsets.partition)) return nullptr;
    return b->group_coordinator().group(group_id);
  }
  const GroupCoordinator* coordinator_of(const std::string& group_id) {
    const TopicPartition offsets{std::string(kConsumerOffsetsTopic),
                                 offsets_partition_for(group_id, cluster_.spec().broker.offsets_topic_num_partitions)};
    const int32_t l = leader_of(offsets);
    BrokerNode* b = l < 0 ? nullptr : cluster_.broker(l);
    return b ? &b->group_coordinator() : nullptr;
  }

  int32_t leader_of(const TopicPartition& tp) {
    int32_t leader = -1;
    LeaderEpoch best{-1};
    for (int32_t b = 1; b <= options_.brokers; ++b) {
      BrokerNode* node = cluster_.broker(b);
      const Partition* p = node ? node->partition(tp) : nullptr;
      if (p && p->is_leader() && p->leader_epoch() > best) {
        best = p->leader_epoch();
        leader = b;
      }
    }
    return leader;
  }
  Offset hw(const TopicPartition& tp) {
    const int32_t l = leader_of(tp);
    return cluster_.broker(l)->partition(tp)->log().high_watermark();
  }

  bool all_partitions_ready() {
    for (int32_t p = 0; p < options_.partitions; ++p) {
      const int32_t l = leader_of(tp(p));
      if (l < 0) return false;
      if (static_cast<int16_t>(cluster_.broker(l)->partition(tp(p))->isr().size()) < options_.rf) return false;
    }
    return true;
  }

 private:
  static ClusterSpec make_spec(const ConsumerFixtureOptions& o) {
    ClusterSpec spec;
    spec.seed = o.seed;
    spec.name = "consumer test";
    spec.brokers = o.brokers;
    spec.network.default_link = LinkSpec{millis(1), millis(1), {}, 0.0};
    InitialTopic t;
    t.name = o.topic;
    t.partitions = o.partitions;
    t.replication_factor = o.rf;
    spec.controller.initial_topics.push_back(t);
    if (o.customize) o.customize(spec);
    return spec;
  }

  ConsumerFixtureOptions options_;
  Cluster cluster_;
  NodeId producer_;
  std::map<std::string, NodeId> consumers_;
};

}  // namespace ksim::test
