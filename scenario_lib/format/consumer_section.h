#pragma once
// The loader's section for a "consumer" client: a KafkaConsumer (core/consumer/)
// configured by Kafka's consumer config names, and the application around it
// (ConsumerWorkload). Kept apart from the producer's section of the loader.
//
//   { "id": "c1", "type": "consumer",
//     "config": { "group.id": "g1", "partition.assignment.strategy": ["range"],
//                 "enable.auto.commit": false, "auto.offset.reset": "earliest" },
//     "workload": { "subscribe": ["orders"],            // or "assign": ["orders-0"]
//                   "processing_ms": 10,                // or {"uniform": [5, 20]} / {"exponential_mean": 10}
//                   "commit": "after_poll",             // auto | after_poll | before_processing | per_record
//                   "commit_on_revoke": true, "poll_timeout_ms": 100, "start_ms": 0 } }
//
// group.id is required with "subscribe". "commit" other than "auto" turns
// enable.auto.commit off unless the config sets it explicitly.
#include <string>
#include <vector>

#include "core/consumer/consumer_config.h"
#include "core/base/input_error.h"
#include "core/consumer/consumer_workload.h"
#include "scenario_lib/format/json_value.h"

namespace ksim::scenarios {

struct Scenario;

struct ConsumerClientSpec {
  ConsumerConfig config;                // bootstrap filled in by the runner
  std::vector<int32_t> bootstrap_servers;  // broker ids; empty = every broker
  ConsumerWorkload workload;
};

// Parses a consumer client's "config" and "workload" (the object `v` at
// `path`); appends every problem to `errors`.
void load_consumer_client(const Json& v, const std::string& path, const Scenario& s, ConsumerClientSpec& out,
                          std::vector<InputError>& errors);

}  // namespace ksim::scenarios
