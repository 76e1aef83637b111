// The model against the simulation, lesson by lesson: every bundled scenario's
// state expectations (leader, leader epoch, ISR, HW, LEO, group generation,
// partition owner, committed offset, each at its at_ms or at the end) are
// what the scenario runner read from the live brokers, coordinators and
// consumers, and `ksim run` passes them all (the scenario.* ctest tests). The
// model, rebuilt from the trace alone, must show the same at the same time,
// reached going forwards and again after seeking back from the end.
#include <catch2/catch.hpp>

#include <algorithm>
#include <filesystem>

#include "scenario_lib/format/scenario_dir.h"
#include "scenario_lib/format/scenario_loader.h"
#include "viz/model/replay_model.h"

namespace ksim::viz {
namespace {

using scenarios::Expectation;

// What the model says about one expectation, or nullopt for kinds the model
// does not hold (checks, client tallies, running). Returns "ok" or what it saw.
std::optional<std::string> judge(const ReplayModel& m, const Expectation& e) {
  const ClusterState& s = m.state();
  const TopicPartition tp{e.tp.topic, e.tp.partition};
  auto part = [&]() -> const PartitionState* {
    auto it = s.partitions.find(tp);
    return it == s.partitions.end() ? nullptr : &it->second;
  };
  auto number = [&](int64_t seen) -> std::string {
    return e.accepts(seen) ? "ok" : "saw " + std::to_string(seen);
  };
  switch (e.kind) {
    case Expectation::Kind::leader: {
      const PartitionState* p = part();
      const int32_t leader = p ? p->leader.value : -1;
      return leader == e.leader ? "ok" : "saw leader " + std::to_string(leader);
    }
    case Expectation::Kind::leader_epoch: {
      const PartitionState* p = part();
      return p ? number(p->leader_epoch.value) : "no partition";
    }
    case Expectation::Kind::isr: {
      const PartitionState* p = part();
      if (!p) return "no partition";
      std::vector<int32_t> isr = p->isr;
      std::sort(isr.begin(), isr.end());
      return isr == e.isr ? "ok" : "saw another ISR";
    }
    case Expectation::Kind::hw:
    case Expectation::Kind::leo: {
      const PartitionState* p = part();
      if (!p) return "no partition";
      const BrokerId b = e.broker < 0 ? p->leader : BrokerId(e.broker);
      auto r = p->replica_states.find(b);
      if (r == p->replica_states.end()) return "no replica on broker " + std::to_string(b.value);
      return number(e.kind == Expectation::Kind::hw ? r->second.hw.value : r->second.leo.value);
    }
    case Expectation::Kind::generation: {
      auto g = s.groups.find(e.group);
      return g == s.groups.end() ? "no group" : number(g->second.generation.value);
    }
    case Expectation::Kind::committed: {
      auto g = s.groups.find(e.group);
      if (g == s.groups.end()) return "no group";
      auto c = g->second.committed.find(tp.str());
      return c == g->second.committed.end() ? "nothing committed" : number(c->second.offset.value);
    }
    case Expectation::Kind::owner: {
      // As the runner asks: the running consumers whose assignment holds it.
      auto g = s.groups.find(e.group);
      std::vector<std::string> owners;
      if (g != s.groups.end())
        for (const auto& [node, member] : g->second.members) {
          if (node.value < s.nodes.size() && s.nodes[node.value].status == NodeStatus::crashed) continue;
          if (std::find(member.assigned.begin(), member.assigned.end(), tp.str()) != member.assigned.end())
            owners.emplace_back(m.header().node_name(node));
        }
      const bool ok = e.owner.empty() ? owners.empty() : owners == std::vector<std::string>{e.owner};
      std::string seen;
      for (const auto& o : owners) seen += (seen.empty() ? "" : ",") + o;
      return ok ? "ok" : "saw owners {" + seen + "}";
    }
    default: return std::nullopt;
  }
}

TEST_CASE("in every bundled lesson the model shows the state the simulation had at each expectation, "
          "forwards and after seeking back",
          "[viz][scenario][expectations]") {
  const std::string dir = scenarios::bundled_scenario_dir();
  REQUIRE_FALSE(dir.empty());
  std::vector<std::string> files;
  for (const auto& entry : std::filesystem::directory_iterator(dir))
    if (entry.path().extension() == ".json" && entry.path().filename() != "scenario.schema.json")
      files.push_back(entry.path().string());
  std::sort(files.begin(), files.end());
  REQUIRE(files.size() >= 20);
  int judged = 0;
  for (const std::string& file : files) {
    auto loaded = scenarios::load_scenario_file(file);
    REQUIRE(loaded.ok());
    std::vector<const Expectation*> state;
    for (const Expectation& e : loaded.scenario->expect)
      if (e.kind != Expectation::Kind::check && e.kind != Expectation::Kind::running &&
          e.kind != Expectation::Kind::sent && e.kind != Expectation::Kind::acked &&
          e.kind != Expectation::Kind::failed)
        state.push_back(&e);
    if (state.empty()) continue;
    std::string error;
    auto model = ReplayModel::open(file, error);
    REQUIRE(model);
    for (const bool back : {false, true}) {
      for (const Expectation* e : state) {
        if (back) model->seek(model->size());  // then come back to it from the end
        model->seek(e->at_ms ? model->step_at_time(SimTime::from_ms(*e->at_ms)) : model->size());
        const auto verdict = judge(*model, *e);
        REQUIRE(verdict);
        INFO(std::filesystem::path(file).filename().string() << " " << e->path << ": " << e->str()
                                                              << (back ? " (after seeking back)" : ""));
        CHECK(*verdict == "ok");
        ++judged;
      }
    }
  }
  CHECK(judged >= 60);
}

}  // namespace
}  // namespace ksim::viz
