#pragma once
// `--set PATH=VALUE`: change one value of a scenario from the command line
// before it is validated, e.g. to rerun a lesson with another setting:
//
//   --set clients.p1.config.acks=all
//   --set topics.orders.config.min.insync.replicas=2
//   --set cluster.broker.replication.truncation=high-watermark
//   --set faults.1.at_ms=1500        --set seed=9
//
// PATH walks the JSON from the top, split at dots:
//   - in an object, the next part is a key (created if missing). Kafka config
//     names contain dots, so inside a config map (cluster.broker,
//     cluster.controller, topics[].config, clients[].config) the rest of the
//     path is one key: "min.insync.replicas";
//   - in a list, the next part is an index from 0, or the "name" of a topic /
//     the "id" of a client ("topics.orders", "clients.p1").
// VALUE is read as JSON if it parses (2, true, [1,5], "quoted"), otherwise as
// a string (all, high-watermark). The result is validated like the file.
#include <optional>
#include <string_view>

#include "scenario_lib/format/json_value.h"
#include "scenario_lib/format/scenario_loader.h"

namespace ksim::scenarios {

// The longest "PATH=VALUE" accepted (a fault list given whole fits easily).
inline constexpr size_t kMaxOverrideBytes = 64 * 1024;

// Applies one "PATH=VALUE"; on failure the error's path is "--set PATH".
std::optional<InputError> apply_override(Json& root, std::string_view assignment);

}  // namespace ksim::scenarios
