// After a restart every reader of the trace must hold what the restarted
// broker holds: the viewer's model and the checkers' history read the same
// log_recovered (and epoch_cache_changed "recovered") the broker traced, so
// their LEO, HW, log start and epoch cache agree with the broker's own log at
// the end of a run, as `ksim run`'s final state table prints it.
#include <catch2/catch.hpp>

#include <string>

#include "core/broker/broker_node.h"
#include "scenario_lib/format/scenario_dir.h"
#include "scenario_lib/format/scenario_loader.h"
#include "scenario_lib/run/scenario_runner.h"
#include "sim/check/history.h"
#include "viz/model/replay_model.h"

namespace ksim::viz {
namespace {

// Runs a bundled scenario and compares, replica by replica, what the live
// brokers hold with what the model (and the history) rebuilt from the trace.
// Returns how many replicas of restarted brokers were compared.
int compare_final_state(const std::string& scenario) {
  auto loaded = scenarios::load_scenario_file(scenarios::bundled_scenario_dir() + "/" + scenario + ".json");
  REQUIRE(loaded.ok());
  scenarios::ScenarioRun run(*loaded.scenario, {});
  run.run();
  const TraceHeader& header = run.trace().header();
  const std::vector<TraceEvent>& events = run.trace().events();
  const ReplayModel model = ReplayModel::from_events(header, events);
  const check::History history = check::build_history(header, events);
  int restarted_replicas = 0;
  for (const auto& [tp, part] : model.final_state().partitions) {
    for (const auto& [broker, replica] : part.replica_states) {
      BrokerNode* node = run.cluster().broker(broker.value);
      if (!node) continue;  // crashed at the end: its log is on its disk, unseen
      const Partition* p = node->partition(ksim::TopicPartition{tp.topic, tp.partition});
      if (!p) continue;
      INFO(scenario << ": " << tp.str() << " on broker-" << broker.value);
      const PartitionLog& log = p->log();
      CHECK(replica.leo == log.log_end_offset());
      CHECK(replica.hw == log.high_watermark());
      CHECK(replica.log_start == log.log_start_offset());
      REQUIRE(replica.epoch_cache.size() == log.epoch_cache().entries().size());
      for (size_t i = 0; i < replica.epoch_cache.size(); ++i) {
        CHECK(replica.epoch_cache[i].epoch == log.epoch_cache().entries()[i].epoch);
        CHECK(replica.epoch_cache[i].start_offset == log.epoch_cache().entries()[i].start_offset);
      }
      if (const auto pi = history.find_partition(tp.topic, tp.partition)) {
        const check::Replica* h = history.partitions[*pi].find_replica(broker);
        REQUIRE(h);
        CHECK(h->log_end() == log.log_end_offset());
        CHECK(h->hw == log.high_watermark());
      }
      if (model.final_state().nodes.at(replica.node.value).incarnation > 1) ++restarted_replicas;
    }
  }
  return restarted_replicas;
}

TEST_CASE("after a broker restart the viewer's model and the checkers' history hold the LEO, HW, log start and "
          "epoch cache the broker recovered",
          "[viz][recovery]") {
  // acks=1: broker-1 comes back with LEO 10 and its checkpointed HW.
  CHECK(compare_final_state("acks1_leader_crash") > 0);
  // Restarts with a stale HW checkpoint, and power losses that shorten logs.
  CHECK(compare_final_state("kip101_scenario1_leader_epoch") > 0);
  CHECK(compare_final_state("kip101_scenario2_power_loss_hw") > 0);
  CHECK(compare_final_state("kafka6361_v0") > 0);
}

}  // namespace
}  // namespace ksim::viz
