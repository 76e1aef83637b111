#include "scenario_lib/clients/scenario_client.h"

#include "scenario_lib/clients/consumer_client.h"
#include "scenario_lib/clients/probe_producer_client.h"
#include "scenario_lib/clients/producer_client.h"

namespace ksim::scenarios {

std::unique_ptr<ScenarioClient> add_scenario_client(Cluster& cluster, const ClientSpec& spec) {
  if (spec.consumer) return add_consumer_client(cluster, spec);
  if (spec.probe()) return add_probe_producer_client(cluster, spec);
  return add_producer_client(cluster, spec);
}

std::vector<NodeId> bootstrap_nodes(const Cluster& cluster, const std::vector<int32_t>& brokers) {
  if (brokers.empty()) return cluster.broker_nodes();
  std::vector<NodeId> nodes;
  for (int32_t b : brokers) nodes.push_back(cluster.broker_node(b));
  return nodes;
}

}  // namespace ksim::scenarios
