#include "scenario_lib/clients/consumer_client.h"

#include "core/consumer/kafka_consumer.h"

namespace ksim::scenarios {
namespace {

class ConsumerClient final : public ScenarioClient {
 public:
  using ScenarioClient::ScenarioClient;
  // The poll loop starts with the process, at the workload's start_ms.
  void start_application(Simulation&, SimTime) override {}
};

}  // namespace

std::unique_ptr<ScenarioClient> add_consumer_client(Cluster& cluster, const ClientSpec& spec) {
  ConsumerConfig config = spec.consumer->config;
  config.bootstrap = bootstrap_nodes(cluster, spec.consumer->bootstrap_servers);
  const ConsumerWorkload workload = spec.consumer->workload;
  const NodeId node = cluster.add_node(spec.id, spec.type, [config, workload](Env& env) {
    return std::make_unique<KafkaConsumer>(env, config, workload);
  });
  return std::make_unique<ConsumerClient>(node);
}

}  // namespace ksim::scenarios
