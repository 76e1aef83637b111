#pragma once
// A "consumer" client: a KafkaConsumer whose process runs its application's
// poll loop (scenario_client.h says why it lives there).
#include <memory>

#include "scenario_lib/clients/scenario_client.h"

namespace ksim::scenarios {

std::unique_ptr<ScenarioClient> add_consumer_client(Cluster& cluster, const ClientSpec& spec);

}  // namespace ksim::scenarios
