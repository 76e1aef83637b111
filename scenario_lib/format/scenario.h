#pragma once
// Scenario: a validated scenario file (scenarios/README.md documents the
// format, scenario.schema.json is its JSON Schema). The loader
// (scenario_loader.h) builds one only when the whole file is valid; the runner
// (scenario_runner.h) turns it into a run. Everything here is already checked:
// names resolve, times lie within the run, configs are in range.
#include <cstdint>
#include <map>
#include <optional>
#include <string>
#include <vector>

#include "core/broker/broker_config.h"
#include "core/controller/controller_config.h"
#include "core/producer/producer_config.h"
#include "scenario_lib/format/consumer_section.h"
#include "sim/fault/fault.h"

namespace ksim::scenarios {

// The probe producer's settings, by Kafka's producer config names. Defaults
// are Kafka's except retries (the probe producer has no delivery.timeout.ms to
// bound Kafka's default of 2147483647, so it defaults to 0).
struct ProducerSettings {
  Acks acks = Acks::all;                      // acks: "all" since Kafka 3.0
  int32_t retries = 0;                        // retries
  int32_t request_timeout_ms = 30000;         // request.timeout.ms
  int32_t retry_backoff_ms = 100;             // retry.backoff.ms
  std::vector<int32_t> bootstrap_servers;     // bootstrap.servers as broker ids; empty = every broker
};

// The real producer's settings (type "producer", core/producer/): Kafka's
// producer config with its 4.x defaults; bootstrap.servers as broker ids
// (empty = every broker). scenario_lib/format/producer_config_keys.h maps the names.
struct KafkaProducerSettings {
  producer::ProducerConfig config;
  std::vector<int32_t> bootstrap_servers;
};

// What a client does on its own: `messages` sends, one every 1/rate_per_s
// seconds from start_ms (the first at start_ms). The probe producer always
// sends to `partition`; the real producer sends to `partition` if
// partition_set, else where its partitioner says (scenarios/README.md).
struct Workload {
  std::string topic;
  int32_t partition = 0;
  bool partition_set = false;
  int64_t messages = 0;
  double rate_per_s = 10.0;
  int64_t start_ms = 0;
  int32_t value_bytes = 100;
  // Real producer only.
  std::optional<std::string> key;  // a key pattern ("user-{i % 10}", "k"); nullopt = null keys
  bool sync = false;               // wait for each send to complete before the next (send().get())
  int32_t resend_on_failure = 0;   // application-level re-sends of a record whose send failed or was lost
};

struct ClientSpec {
  std::string id;    // the node name, e.g. "p1"
  std::string type;  // "producer" (core/producer/kafka_producer.h), "probe-producer" or "consumer"
  ProducerSettings producer;      // probe-producer
  KafkaProducerSettings kafka;    // producer
  std::vector<std::string> kafka_keys_set;  // producer config names given in the file
  std::optional<ConsumerClientSpec> consumer;  // type "consumer" (scenario_lib/format/consumer_section.h)
  std::optional<Workload> workload;
  bool probe() const { return type == "probe-producer"; }
};

// When a fault fires: at a virtual time, or after_ms after a condition first
// holds (once).
struct Trigger {
  enum class Kind : uint8_t { at, hw_reaches, leader_changes, acked };
  Kind kind = Kind::at;
  int64_t at_ms = 0;     // Kind::at
  TopicPartition tp;     // hw_reaches, leader_changes
  int64_t count = 0;     // hw_reaches: the offset; acked: how many acks
  std::string client;    // acked
  int64_t after_ms = 0;  // delay after the condition holds

  // "at 1000 ms", "when the HW of orders-0 reaches 50, +100 ms".
  std::string str() const;
};

struct FaultSpec {
  std::string path;  // "faults[2]", for messages
  Trigger trigger;
  FaultAction action;
  std::string note;  // why, in the scenario author's words (printed with the fault)
};

struct Expectation {
  enum class Kind : uint8_t { check, leader, leader_epoch, isr, hw, leo, running, sent, acked, failed,
                              generation, owner, committed, group_state };
  enum class Compare : uint8_t { is, at_least, at_most };
  Kind kind = Kind::check;
  std::string path;               // "expect[1]"
  std::optional<int64_t> at_ms;   // state expectations: when; nullopt = at the end
  std::string note;

  std::string check;              // Kind::check: the checker's canonical name
  bool holds = true;              // Kind::check

  TopicPartition tp;              // leader, leader_epoch, isr, hw, leo, owner, committed
  int32_t broker = -1;            // hw (optional: -1 = the leader's), leo
  std::string node;               // running, sent, acked, failed: a node / client name
  std::string error;              // failed: only failures with this Kafka error name
  int32_t leader = -1;            // leader: the expected broker, -1 = none
  std::vector<int32_t> isr;       // isr: sorted broker ids
  bool running = true;            // running
  std::string group;              // generation, owner, committed, group_state: the group id
  std::string owner;              // owner: the consumer client id, "" = no consumer owns tp
  std::string group_state;        // group_state: "Stable", "PreparingRebalance", ... (Kafka's names)
  std::vector<std::string> members;  // group_state: consumer clients that must be members of the group
  Compare compare = Compare::is;  // leader_epoch, hw, leo, sent, acked, failed, generation, committed
  int64_t value = 0;

  // Whether a number the run showed meets `compare` `value`.
  bool accepts(int64_t seen) const;
  // "leader of orders-0 is broker-2", "lost-write does not hold".
  std::string str() const;
};

struct Scenario {
  std::string source;  // the file it came from ("<inline>" for text)
  std::string name;
  std::string description;
  uint64_t seed = 1;

  // cluster
  int32_t brokers = 3;
  std::vector<std::string> racks;            // broker.rack per broker, optional
  Duration latency_min = millis(1);          // network.latency_ms [min, max]
  Duration latency_max = millis(5);
  Duration disconnect_detection = millis(10);  // network.disconnect_detection_ms
  Duration writeback_delay = seconds(30);    // disk.writeback_delay_ms
  std::map<int32_t, Duration> writeback_delay_per_broker;  // disk.per_broker
  BrokerConfig broker;                       // shared by every broker
  ControllerConfig controller;               // initial_topics = topics below
  std::vector<std::string> broker_keys_set;      // Kafka names given in cluster.broker
  std::vector<std::string> controller_keys_set;  // ... and in cluster.controller

  std::vector<InitialTopic> topics;
  std::vector<ClientSpec> clients;
  std::vector<FaultSpec> faults;
  int64_t run_until_ms = 0;
  std::vector<Expectation> expect;

  const InitialTopic* topic(const std::string& name) const;
  const ClientSpec* client(const std::string& id) const;
  // Every node name: controller, broker-1..broker-N, then the clients.
  std::vector<std::string> node_names() const;
};

std::string broker_name(int32_t broker_id);  // "broker-2"

}  // namespace ksim::scenarios
