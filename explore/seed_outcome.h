#pragma once
// SeedOutcome: what one explored seed showed, and its JSON line.
//
// `ksim explore --out RESULTS.jsonl` writes one line per seed, in seed order:
//
//   {"seed":17,"ok":false,"findings":[{"check":"lost-write","detail":"1 found, e.g. ..."}],
//    "faults":9,"kinds":["crash","drop"],"events":48211,"trace_hash":"9c0e..."}
//
// Lines carry nothing that depends on the machine, the thread or the wall
// clock, so shards' files merge by concatenation (and sorting by seed), and a
// sweep's file is the same whatever --jobs was.
#include <cstdint>
#include <nlohmann/json.hpp>
#include <string>
#include <vector>

namespace ksim::explore {

// One thing a seed's run found: a check expectation that failed ("lost-write"),
// "liveness" (the cluster did not converge after the heal) or "invariant" (an
// internal invariant failed: a bug in ksim or in the modelled protocol).
struct Finding {
  std::string check;
  std::string detail;  // what the run showed, in the check's words
  // The first anomaly's kind, when the check tells kinds apart
  // (check::AnomalyExample::kind): with `check`, the finding's signature.
  std::string kind = {};
  // "lost-write:gone", or the check alone.
  std::string signature() const { return kind.empty() ? check : check + ":" + kind; }
};

inline constexpr const char* kLiveness = "liveness";
inline constexpr const char* kInvariant = "invariant";

struct SeedOutcome {
  uint64_t seed = 0;
  std::vector<std::string> kinds;  // the fault kinds swarm selection enabled
  size_t faults = 0;               // fault entries in the schedule (with restarts and heals)
  std::vector<Finding> findings;   // empty: every check held and the cluster converged
  uint64_t events = 0;
  uint64_t trace_hash = 0;

  bool ok() const { return findings.empty(); }
  bool found(const std::string& check) const;
  nlohmann::ordered_json to_json() const;
  std::string json_line() const { return to_json().dump(); }
};

}  // namespace ksim::explore
