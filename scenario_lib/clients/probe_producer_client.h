#pragma once
// A "probe-producer" client: ksim's minimal producer (core/client/probe_producer.h)
// and its send loop: send number i is due at start_ms + i / rate_per_s, to
// the workload's partition. A crashed or paused probe skips the sends due
// meanwhile.
#include <memory>

#include "scenario_lib/clients/scenario_client.h"

namespace ksim::scenarios {

std::unique_ptr<ScenarioClient> add_probe_producer_client(Cluster& cluster, const ClientSpec& spec);

}  // namespace ksim::scenarios
