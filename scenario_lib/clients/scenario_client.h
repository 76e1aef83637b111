#pragma once
// A scenario's client as a run starts it: its node in the cluster (the client
// library's process: ProbeProducer, KafkaProducer or KafkaConsumer) and the
// application that drives it. The runner adds every client through
// add_scenario_client, in scenario order, and starts every application when
// the run begins.
//
// Where the application lives follows where it lives in a real deployment:
//   probe-producer  a send loop outside the process (probe_producer_client.h)
//   producer        ProducerWorkload, outside the producer's process, so it
//                   survives a producer restart (producer_workload.h)
//   consumer        the poll loop inside the consumer's process, as a Kafka
//                   application's single thread runs poll(), processing and
//                   commitSync (ConsumerWorkload, run by KafkaConsumer in
//                   core/consumer/kafka_consumer.h): a crash stops both
#include <cstdint>
#include <memory>
#include <vector>

#include "scenario_lib/format/scenario.h"
#include "sim/cluster/cluster.h"

namespace ksim::scenarios {

class ScenarioClient {
 public:
  explicit ScenarioClient(NodeId node) : node_(node) {}
  virtual ~ScenarioClient() = default;
  NodeId node() const { return node_; }
  // Starts the application; it sends nothing due after `end`.
  virtual void start_application(Simulation& sim, SimTime end) = 0;

 private:
  NodeId node_;
};

// Adds the client's node to the cluster (not started: the cluster starts it).
std::unique_ptr<ScenarioClient> add_scenario_client(Cluster& cluster, const ClientSpec& spec);

// bootstrap.servers as nodes: the listed brokers, or every broker when none is.
std::vector<NodeId> bootstrap_nodes(const Cluster& cluster, const std::vector<int32_t>& brokers);

}  // namespace ksim::scenarios
