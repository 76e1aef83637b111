#pragma once
// ProducerWorkload: the application behind a "producer" client (the real
// producer, core/producer/kafka_producer.h). It lives outside the producer's
// process, like the code that calls KafkaProducer.send, so it survives a
// producer restart and remembers what it had not heard back about.
//
//   * send number i is due at start_ms + i / rate_per_s; its key comes from
//     the key pattern (scenario_lib/format/key_pattern.h), its partition from the
//     workload or the partitioner;
//   * sync: send i waits until send i-1 completed (Java's send().get());
//     async: sends go out when due, whatever is outstanding;
//   * resend_on_failure = N: a naive application that sends a record again,
//     up to N times, when its send failed or when the producer restarted
//     before it heard the outcome. The re-send keeps the record's ksim id, so
//     a record written twice shows as a duplicate;
//   * a crashed producer sends nothing; the application carries on once it is
//     back (the new instance has a new producer id and session).
//
// Reactions to completions run as simulation actions at the completion time,
// never inside the producer's handler.
#include <memory>
#include <optional>
#include <vector>

#include "scenario_lib/format/key_pattern.h"
#include "scenario_lib/format/scenario.h"
#include "sim/simulation.h"

namespace ksim::scenarios {

class ProducerWorkload {
 public:
  ProducerWorkload(Simulation& sim, NodeId node, Workload workload, SimTime end);
  void start();

 private:
  struct Message {
    int64_t index = 0;
    std::optional<RecordId> record;  // set once first sent
    int32_t resends = 0;
    bool settled = false;             // acked, or given up
    std::shared_ptr<bool> waiting;    // the outstanding send's liveness token
    int32_t incarnation = 0;          // the producer instance it was sent to
  };

  SimTime due(int64_t i) const;
  void tick();
  void send(Message& m);
  void on_outcome(int64_t index, bool ok);
  void check_restart();
  void schedule(SimTime at);

  Simulation& sim_;
  NodeId node_;
  Workload w_;
  std::optional<KeyPattern> key_;  // w_.key, parsed once
  SimTime end_;
  int64_t next_ = 0;                 // the next new message
  std::vector<Message> messages_;
  std::vector<int64_t> resend_queue_;
  int64_t outstanding_ = 0;
  int32_t incarnation_seen_ = 0;
  std::optional<SimTime> scheduled_;
};

}  // namespace ksim::scenarios
