#include "explore/schedule_generator.h"

#include <algorithm>
#include <cmath>

#include "core/base/rng.h"

namespace ksim::explore {
namespace {

using Json = nlohmann::ordered_json;

class Generator {
 public:
  Generator(const scenarios::Scenario& base, uint64_t seed, const ExploreOptions& o)
      : base_(base), o_(o), rng_(Rng::stream(seed, "explore")) {
    for (const auto& t : base_.topics)
      for (int32_t p = 0; p < t.partitions; ++p) partitions_.push_back(t.name + "-" + std::to_string(p));
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
                     [](const Json& a, const Json& b) { return a["at_ms"].get<int64_t>() < b["at_ms"].get<int64_t>(); });
    for (auto& e : entries_) s.faults.push_back(std::move(e));
    // The heal phase.
    s.faults.push_back(Json{{"at_ms", s.phase_end_ms}, {"heal", "all"}, {"note", kHealPhaseNote}});
    s.faults.push_back(Json{{"at_ms", s.phase_end_ms}, {"restart", "controller"}, {"note", kHealPhaseNote}});
    for (int32_t b = 1; b <= base_.brokers; ++b)
      s.faults.push_back(Json{{"at_ms", s.phase_end_ms}, {"restart", scenarios::broker_name(b)}, {"note", kHealPhaseNote}});
    return s;
  }

 private:
  void choose_kinds(FaultSchedule& s) {
    const auto& kinds = o_.kinds;
    for (FaultKind k : kinds) {
      const bool keep = !o_.swarm || rng_.chance(0.5);
      const int64_t weight = o_.swarm ? rng_.between(1, 10) : 1;
      if (keep && usable(k)) {
        s.enabled.push_back(k);
        weights_.push_back(weight);
      }
    }
    if (s.enabled.empty()) {
      std::vector<FaultKind> usable_kinds;
      for (FaultKind k : kinds)
        if (usable(k)) usable_kinds.push_back(k);
      if (usable_kinds.empty()) return;
      s.enabled.push_back(usable_kinds[rng_.below(usable_kinds.size())]);
      weights_.push_back(1);
    }
  }

  // Kinds that need something the scenario lacks (a client to drop acks to,
  // a partition to hold fetches of) are never drawn for it.
  bool usable(FaultKind k) const {
    if (k == FaultKind::drop) return !clients_.empty() && !partitions_.empty();
    if (k == FaultKind::hold) return !partitions_.empty();
    return true;
  }

  FaultKind pick_kind(const FaultSchedule& s) {
    int64_t total = 0;
    for (int64_t w : weights_) total += w;
    int64_t r = static_cast<int64_t>(rng_.below(static_cast<uint64_t>(total)));
    for (size_t i = 0; i < weights_.size(); ++i) {
      if (r < weights_[i]) return s.enabled[i];
      r -= weights_[i];
    }
    return s.enabled.back();
  }

  std::string pick_partition() { return partitions_[rng_.below(partitions_.size())]; }
  std::string pick_broker() { return scenarios::broker_name(static_cast<int32_t>(rng_.between(1, base_.brokers))); }

  // A broker by role (most of the time: that is where the interesting state is),
  // a broker by name, or the controller.
  std::string pick_process_target(bool* by_role) {
    const uint64_t r = rng_.below(10);
    *by_role = false;
    if (!partitions_.empty() && r < 4) {
      *by_role = true;
      return "leader(" + pick_partition() + ")";
    }
    if (!partitions_.empty() && r < 6) {
      *by_role = true;
      return "follower(" + pick_partition() + ")";
    }
    if (r < 9) return pick_broker();
    return "controller";
  }

  // Every node a link fault may name: the controller, the brokers, the clients.
  std::vector<std::string> link_nodes() const {
    std::vector<std::string> nodes{"controller"};
    for (int32_t b = 1; b <= base_.brokers; ++b) nodes.push_back(scenarios::broker_name(b));
    for (const auto& c : clients_) nodes.push_back(c);
    return nodes;
  }

  std::pair<std::string, std::string> pick_link() {
    const auto nodes = link_nodes();
    // At least one broker on the link: client-controller links carry nothing.
    const std::string b = pick_broker();
    std::string a;
    do {
      a = nodes[rng_.below(nodes.size())];
    } while (a == b);
    return rng_.chance(0.5) ? std::pair{a, b} : std::pair{b, a};
  }

