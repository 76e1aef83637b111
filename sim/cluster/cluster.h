#pragma once
// Cluster: a Kafka cluster inside a Simulation: one KRaft controller node
// ("controller") and brokers "broker-1".."broker-N" (node.id 1..N), started
// together, plus whatever client nodes the caller adds before start(). The
// scenario loader and the tests build runs through it.
//
// The accessors that reach into processes (controller(), broker_process())
// are for tests and fixtures; checkers and the viewer read the trace.
#include <functional>
#include <memory>
#include <string>
#include <vector>

#include "core/broker/broker_config.h"
#include "core/controller/controller_config.h"
#include "sim/simulation.h"

namespace ksim {

// A broker's node name: "broker-2". Scenarios, fault targets and the trace
// name brokers this way.
std::string broker_node_name(int32_t broker_id);

class BrokerNode;
class ControllerNode;

struct ClusterSpec {
  uint64_t seed = 1;
  std::string name = "cluster";
  int32_t brokers = 3;
  std::vector<std::string> racks;  // broker.rack per broker (optional)
  BrokerConfig broker;             // shared settings; node.id and the controller are filled in
  ControllerConfig controller;     // includes the initial topics
  NetworkOptions network;
  DiskOptions disk;
  bool keep_trace_events = true;
  std::string reproduce_command;
};

class Cluster {
 public:
  explicit Cluster(ClusterSpec spec);
  ~Cluster();

  // Adds a client (or any other) node; only before start().
  NodeId add_node(std::string name, std::string role, NodeFactory factory);
  void start();

  Simulation& sim() { return *sim_; }
  const ClusterSpec& spec() const { return spec_; }
  NodeId controller_node() const { return controller_; }
  NodeId broker_node(int32_t broker_id) const;
  std::vector<NodeId> broker_nodes() const { return brokers_; }
  int32_t broker_id_of(NodeId node) const;  // -1 if not a broker

  // Live processes (nullptr while crashed).
  BrokerNode* broker(int32_t broker_id);
  ControllerNode* controller();

  // Runs until `done()` holds or `limit` of virtual time passes; returns done().
  bool run_until(const std::function<bool()>& done, Duration limit);
  void run_for(Duration d) { sim_->run_until(sim_->now() + d); }

 private:
  ClusterSpec spec_;
  std::unique_ptr<Simulation> sim_;
  NodeId controller_;
  std::vector<NodeId> brokers_;
};

}  // namespace ksim
