#include "scenario_lib/clients/probe_producer_client.h"

#include <cmath>

#include "core/client/probe_producer.h"

namespace ksim::scenarios {
namespace {

// One send action at a time, each scheduling the next, so a long workload
// costs one queued event, not thousands.
class ProbeProducerClient final : public ScenarioClient {
 public:
  ProbeProducerClient(NodeId node, std::optional<Workload> workload)
      : ScenarioClient(node), workload_(std::move(workload)) {}

  void start_application(Simulation& sim, SimTime end) override {
    if (!workload_) return;
    sim_ = &sim;
    end_ = end;
    tp_ = TopicPartition{workload_->topic, PartitionId(workload_->partition)};
    schedule(0);
  }

 private:
  // Send number i is due at start_ms + i / rate_per_s (microseconds, rounded down).
  SimTime due(int64_t i) const {
    const double offset_us = std::floor(static_cast<double>(i) * 1e6 / workload_->rate_per_s);
    return SimTime::from_ms(workload_->start_ms) + micros(static_cast<int64_t>(offset_us));
  }

  void schedule(int64_t i) {
    if (i >= workload_->messages) return;
    const SimTime at = due(i);
    if (at > end_) return;
    sim_->at(at, [this, i] {
      if (sim_->is_running(node()) && !sim_->is_paused(node()))
        sim_->invoke(node(), [this](Node& n) { static_cast<ProbeProducer&>(n).send(tp_); });
      schedule(i + 1);
    });
  }

  std::optional<Workload> workload_;
  Simulation* sim_ = nullptr;
  SimTime end_;
  TopicPartition tp_;
};

}  // namespace

std::unique_ptr<ScenarioClient> add_probe_producer_client(Cluster& cluster, const ClientSpec& spec) {
  ProbeProducerConfig config;
  config.bootstrap = bootstrap_nodes(cluster, spec.producer.bootstrap_servers);
  config.acks = spec.producer.acks;
  config.retries = spec.producer.retries;
  config.request_timeout_ms = spec.producer.request_timeout_ms;
  config.retry_backoff_ms = spec.producer.retry_backoff_ms;
  if (spec.workload) config.value_bytes = spec.workload->value_bytes;
  const NodeId node =
      cluster.add_node(spec.id, spec.type, [config](Env& env) { return std::make_unique<ProbeProducer>(env, config); });
  return std::make_unique<ProbeProducerClient>(node, spec.workload);
}

}  // namespace ksim::scenarios
