#pragma once
// A "producer" client: the real producer (core/producer/kafka_producer.h) and
// its application, ProducerWorkload, outside its process.
#include <memory>

#include "scenario_lib/clients/scenario_client.h"

namespace ksim::scenarios {

std::unique_ptr<ScenarioClient> add_producer_client(Cluster& cluster, const ClientSpec& spec);

}  // namespace ksim::scenarios
