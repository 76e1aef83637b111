#include "explore/shrinker.h"

#include <algorithm>

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
    doc_ = e_.scenario_json(seed, e_.schedule(seed));
    r.faults_before = doc_["faults"].size();
    r.records_before = records(doc_);
    if (!fails(doc_)) {
      r.scenario = doc_;
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
  static int64_t records(const Json& doc) {
    int64_t n = 0;
    if (doc.contains("clients"))
      for (const auto& c : doc["clients"])
        if (const auto w = c.find("workload"); w != c.end() && w->is_object())
          if (const auto m = w->find("messages"); m != w->end() && m->is_number()) n += m->get<int64_t>();
    return n;
  }

  // Runs a candidate; true when it still fails the check. Remembers the last
  // failing verdict, for the report.
  bool fails(const Json& doc) {
    if (runs_ >= max_runs_) return false;
    ++runs_;
    const RunVerdict v = e_.run_json(doc);
    for (const auto& f : v.findings)
      if (f.check == check_) {
        last_detail_ = f.detail;
        return true;
      }
    return false;
  }

  // The faults ddmin may remove; for a liveness failure the heal phase is pinned.
  bool pinned(const Json& f) const { return check_ == kLiveness && f.value("note", std::string()) == kHealPhaseNote; }

  bool try_faults(const std::vector<Json>& free) {
    std::vector<Json> all = free;
    for (const auto& f : pinned_) all.push_back(f);
    Json candidate = doc_;
    candidate["faults"] = all;
    if (!fails(candidate)) return false;
    doc_ = std::move(candidate);
    return true;
  }

  void ddmin() {
    std::vector<Json> faults;
    for (const auto& f : doc_["faults"]) (pinned(f) ? pinned_ : faults).push_back(f);
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
        std::vector<Json> subset(faults.begin() + static_cast<long>(start),
                                 faults.begin() + static_cast<long>(std::min(faults.size(), start + chunk)));
        if (subset.size() < faults.size() && try_faults(subset)) {
          faults = std::move(subset);
          n = 2;
          reduced = true;
        }
      }
      for (size_t start = 0; start < faults.size() && !reduced; start += chunk) {
        std::vector<Json> complement;
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
    for (size_t i = 0; i < doc_["faults"].size(); ++i) {
      while (doc_["faults"][i].contains("duration_ms") && runs_ < max_runs_) {
        const int64_t d = doc_["faults"][i]["duration_ms"].get<int64_t>();
        if (d / 2 < 10) break;
        Json candidate = doc_;
        candidate["faults"][i]["duration_ms"] = d / 2;
        if (!fails(candidate)) break;
        doc_ = std::move(candidate);
      }
    }
  }

  // Times a reader can take in at a glance: whole seconds, else 100 ms steps.
  // Faults stay in time order (ties keep their order), so a restart never
  // moves before its crash.
  void rounder_times() {
    for (size_t i = 0; i < doc_["faults"].size(); ++i) {
      const int64_t at = doc_["faults"][i]["at_ms"].get<int64_t>();
      const int64_t before = i == 0 ? 0 : doc_["faults"][i - 1]["at_ms"].get<int64_t>();
      for (int64_t step : {int64_t{1000}, int64_t{100}}) {
        const int64_t rounded = at / step * step;
        if (rounded == at || rounded < before) continue;
        Json candidate = doc_;
        candidate["faults"][i]["at_ms"] = rounded;
        if (fails(candidate)) {
          doc_ = std::move(candidate);
          break;
        }
      }
    }
  }

  void fewer_records() {
    if (!doc_.contains("clients")) return;
    for (size_t c = 0; c < doc_["clients"].size(); ++c) {
      // Only producers' workloads count records; a consumer's has no "messages"
      // (issue 24: reading it threw type_error.302 after a liveness failure).
      while (runs_ < max_runs_) {
        const Json& client = doc_["clients"][c];
        const auto workload = client.find("workload");
        if (workload == client.end() || !workload->is_object()) break;
        const auto messages = workload->find("messages");
        if (messages == workload->end() || !messages->is_number()) break;
        const int64_t m = messages->get<int64_t>();
        if (m / 2 < 1) break;
        Json candidate = doc_;
        candidate["clients"][c]["workload"]["messages"] = m / 2;
        if (!fails(candidate)) break;
        doc_ = std::move(candidate);
      }
    }
  }

  // The run need not go on long after the last fault: try ending it the
  // convergence time after the last fault (the checks judge the end state).
  void earlier_end() {
    int64_t last = 0;
    for (const auto& f : doc_["faults"]) last = std::max(last, f["at_ms"].get<int64_t>());
    const int64_t end = last + e_.options().converge_ms;
    if (end >= doc_["run_until_ms"].get<int64_t>()) return;
    Json candidate = doc_;
    candidate["run_until_ms"] = end;
    if (fails(candidate)) doc_ = std::move(candidate);
  }

  void finish(uint64_t seed, ShrinkResult& r) {
    Json expect = Json::array();
    if (check_ == kLiveness) {
      // Which partitions are stuck in the shrunk run: judged again from its end state.
      auto loaded = scenarios::load_scenario(doc_.dump(), "<shrunk>");
      KSIM_ASSERT(loaded.ok());
      scenarios::RunOptions lean;
      lean.keep_all_trace_events = false;  // nothing here reads the events; the checkers stream
      scenarios::ScenarioRun run(*loaded.scenario, lean);
      const scenarios::RunResult result = run.run();
      const std::vector<GroupView> groups = view_groups(run, *loaded.scenario);
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
    const std::string base_name = doc_.value("name", std::string("scenario"));
    doc_["name"] = base_name + " [shrunk: " + check_ + ", explore seed " + std::to_string(seed) + "]";
    std::string sets;
    for (const auto& o : e_.overrides()) sets += " --set " + o;
    doc_["description"] = "Written by ksim explore: seed " + std::to_string(seed) + " of " + base_name +
                          (sets.empty() ? std::string() : " (with" + sets + ", already applied here)") +
                          " failed " + check_ + "; this is its fault schedule shrunk from " +
                          std::to_string(r.faults_before) + " to " + std::to_string(doc_["faults"].size()) +
                          " faults and from " + std::to_string(r.records_before) + " to " +
                          std::to_string(records(doc_)) + " records, with the same failure: " + last_detail_;
    doc_["expect"] = expect;
    r.scenario = doc_;
    r.faults_after = doc_["faults"].size();
    r.records_after = records(doc_);
    r.runs = runs_;
    r.detail = last_detail_;
  }

  const Explorer& e_;
  std::string check_;
  int max_runs_;
  int runs_ = 0;
  Json doc_;
  std::vector<Json> pinned_;  // the heal phase, for a liveness failure
  std::string last_detail_;
};

}  // namespace

ShrinkResult shrink_seed(const Explorer& explorer, uint64_t seed, const std::string& check, int max_runs) {
  return Shrinker(explorer, check, max_runs).run(seed);
}

}  // namespace ksim::explore
