#include "scenario_lib/clients/producer_client.h"

#include "core/producer/kafka_producer.h"
#include "scenario_lib/clients/producer_workload.h"

namespace ksim::scenarios {
namespace {

class ProducerClient final : public ScenarioClient {
 public:
  ProducerClient(NodeId node, std::optional<Workload> workload) : ScenarioClient(node), workload_(std::move(workload)) {}
  void start_application(Simulation& sim, SimTime end) override {
    if (!workload_) return;
    app_ = std::make_unique<ProducerWorkload>(sim, node(), *workload_, end);
    app_->start();
  }

 private:
  std::optional<Workload> workload_;
  std::unique_ptr<ProducerWorkload> app_;
};

}  // namespace

// Its ProducerLineage lives in the factory's closure, so a restarted instance
// continues the record count (ids stay unique) and starts a new session.
std::unique_ptr<ScenarioClient> add_producer_client(Cluster& cluster, const ClientSpec& spec) {
  producer::ProducerConfig config = spec.kafka.config;
  config.bootstrap = bootstrap_nodes(cluster, spec.kafka.bootstrap_servers);
  if (spec.workload) config.value_bytes = spec.workload->value_bytes;
  const producer::ProducerConfigResult r = producer::validate_producer_config(config);
  KSIM_ASSERT_MSG(r.ok(), "the loader validated the producer config: " << r.error);
  const producer::EffectiveProducerConfig effective = *r.effective;
  auto lineage = std::make_shared<producer::ProducerLineage>();
  const NodeId node = cluster.add_node(spec.id, spec.type, [effective, lineage](Env& env) {
    return std::make_unique<producer::KafkaProducer>(env, effective, lineage);
  });
  return std::make_unique<ProducerClient>(node, spec.workload);
}

}  // namespace ksim::scenarios