  void draw_one(FaultSchedule& s) {
    if (s.enabled.empty()) return;
    const FaultKind kind = pick_kind(s);
    const int64_t start = rng_.between(s.phase_start_ms, s.phase_end_ms - 1);
    const int64_t longest = std::max<int64_t>(1, std::min(o_.max_fault_duration_ms, s.phase_end_ms - start));
    const int64_t duration = rng_.between(std::min<int64_t>(100, longest), longest);
    const int64_t end = start + duration;
    const bool instant = kind == FaultKind::drop;
    if (!instant) {
      int32_t overlapping = 0;
      for (const auto& [a, b] : windows_)
        if (a < end && start < b) ++overlapping;
      if (overlapping >= o_.max_concurrent_faults) return;
      windows_.emplace_back(start, end);
    }
    ++s.drawn;
    const std::string tag = "explore: " + std::string(fault_kind_name(kind));
    switch (kind) {
      case FaultKind::crash:
      case FaultKind::power_loss: {
        bool by_role = false;
        const std::string target = pick_process_target(&by_role);
        add(Json{{"at_ms", start}, {kind == FaultKind::crash ? "crash" : "power_loss", target}});
        if (target == "controller" || !by_role) {
          add(Json{{"at_ms", end}, {"restart", target}});
        } else {
          for (int32_t b = 1; b <= base_.brokers; ++b)
            add(Json{{"at_ms", end}, {"restart", scenarios::broker_name(b)}});
        }
        break;
      }
      case FaultKind::pause: {
        bool by_role = false;
        add(Json{{"at_ms", start}, {"pause", pick_process_target(&by_role)}, {"duration_ms", duration}});
        break;
      }
      case FaultKind::isolate: {
        bool by_role = false;
        add(Json{{"at_ms", start}, {"isolate", pick_process_target(&by_role)}});
        add(Json{{"at_ms", end}, {"heal", "all"}});
        break;
      }
      case FaultKind::partition: {
        std::vector<std::string> nodes{"controller"};
        for (int32_t b = 1; b <= base_.brokers; ++b) nodes.push_back(scenarios::broker_name(b));
        // Fisher-Yates with the run's Rng, then a split point 1..n-1.
        for (size_t i = nodes.size() - 1; i > 0; --i) std::swap(nodes[i], nodes[rng_.below(i + 1)]);
        const size_t split = 1 + rng_.below(nodes.size() - 1);
        Json a = Json::array(), b = Json::array();
        for (size_t i = 0; i < nodes.size(); ++i) (i < split ? a : b).push_back(nodes[i]);
        for (const auto& c : clients_) {
          const uint64_t side = rng_.below(3);  // with one side, the other, or free to talk to both
          if (side == 0) a.push_back(c);
          if (side == 1) b.push_back(c);
        }
        add(Json{{"at_ms", start}, {"partition", Json::array({a, b})}});
        add(Json{{"at_ms", end}, {"heal", "all"}});
        break;
      }
      case FaultKind::cut: {
        const auto [a, b] = pick_link();
        const bool one_way = rng_.chance(0.5);
        Json f{{"at_ms", start}, {"cut", Json::array({a, b})}};
        if (one_way) f["one_way"] = true;
        add(std::move(f));
        add(Json{{"at_ms", end}, {"heal", Json::array({a, b})}});
        break;
      }
      case FaultKind::slow_link: {
        const auto [a, b] = pick_link();
        const int64_t delay = rng_.between(20, 2000);
        add(Json{{"at_ms", start}, {"slow_link", Json::array({a, b})}, {"extra_delay_ms", delay}});
        add(Json{{"at_ms", end}, {"slow_link", Json::array({a, b})}, {"extra_delay_ms", 0}});
        break;
      }
      case FaultKind::lossy_link: {
        const auto [a, b] = pick_link();
        const double loss = static_cast<double>(rng_.between(5, 50)) / 100.0;
        add(Json{{"at_ms", start}, {"lossy_link", Json::array({a, b})}, {"loss", loss}});
        add(Json{{"at_ms", end}, {"lossy_link", Json::array({a, b})}, {"loss", 0}});
        break;
      }
      case FaultKind::drop: {
        const std::string tp = pick_partition();
        const std::string client = clients_[rng_.below(clients_.size())];
        Json sel{{"type", "ProduceResponse"}, {"from", "leader(" + tp + ")"}, {"to", client}};
        sel["nth"] = rng_.between(1, 3);
        sel["count"] = rng_.between(1, 2);
        add(Json{{"at_ms", start}, {"drop", sel}});
        break;
      }
      case FaultKind::hold: {
        const std::string tp = pick_partition();
        const bool from_leader = rng_.chance(0.5);
        Json sel = from_leader ? Json{{"type", "FetchResponse"}, {"from", "leader(" + tp + ")"}}
                               : Json{{"type", "Fetch"}, {"from", "follower(" + tp + ")"}};
        add(Json{{"at_ms", start}, {"hold", sel}, {"id", "hold-" + std::to_string(++holds_)}, {"duration_ms", duration}});
        break;
      }
    }
  }

  void add(Json f) { entries_.push_back(std::move(f)); }

  const scenarios::Scenario& base_;
  const ExploreOptions& o_;
  Rng rng_;
  std::vector<std::string> partitions_;
  std::vector<std::string> clients_;
  std::vector<int64_t> weights_;
  std::vector<std::pair<int64_t, int64_t>> windows_;
  std::vector<Json> entries_;
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
