#include "explore/liveness.h"

#include <algorithm>

#include "scenario_lib/run/scenario_runner.h"

namespace ksim::explore {
namespace {

std::string ids_text(const std::vector<int32_t>& ids) {
  std::string out = "[";
  for (size_t i = 0; i < ids.size(); ++i) out += (i ? ", " : "") + std::to_string(ids[i]);
  return out + "]";
}

}  // namespace

std::vector<GroupView> view_groups(scenarios::ScenarioRun& run, const scenarios::Scenario& scenario) {
  // Groups in the order their first consumer appears; each with all its consumers.
  std::vector<std::pair<std::string, std::vector<std::string>>> groups;
  for (const auto& c : scenario.clients) {
    if (!c.consumer || !c.consumer->config.group_id || c.consumer->config.group_id->empty()) continue;
    const std::string& g = *c.consumer->config.group_id;
    auto it = std::find_if(groups.begin(), groups.end(), [&](const auto& x) { return x.first == g; });
    if (it == groups.end()) it = groups.insert(groups.end(), {g, {}});
    it->second.push_back(c.id);
  }
  std::vector<GroupView> views;
  for (const auto& [g, consumers] : groups) views.push_back(view_group(run.cluster(), g, consumers));
  return views;
}

LivenessVerdict judge_liveness(const std::vector<PartitionView>& partitions, const std::vector<GroupView>& groups) {
  LivenessVerdict v;
  for (const PartitionView& p : partitions) {
    std::vector<int32_t> replicas = p.replicas;
    std::sort(replicas.begin(), replicas.end());
    std::string why;
    if (p.leader < 0) why = "no leader";
    if (p.isr != replicas) why += (why.empty() ? "" : ", ") + std::string("ISR ") + ids_text(p.isr) + " of replicas " + ids_text(replicas);
    if (why.empty()) continue;
    v.converged = false;
    v.stuck.push_back(&p);
    v.detail += (v.detail.empty() ? "" : "; ") + p.tp.str() + ": " + why;
  }
  for (const GroupView& g : groups) {
    const std::string why = g.unsettled();
    if (why.empty()) continue;
    v.converged = false;
    v.stuck_groups.push_back(&g);
    v.detail += (v.detail.empty() ? "" : "; ") + std::string("group ") + g.group + ": " + why;
  }
  return v;
}

std::vector<std::string> liveness_expectation_texts(const PartitionView& view) {
  std::vector<int32_t> replicas = view.replicas;
  std::sort(replicas.begin(), replicas.end());
  std::string isr;
  for (size_t i = 0; i < replicas.size(); ++i) isr += (i ? ", " : "") + std::string("\"broker-") + std::to_string(replicas[i]) + "\"";
  return {
      "{\"isr\": \"" + view.tp.str() + "\", \"is\": [" + isr + "], \"note\": \"liveness: every replica is back in the ISR after the heal\"}",
      "{\"hw\": \"" + view.tp.str() + "\", \"at_least\": 0, \"note\": \"liveness: the partition has a leader after the heal\"}",
  };
}

std::vector<std::string> liveness_expectation_texts(const GroupView& view) {
  std::string members;
  for (const auto& c : view.consumers) members += (members.empty() ? "\"" : ", \"") + c.id + "\"";
  return {"{\"group_state\": \"" + view.group + "\", \"is\": \"Stable\", \"members\": [" + members +
          "], \"note\": \"liveness: the group is Stable with every consumer that is up after the heal\"}"};
}

}  // namespace ksim::explore
