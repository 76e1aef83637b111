#include "explore/seed_outcome.h"

#include <cstdio>

namespace ksim::explore {

bool SeedOutcome::found(const std::string& check) const {
  for (const auto& f : findings)
    if (f.check == check) return true;
  return false;
}

nlohmann::ordered_json SeedOutcome::to_json() const {
  nlohmann::ordered_json j = nlohmann::ordered_json::object();
  j["seed"] = seed;
  j["ok"] = ok();
  nlohmann::ordered_json f = nlohmann::ordered_json::array();
  for (const auto& x : findings) {
    nlohmann::ordered_json one{{"check", x.check}, {"detail", x.detail}};
    if (!x.kind.empty()) one["kind"] = x.kind;
    f.push_back(std::move(one));
  }
  j["findings"] = std::move(f);
  j["faults"] = faults;
  j["kinds"] = kinds;
  j["events"] = events;
  char hash[17];
  std::snprintf(hash, sizeof hash, "%016llx", static_cast<unsigned long long>(trace_hash));
  j["trace_hash"] = hash;
  return j;
}

}  // namespace ksim::explore
