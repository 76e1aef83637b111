#include "sim/cluster/cluster.h"

#include "core/broker/broker_node.h"
#include "core/controller/controller_node.h"

namespace ksim {

std::string broker_node_name(int32_t broker_id) { return "broker-" + std::to_string(broker_id); }

Cluster::Cluster(ClusterSpec spec) : spec_(std::move(spec)) {
  SimulationOptions o;
  o.seed = spec_.seed;
  o.scenario = spec_.name;
  o.network = spec_.network;
  o.disk = spec_.disk;
  o.keep_trace_events = spec_.keep_trace_events;
  o.reproduce_command = spec_.reproduce_command;
  sim_ = std::make_unique<Simulation>(o);

  const ControllerConfig controller_config = spec_.controller;
  controller_ = sim_->add_node("controller", "controller", [controller_config](Env& env) {
    return std::make_unique<ControllerNode>(env, controller_config);
  });
  for (int32_t id = 1; id <= spec_.brokers; ++id) {
    BrokerConfig bc = spec_.broker;
    bc.broker_id = BrokerId(id);
    bc.controller = controller_;
    bc.broker_session_timeout_ms = spec_.controller.broker_session_timeout_ms;
    if (static_cast<size_t>(id - 1) < spec_.racks.size()) bc.rack = spec_.racks[static_cast<size_t>(id - 1)];
    brokers_.push_back(sim_->add_node(broker_node_name(id), "broker",
                                      [bc](Env& env) { return std::make_unique<BrokerNode>(env, bc); }));
  }
}

Cluster::~Cluster() = default;

NodeId Cluster::add_node(std::string name, std::string role, NodeFactory factory) {
  return sim_->add_node(std::move(name), std::move(role), std::move(factory));
}

void Cluster::start() { sim_->start(); }

NodeId Cluster::broker_node(int32_t broker_id) const {
  KSIM_ASSERT_MSG(broker_id >= 1 && broker_id <= spec_.brokers, "no broker " << broker_id);
  return brokers_[static_cast<size_t>(broker_id - 1)];
}

int32_t Cluster::broker_id_of(NodeId node) const {
  for (size_t i = 0; i < brokers_.size(); ++i)
    if (brokers_[i] == node) return static_cast<int32_t>(i + 1);
  return -1;
}

BrokerNode* Cluster::broker(int32_t broker_id) { return sim_->process_as<BrokerNode>(broker_node(broker_id)); }

ControllerNode* Cluster::controller() { return sim_->process_as<ControllerNode>(controller_); }

bool Cluster::run_until(const std::function<bool()>& done, Duration limit) {
  const SimTime end = sim_->now() + limit;
  while (!done()) {
    const auto next = sim_->next_event_time();
    if (!next || *next > end) {
      sim_->run_until(end);
      return done();
    }
    sim_->step();
  }
  return true;
}

}  // namespace ksim
