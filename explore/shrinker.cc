#include "explore/shrinker.h"

#include <algorithm>
#include <optional>

#include "scenario_lib/run/scenario_runner.h"
#include "sim/check/registry.h"
#include "explore/liveness.h"

namespace ksim::explore {
namespace {

using Json = nlohmann::ordered_json;

class Shrinker {
 public:
  Shrinker(const Explorer& e, std::string check, int max_runs) : e_(e), check_(std::move(check)), max_runs_(max_runs) {}

  ShrinkResult run(uint64_t seed) {
    ShrinkResult r;
    r.check = check_;
    sc_ = e_.explored(seed, e_.schedule(seed));
    r.faults_before = sc_.faults.size();
    r.records_before = records(sc_);
    if (!fails(sc_)) {
      r.scenario = e_.scenario_json(sc_);
      r.runs = runs_;
      return r;
    }
    r.reproduced = true;
    ddmin();
    shorter_durations();
    rounder_times();
    fewer_records();
    earlier_end();
    finish(seed, r);
    return r;
  }

 private:
  // Records over every producer's workload (a consumer's has none).
  static int64_t records(const scenarios::Scenario& s) {
    int64_t n = 0;
    for (const auto& c : s.clients)
      if (c.workload) n += c.workload->messages;
    return n;
  }

  // Runs a candidate; true when it still fails the check. Remembers the last
  // failing verdict, for the report.
  bool fails(const scenarios::Scenario& candidate) {
    if (runs_ >= max_runs_) return false;
    ++runs_;
    const RunVerdict v = e_.run(candidate);
    // The same failure: the same check, and the same kind of anomaly as the
    // seed's own run (its signature), so a lost write truncated away does not
    // shrink into one that was never committed.
    for (const auto& f : v.findings)
      if (f.check == check_ && (!kind_ || f.kind == *kind_)) {
        last_detail_ = f.detail;
        if (!kind_) kind_ = f.kind;
        return true;
      }
    return false;
  }

  // The faults ddmin may remove. The heal phase is pinned: without it a
  // cluster left broken tells another story (records above a HW that could
  // not move, a group that could not settle), and the shrunk file replays
  // the ending explore ran.
  bool pinned(const scenarios::FaultSpec& f) const { return f.note == kHealPhaseNote; }

  bool try_faults(const std::vector<scenarios::FaultSpec>& free) {
    scenarios::Scenario candidate = sc_;
    candidate.faults = free;
    for (const auto& f : pinned_) candidate.faults.push_back(f);
    if (!fails(candidate)) return false;
    sc_ = std::move(candidate);
    return true;
  }

  void ddmin() {
    std::vector<scenarios::FaultSpec> faults;
    for (const auto& f : sc_.faults) (pinned(f) ? pinned_ : faults).push_back(f);
    size_t n = 2;
    while (faults.size() >= 1 && runs_ < max_runs_) {
      if (faults.size() == 1) {
        if (try_faults({})) faults.clear();
        break;
      }
      n = std::min(n, faults.size());
      const size_t chunk = (faults.size() + n - 1) / n;
      bool reduced = false;
      // Try each subset, then each complement.
      for (size_t start = 0; start < faults.size() && !reduced; start += chunk) {
        std::vector<scenarios::FaultSpec> subset(faults.begin() + static_cast<long>(start),
                                 faults.begin() + static_cast<long>(std::min(faults.size(), start + chunk)));
        if (subset.size() < faults.size() && try_faults(subset)) {
          faults = std::move(subset);
          n = 2;
          reduced = true;
        }
      }
      for (size_t start = 0; start < faults.size() && !reduced; start += chunk) {
        std::vector<scenarios::FaultSpec> complement;
        for (size_t i = 0; i < faults.size(); ++i)
          if (i < start || i >= start + chunk) complement.push_back(faults[i]);
        if (complement.size() < faults.size() && try_faults(complement)) {
          faults = std::move(complement);
          n = std::max<size_t>(n - 1, 2);
          reduced = true;
        }
      }
      if (reduced) continue;
      if (n >= faults.size()) break;
      n = std::min(faults.size(), n * 2);
    }
  }

  // Pauses and holds: halve the duration while it still fails (not below 10 ms).
  void shorter_durations() {
    for (size_t i = 0; i < sc_.faults.size(); ++i) {
      while (sc_.faults[i].action->own_duration() && runs_ < max_runs_) {
        const int64_t d = sc_.faults[i].action->own_duration()->us / 1000;
        if (d / 2 < 10) break;
        scenarios::Scenario candidate = sc_;
        candidate.faults[i].action = sc_.faults[i].action->with_own_duration(millis(d / 2));
        if (!fails(candidate)) break;
        sc_ = std::move(candidate);
      }
    }
  }

