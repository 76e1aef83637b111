#pragma once
// ControllerCluster: a real Simulation with one ControllerNode ("controller",
// node 0) and FakeBrokers broker-1..broker-n (node i is broker id i), over
// links with a fixed 1 ms latency so tests can reason about exact times.
//
//   ControllerCluster c(brokers(3));
//   c.run_until_all_unfenced();
//   c.create_topic("orders", 1, 3);
//   c.act(1, [](FakeBroker& b) { b.stop_heartbeats(); });
//   c.run_for(seconds(10));
//   CHECK(c.partition("orders", 0).leader == BrokerId(2));
#include <catch2/catch.hpp>

#include <functional>
#include <memory>
#include <string>
#include <vector>

#include "core/controller/controller_node.h"
#include "sim/simulation.h"
#include "tests/controller/fake_broker.h"

namespace ksim::test {

struct ClusterOptions {
  int brokers = 3;
  uint64_t seed = 1;
  ControllerConfig controller;
  std::vector<std::string> racks;  // per broker, optional
  Duration latency = millis(1);
};

inline ClusterOptions brokers(int n) {
  ClusterOptions o;
  o.brokers = n;
  return o;
}

class ControllerCluster {
 public:
  explicit ControllerCluster(ClusterOptions options) : options_(std::move(options)) {
    SimulationOptions so;
    so.seed = options_.seed;
    so.scenario = "controller test";
    so.network.default_link = LinkSpec{options_.latency, options_.latency, {}, 0.0};
    sim_ = std::make_unique<Simulation>(so);
    const ControllerConfig config = options_.controller;
    sim_->add_node("controller", "controller",
                   [config](Env& env) { return std::make_unique<ControllerNode>(env, config); });
    for (int i = 1; i <= options_.brokers; ++i) {
      FakeBroker::Options bo;
      bo.id = BrokerId(i);
      bo.controller = NodeId(0);
      if (static_cast<size_t>(i) <= options_.racks.size()) bo.rack = options_.racks[static_cast<size_t>(i - 1)];
      sim_->add_node("broker-" + std::to_string(i), "broker",
                     [bo](Env& env) { return std::make_unique<FakeBroker>(env, bo); });
    }
    sim_->start();
  }

  Simulation& sim() { return *sim_; }
  static constexpr NodeId controller_node() { return NodeId(0); }
  static NodeId broker_node(int32_t id) { return NodeId(static_cast<uint32_t>(id)); }

  ControllerNode& controller() {
    auto* c = sim_->process_as<ControllerNode>(controller_node());
    REQUIRE(c != nullptr);
    return *c;
  }
  FakeBroker& broker(int32_t id) {
    auto* b = sim_->process_as<FakeBroker>(broker_node(id));
    REQUIRE(b != nullptr);
    return *b;
  }
  const MetadataImage& image() { return controller().image(); }
  const PartitionRecord& partition(const std::string& topic, int32_t p) {
    const PartitionRecord* r = image().partition(TopicPartition{topic, PartitionId(p)});
    REQUIRE(r != nullptr);
    return *r;
  }
  const BrokerInfo& broker_info(int32_t id) {
    const BrokerInfo* b = image().broker(BrokerId(id));
    REQUIRE(b != nullptr);
    return *b;
  }

  void run_for(Duration d) { sim_->run_until(sim_->now() + d); }
  // Runs until `done` holds (checked after every event) or `limit` passes.
  bool run_until(const std::function<bool()>& done, Duration limit = seconds(60)) {
    const SimTime end = sim_->now() + limit;
    while (!done()) {
      if (!sim_->step() || sim_->now() > end) return done();
    }
    return true;
  }
  void run_until_all_unfenced() {
    REQUIRE(run_until([&] {
      if (!sim_->is_running(controller_node())) return false;
      const auto& brokers = controller().image().brokers();
      if (static_cast<int>(brokers.size()) < options_.brokers) return false;
      for (const auto& [id, info] : brokers)
        if (info.fenced) return false;
      return true;
    }));
  }

  // Runs `fn` on broker `id` as if inside one of its handlers.
  void act(int32_t id, const std::function<void(FakeBroker&)>& fn) {
    sim_->invoke(broker_node(id), [&](Node& n) { fn(static_cast<FakeBroker&>(n)); });
  }

  // Sends CreateTopics from broker 1 and runs until the answer arrives.
  CreateTopicsResponse create_topic(const std::string& name, int32_t partitions, int16_t rf,
                                    std::vector<std::vector<int32_t>> assignment = {},
                                    std::map<std::string, std::string> configs = {}) {
    const size_t before = broker(1).create_responses.size();
    act(1, [&](FakeBroker& b) {
      CreateTopicsRequest req;
      req.name = name;
      req.partitions = partitions;
      req.replication_factor = rf;
      req.assignment = std::move(assignment);
      req.configs = std::move(configs);
      b.send_create_topics(req);
    });
    REQUIRE(run_until([&] { return broker(1).create_responses.size() > before; }, seconds(5)));
    return broker(1).create_responses.back();
  }

  // CreatePartitions as an operator's tool reaches the controller (what the
  // scenarios' add_partitions fault does); the records are appended at once.
  CreatePartitionsResponse create_partitions(const std::string& name, int32_t count,
                                             std::vector<std::vector<int32_t>> assignment = {}) {
    CreatePartitionsResponse out;
    sim_->invoke(controller_node(), [&](Node& n) {
      CreatePartitionsRequest req;
      req.name = name;
      req.count = count;
      req.assignment = std::move(assignment);
      out = static_cast<ControllerNode&>(n).create_partitions(req);
    });
    return out;
  }

  // Sends AlterPartition from broker `from` and runs until it is answered.
  AlterPartitionResponse alter_partition(int32_t from, const std::string& topic, int32_t p, std::vector<int32_t> isr,
                                         std::optional<int32_t> leader_epoch = std::nullopt,
                                         std::optional<int32_t> partition_epoch = std::nullopt,
                                         std::optional<int64_t> broker_epoch = std::nullopt) {
    const size_t before = broker(from).alter_responses.size();
    act(from, [&](FakeBroker& b) {
      b.send_alter_partition(topic, p, std::move(isr), leader_epoch, partition_epoch, broker_epoch);
    });
    REQUIRE(run_until([&] { return broker(from).alter_responses.size() > before; }, seconds(5)));
    return broker(from).alter_responses.back();
  }

  // --- what the trace says ----------------------------------------------------
  std::vector<trace::PartitionChanged> partition_changes(const std::string& topic, int32_t p) const {
    std::vector<trace::PartitionChanged> out;
    for (const TraceEvent& e : sim_->trace().events())
      if (const auto* c = std::get_if<trace::PartitionChanged>(&e.payload))
        if (c->topic == topic && c->partition == PartitionId(p)) out.push_back(*c);
    return out;
  }
  struct Fencing {
    SimTime at;
    trace::BrokerFencing event;
  };
  std::vector<Fencing> fencings(int32_t broker) const {
    std::vector<Fencing> out;
    for (const TraceEvent& e : sim_->trace().events())
      if (const auto* f = std::get_if<trace::BrokerFencing>(&e.payload))
        if (f->broker == BrokerId(broker)) out.push_back({e.time, *f});
    return out;
  }
  template <class T>
  std::vector<T> events() const {
    std::vector<T> out;
    for (const TraceEvent& e : sim_->trace().events())
      if (const auto* x = std::get_if<T>(&e.payload)) out.push_back(*x);
    return out;
  }

 private:
  ClusterOptions options_;
  std::unique_ptr<Simulation> sim_;
};

}  // namespace ksim::test
