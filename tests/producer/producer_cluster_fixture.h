#pragma once
// ProducerClusterFixture: a simulated cluster (controller + 3 brokers, topic
// "orders") with one KafkaProducer client "p1", so an end-to-end test reads
// like the lecture: send, drop a message, run, and ask the checkers.
#include <catch2/catch.hpp>

#include "core/broker/broker_node.h"
#include "core/producer/kafka_producer.h"
#include "sim/check/history.h"
#include "sim/check/registry.h"
#include "sim/cluster/cluster.h"

namespace ksim::producer::testing {

struct ClusterOptions {
  uint64_t seed = 1;
  int32_t partitions = 1;
  std::map<std::string, std::string> topic_configs;
  Duration latency_min = millis(1);
  Duration latency_max = millis(1);
};

class ProducerClusterFixture {
 public:
  ProducerClusterFixture(ProducerConfig config, const ClusterOptions& o = {}) : options_(o), cluster_(spec(o)) {
    config.bootstrap = cluster_.broker_nodes();
    const ProducerConfigResult r = validate_producer_config(config);
    REQUIRE(r.ok());
    const EffectiveProducerConfig eff = *r.effective;
    auto lineage = lineage_;
    producer_ = cluster_.add_node("p1", "producer", [eff, lineage](Env& env) {
      return std::make_unique<KafkaProducer>(env, eff, lineage);
    });
    cluster_.start();
    REQUIRE(cluster_.run_until([this] { return ready(); }, seconds(30)));
  }

  Cluster& cluster() { return cluster_; }
  Simulation& sim() { return cluster_.sim(); }
  NodeId producer_node() const { return producer_; }
  KafkaProducer& producer() {
    auto* p = sim().process_as<KafkaProducer>(producer_);
    REQUIRE(p != nullptr);
    return *p;
  }
  DeliveryHandle send(std::optional<PartitionId> partition = PartitionId(0)) {
    DeliveryHandle h;
    sim().invoke(producer_, [&](Node& n) { h = static_cast<KafkaProducer&>(n).send("orders", std::nullopt, partition); });
    return h;
  }
  bool await(const std::vector<DeliveryHandle>& handles, Duration limit = seconds(200)) {
    return cluster_.run_until(
        [&] { return std::all_of(handles.begin(), handles.end(), [](const DeliveryHandle& h) { return h.done(); }); },
        limit);
  }
  // Loses the next message of `type` on the wire between the producer and the
  // leader of orders-0: "Produce" on its way there, or "ProduceResponse" back.
  void lose_next(const std::string& type) {
    const NodeId leader = cluster_.broker_node(leader_of(0));
    MessageRule drop;
    drop.match = type == "Produce" ? MessageMatch{type, producer_, leader} : MessageMatch{type, leader, producer_};
    sim().network().add_rule(drop);
  }
  // Sends `n` more records 2 ms apart, so that they are in flight together.
  void send_spaced(std::vector<DeliveryHandle>& handles, int n) {
    for (int i = 0; i < n; ++i) {
      handles.push_back(send());
      cluster_.run_for(millis(2));
    }
  }
  // What the producer made of each response, "error/outcome" in order:
  // "NONE/acked", "NETWORK_EXCEPTION/retry", ...
  std::vector<std::string> responses() {
    std::vector<std::string> out;
    for (const auto& e : cluster_.sim().trace().events())
      if (const auto* r = std::get_if<trace::ProducerResponse>(&e.payload)) out.push_back(r->error + "/" + r->outcome);
    return out;
  }
  int32_t leader_of(int32_t partition) {
    for (int32_t b = 1; b <= 3; ++b) {
      BrokerNode* node = cluster_.broker(b);
      const Partition* p = node ? node->partition(TopicPartition{"orders", PartitionId(partition)}) : nullptr;
      if (p && p->is_leader()) return b;
    }
    return -1;
  }
  const check::CheckResult& check(const std::string& name) {
    const check::History h = check::build_history(sim().trace().header(), sim().trace().events());
    checks_ = check::run_all_checks(h);
    for (const auto& c : checks_)
      if (c.name == name) return c;
    FAIL("no checker " << name);
    throw;
  }

 private:
  static ClusterSpec spec(const ClusterOptions& o) {
    ClusterSpec s;
    s.seed = o.seed;
    s.name = "producer test";
    s.brokers = 3;
    s.network.default_link = LinkSpec{o.latency_min, o.latency_max, {}, 0.0};
    InitialTopic t;
    t.name = "orders";
    t.partitions = o.partitions;
    t.replication_factor = 3;
    t.configs = o.topic_configs;
    s.controller.initial_topics.push_back(t);
    return s;
  }
  bool ready() {
    for (int32_t p = 0; p < options_.partitions; ++p) {
      const int32_t l = leader_of(p);
      if (l < 0) return false;
      if (cluster_.broker(l)->partition(TopicPartition{"orders", PartitionId(p)})->isr().size() < 3) return false;
    }
    return true;
  }

  ClusterOptions options_;
  std::shared_ptr<ProducerLineage> lineage_ = std::make_shared<ProducerLineage>();
  Cluster cluster_;
  NodeId producer_;
  std::vector<check::CheckResult> checks_;
};

}  // namespace ksim::producer::testing
