#include "explore/schedule_generator.h"

#include <algorithm>

#include "core/base/rng.h"
#include "sim/fault/kinds/kinds.h"

namespace ksim::explore {
namespace {

// The random choices of one seed's schedule. It is the FaultDraw each kind's
// draw() uses (sim/fault/fault_kind.h) for the window being drawn.
class Generator final : public FaultDraw {
 public:
  Generator(const scenarios::Scenario& base, uint64_t seed, const ExploreOptions& o)
      : base_(base), o_(o), rng_(Rng::stream(seed, "explore")) {
    for (const auto& t : base_.topics)
      for (int32_t p = 0; p < t.partitions; ++p) partitions_.push_back(TopicPartition{t.name, PartitionId(p)});
    for (const auto& c : base_.clients) clients_.push_back(c.id);
  }

  FaultSchedule run() {
    FaultSchedule s;
    s.phase_start_ms = fault_phase_start_ms(base_);
    s.phase_end_ms = std::max(base_.run_until_ms, s.phase_start_ms + 1);
    choose_kinds(s);
    const int64_t count = rng_.between(1, std::max<int32_t>(1, o_.max_faults));
    for (int64_t i = 0; i < count; ++i) draw_one(s);
    std::stable_sort(entries_.begin(), entries_.end(),
                     [](const auto& a, const auto& b) { return a.first < b.first; });
    for (auto& [at, action] : entries_) push(s, at, std::move(action), "");
    // The heal phase.
    push(s, s.phase_end_ms, faults::make_heal_all(), kHealPhaseNote);
    push(s, s.phase_end_ms, faults::make_restart(FaultTarget::named("controller")), kHealPhaseNote);
    for (int32_t b = 1; b <= base_.brokers; ++b)
      push(s, s.phase_end_ms, faults::make_restart(FaultTarget::named(scenarios::broker_name(b))), kHealPhaseNote);
    return s;
  }

  // --- FaultDraw ---
  Rng& rng() override { return rng_; }
  int64_t start_ms() const override { return start_; }
  int64_t end_ms() const override { return start_ + duration_; }
  int64_t duration_ms() const override { return duration_; }
  int32_t brokers() const override { return base_.brokers; }
  const std::vector<std::string>& clients() const override { return clients_; }
  bool has_partitions() const override { return !partitions_.empty(); }
  TopicPartition partition() override { return partitions_[rng_.below(partitions_.size())]; }
  std::string broker() override { return scenarios::broker_name(static_cast<int32_t>(rng_.between(1, base_.brokers))); }
  std::string next_hold_id() override { return "hold-" + std::to_string(++holds_); }
  void add(int64_t at_ms, FaultAction action) override { entries_.emplace_back(at_ms, std::move(action)); }

  // A broker by role (most of the time: that is where the interesting state is),
  // a broker by name, or the controller.
  FaultTarget process_target(bool* by_role) override {
    const uint64_t r = rng_.below(10);
    *by_role = false;
    if (!partitions_.empty() && r < 4) {
      *by_role = true;
      return FaultTarget::leader_of(partition());
    }
    if (!partitions_.empty() && r < 6) {
      *by_role = true;
      return FaultTarget::follower_of(partition());
    }
    if (r < 9) return FaultTarget::named(broker());
    return FaultTarget::named("controller");
  }

  std::pair<FaultTarget, FaultTarget> link() override {
    // Every node a link fault may name: the controller, the brokers, the clients.
    std::vector<std::string> nodes{"controller"};
    for (int32_t b = 1; b <= base_.brokers; ++b) nodes.push_back(scenarios::broker_name(b));
    for (const auto& c : clients_) nodes.push_back(c);
    // At least one broker on the link: client-controller links carry nothing.
    const std::string b = broker();
    std::string a;
    do {
      a = nodes[rng_.below(nodes.size())];
    } while (a == b);
    if (rng_.chance(0.5)) return {FaultTarget::named(a), FaultTarget::named(b)};
    return {FaultTarget::named(b), FaultTarget::named(a)};
  }

 private:
  void choose_kinds(FaultSchedule& s) {
    const auto& kinds = o_.kinds;
    for (const FaultKind* k : kinds) {
      const bool keep = !o_.swarm || rng_.chance(0.5);
      const int64_t weight = o_.swarm ? rng_.between(1, 10) : 1;
      if (keep && usable(k)) {
        s.enabled.push_back(k);
        weights_.push_back(weight);
      }
    }
    if (s.enabled.empty()) {
      std::vector<const FaultKind*> usable_kinds;
      for (const FaultKind* k : kinds)
        if (usable(k)) usable_kinds.push_back(k);
      if (usable_kinds.empty()) return;
      s.enabled.push_back(usable_kinds[rng_.below(usable_kinds.size())]);
      weights_.push_back(1);
    }
  }

  // Kinds that need something the scenario lacks (a client to drop acks to,
  // a partition to hold fetches of) are never drawn for it.
  bool usable(const FaultKind* k) const { return k->draw && (!k->drawable_in || k->drawable_in(*this)); }

  const FaultKind* pick_kind(const FaultSchedule& s) {
    int64_t total = 0;
    for (int64_t w : weights_) total += w;
    int64_t r = static_cast<int64_t>(rng_.below(static_cast<uint64_t>(total)));
    for (size_t i = 0; i < weights_.size(); ++i) {
      if (r < weights_[i]) return s.enabled[i];
      r -= weights_[i];
    }
    return s.enabled.back();
  }

  void draw_one(FaultSchedule& s) {
    if (s.enabled.empty()) return;
    const FaultKind* kind = pick_kind(s);
    start_ = rng_.between(s.phase_start_ms, s.phase_end_ms - 1);
    const int64_t longest = std::max<int64_t>(1, std::min(o_.max_fault_duration_ms, s.phase_end_ms - start_));
    duration_ = rng_.between(std::min<int64_t>(100, longest), longest);
    if (!kind->instant) {
      const int64_t end = start_ + duration_;
      int32_t overlapping = 0;
      for (const auto& [a, b] : windows_)
        if (a < end && start_ < b) ++overlapping;
      if (overlapping >= o_.max_concurrent_faults) return;
      windows_.emplace_back(start_, end);
    }
    ++s.drawn;
    kind->draw(*this);
  }

  static void push(FaultSchedule& s, int64_t at_ms, FaultAction action, std::string note) {
    scenarios::FaultSpec f;
    f.path = "faults[" + std::to_string(s.faults.size()) + "]";
    f.trigger.kind = scenarios::Trigger::Kind::at;
    f.trigger.at_ms = at_ms;
    f.action = std::move(action);
    f.note = std::move(note);
    s.faults.push_back(std::move(f));
  }

  const scenarios::Scenario& base_;
  const ExploreOptions& o_;
  Rng rng_;
  std::vector<TopicPartition> partitions_;
  std::vector<std::string> clients_;
  std::vector<int64_t> weights_;
  std::vector<std::pair<int64_t, int64_t>> windows_;
  std::vector<std::pair<int64_t, FaultAction>> entries_;
  int64_t start_ = 0;
  int64_t duration_ = 0;
  int holds_ = 0;
};

}  // namespace

int64_t fault_phase_start_ms(const scenarios::Scenario& base) {
  int64_t start = -1;
  for (const auto& c : base.clients)
    if (c.workload && (start < 0 || c.workload->start_ms < start)) start = c.workload->start_ms;
  return start < 0 ? 2500 : start;
}

FaultSchedule generate_schedule(const scenarios::Scenario& base, uint64_t seed, const ExploreOptions& options) {
  return Generator(base, seed, options).run();
}

}  // namespace ksim::explore
