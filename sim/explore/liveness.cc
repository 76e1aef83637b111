#include "sim/explore/liveness.h"

#include <algorithm>

namespace ksim::explore {
namespace {

std::string ids_text(const std::vector<int32_t>& ids) {
  std::string out = "[";
  for (size_t i = 0; i < ids.size(); ++i) out += (i ? ", " : "") + std::to_string(ids[i]);
  return out + "]";
}

}  // namespace

LivenessVerdict judge_liveness(const std::vector<PartitionView>& partitions) {
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

}  // namespace ksim::explore