  // Times a reader can take in at a glance: whole seconds, else 100 ms steps.
  // Faults stay in time order (ties keep their order), so a restart never
  // moves before its crash.
  void rounder_times() {
    for (size_t i = 0; i < sc_.faults.size(); ++i) {
      const int64_t at = sc_.faults[i].trigger.at_ms;
      const int64_t before = i == 0 ? 0 : sc_.faults[i - 1].trigger.at_ms;
      for (int64_t step : {int64_t{1000}, int64_t{100}}) {
        const int64_t rounded = at / step * step;
        if (rounded == at || rounded < before) continue;
        scenarios::Scenario candidate = sc_;
        candidate.faults[i].trigger.at_ms = rounded;
        if (fails(candidate)) {
          sc_ = std::move(candidate);
          break;
        }
      }
    }
  }

  void fewer_records() {
    for (size_t c = 0; c < sc_.clients.size(); ++c) {
      // Only producers' workloads count records; a consumer's has none.
      while (runs_ < max_runs_ && sc_.clients[c].workload) {
        const int64_t m = sc_.clients[c].workload->messages;
        if (m / 2 < 1) break;
        scenarios::Scenario candidate = sc_;
        candidate.clients[c].workload->messages = m / 2;
        if (!fails(candidate)) break;
        sc_ = std::move(candidate);
      }
    }
  }

  // The run need not go on long after the last fault: try ending it the
  // convergence time after the last fault (the checks judge the end state).
  void earlier_end() {
    int64_t last = 0;
    for (const auto& f : sc_.faults) last = std::max(last, f.trigger.at_ms);
    const int64_t end = last + e_.options().converge_ms;
    if (end >= sc_.run_until_ms) return;
    scenarios::Scenario candidate = sc_;
    candidate.run_until_ms = end;
    if (fails(candidate)) sc_ = std::move(candidate);
  }

  void finish(uint64_t seed, ShrinkResult& r) {
    Json expect = Json::array();
    if (check_ == kLiveness) {
      // Which partitions are stuck in the shrunk run: judged again from its end state.
      scenarios::RunOptions lean;
      lean.keep_all_trace_events = false;  // nothing here reads the events; the checkers stream
      scenarios::ScenarioRun run(sc_, lean);
      const scenarios::RunResult result = run.run();
      const std::vector<GroupView> groups = view_groups(run, sc_);
      const LivenessVerdict live = judge_liveness(result.partitions, groups);
      for (const PartitionView* p : live.stuck)
        for (const auto& text : liveness_expectation_texts(*p)) expect.push_back(Json::parse(text));
      for (const GroupView* g : live.stuck_groups)
        for (const auto& text : liveness_expectation_texts(*g)) expect.push_back(Json::parse(text));
    } else {
      // Checks may be spelt either way (lost_write, lost-write): compare canonical names.
      for (const auto& e : e_.judged_checks()) {
        const check::CheckerInfo* info = check::find_checker(e.value("check", std::string()));
        if (check_ == kInvariant || (info != nullptr && info->name == check_)) expect.push_back(e);
      }
    }
    Json doc = e_.scenario_json(sc_);
    const std::string base_name = doc.value("name", std::string("scenario"));
    const std::string signature = kind_ && !kind_->empty() ? check_ + ":" + *kind_ : check_;
    std::string sets;
    for (const auto& o : e_.overrides()) sets += " --set " + o;
    // The base's name describes the base: with overrides it may no longer
    // hold (an "acks=all" base run with acks=1), so the name says them too.
    doc["name"] = base_name + " [shrunk: " + signature + ", explore seed " + std::to_string(seed) +
                  (sets.empty() ? std::string() : ", with" + sets) + "]";
    doc["description"] = "Written by ksim explore: seed " + std::to_string(seed) + " of " + base_name +
                          (sets.empty() ? std::string() : " (with" + sets + ", already applied here)") +
                          " failed " + signature + "; this is its fault schedule shrunk from " +
                          std::to_string(r.faults_before) + " to " + std::to_string(sc_.faults.size()) +
                          " faults and from " + std::to_string(r.records_before) + " to " +
                          std::to_string(records(sc_)) + " records, with the same failure: " + last_detail_;
    doc["expect"] = expect;
    r.scenario = doc;
    r.faults_after = doc["faults"].size();
    r.records_after = records(sc_);
    r.runs = runs_;
    r.detail = last_detail_;
    r.signature = kind_ && !kind_->empty() ? check_ + ":" + *kind_ : check_;
  }

  const Explorer& e_;
  std::string check_;
  int max_runs_;
  int runs_ = 0;
  scenarios::Scenario sc_;  // the smallest failing candidate so far
  std::vector<scenarios::FaultSpec> pinned_;  // the heal phase, for a liveness failure
  std::string last_detail_;
  std::optional<std::string> kind_;  // the seed's own finding's kind, once its run failed
};

}  // namespace

ShrinkResult shrink_seed(const Explorer& explorer, uint64_t seed, const std::string& check, int max_runs) {
  return Shrinker(explorer, check, max_runs).run(seed);
}

}  // namespace ksim::explore
