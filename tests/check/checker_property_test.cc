// Properties of the checkers over random runs. A generator writes a consistent
// run (every send appended in order and acked at increasing offsets, identical
// replica logs committed at once, consumer groups polling in order, processing
// what they polled and committing last + 1, with rebalances that re-read from
// the last commit); every checker must find nothing in it. Then exactly one
// anomaly of a random kind is injected, and the checker of that kind must find
// it (others may too: a lost write can also make acks go backwards).
#include <catch2/catch.hpp>
#include <rapidcheck/catch.h>

#include <set>

#include "tests/check/clean_run.h"

namespace ksim::check {
namespace {

using test::TraceBuilder;
using Entries = std::vector<std::pair<int64_t, RecordId>>;

enum class Inject {
  none,
  lost_write,
  duplicate,
  unexpected,
  nonmonotonic_send,
  reorder,
  consumer_lost,
  consumer_duplicate,
  poll_skip,
  nonmonotonic_poll,
  inconsistent_offsets,
  divergent_replicas,
};

const char* checker_for(Inject k) {
  switch (k) {
    case Inject::none: return "";
    case Inject::lost_write: return "lost-write";
    case Inject::duplicate: return "duplicate";
    case Inject::unexpected: return "unexpected";
    case Inject::nonmonotonic_send: return "nonmonotonic-send";
    case Inject::reorder: return "reorder";
    case Inject::consumer_lost: return "consumer-lost";
    case Inject::consumer_duplicate: return "consumer-duplicate";
    case Inject::poll_skip: return "poll-skip";
    case Inject::nonmonotonic_poll: return "nonmonotonic-poll";
    case Inject::inconsistent_offsets: return "inconsistent-offsets";
    case Inject::divergent_replicas: return "divergent-replicas";
  }
  return "";
}

struct PollPlan {
  std::string consumer;
  std::string group;
  int32_t generation = 1;
  std::string tp;
  Entries entries;
  bool process = true;  // process every record, then commit last + 1
};

std::string tp_name(int p) { return "orders-" + std::to_string(p); }

// Writes one random consistent run into `t`, with `inject` applied.
class RandomRun {
 public:
  explicit RandomRun(Inject inject) : inject_(inject) {}

  TraceBuilder build() {
    partitions_ = *rc::gen::inRange(1, 4);
    rf_ = *rc::gen::inRange(2, 4);
    for (int b = 1; b <= rf_; ++b) brokers_.push_back("broker-" + std::to_string(b));
    logs_.resize(static_cast<size_t>(partitions_));
    t_.topic("orders", partitions_);
    std::vector<int32_t> isr;
    for (int b = 1; b <= rf_; ++b) isr.push_back(b);
    for (int p = 0; p < partitions_; ++p) t_.partition_state(tp_name(p), 1, isr);

    backbone();
    random_sends();
    backbone_consumer();
    random_group();
    emit_polls();
    after_the_run();
    return std::move(t_);
  }

 private:
  int64_t end(int p) const { return static_cast<int64_t>(logs_[static_cast<size_t>(p)].size()); }

  void append_everywhere(int p, RecordId r) {
    const int64_t o = end(p);
    for (const auto& b : brokers_) t_.append(b, tp_name(p), o, {r});
    logs_[static_cast<size_t>(p)].push_back(r);
    for (const auto& b : brokers_) t_.hw(b, tp_name(p), end(p));
  }

  // p1 (session 1) sends four records to orders-0, acked at offsets 0-3: the
  // structure every injection can rely on.
  void backbone() {
    std::vector<RecordId> r;
    for (int i = 0; i < 4; ++i) r.push_back(t_.send("p1", "orders-0"));
    t_.tick();
    append_everywhere(0, r[0]);
    append_everywhere(0, r[1]);
    if (inject_ == Inject::reorder) {  // a retried batch r2 lands after r3
      append_everywhere(0, r[3]);
      append_everywhere(0, r[2]);
    } else {
      append_everywhere(0, r[2]);
      append_everywhere(0, r[3]);
    }
    for (int i = 0; i < 4; ++i) {
      int64_t o = position(0, r[static_cast<size_t>(i)]);
      if (inject_ == Inject::nonmonotonic_send && (i == 2 || i == 3)) o = i == 2 ? 3 : 2;
      t_.ack(r[static_cast<size_t>(i)], o);
    }
    backbone_ = r;
    t_.tick();
  }

  int64_t position(int p, RecordId r) const {
    const auto& log = logs_[static_cast<size_t>(p)];
    return std::find(log.begin(), log.end(), r) - log.begin();
  }

  void random_sends() {
    const int n = *rc::gen::inRange(0, 30);
    int64_t session[2] = {1, 1};
    for (int i = 0; i < n; ++i) {
      const int producer = *rc::gen::inRange(0, 2);
      const char* name = producer == 0 ? "p1" : "p2";
      if (*rc::gen::inRange(0, 10) == 9) ++session[producer];  // the producer restarted
      const int p = *rc::gen::inRange(0, partitions_);
      const RecordId r = t_.send(name, tp_name(p), session[producer]);
      t_.tick();
      // RapidCheck draws small values at small sizes and shrinks towards them:
      // 0 is the common case.
      switch (*rc::gen::inRange(0, 8)) {
        case 4:  // failed, yet appended: indeterminate
          append_everywhere(p, r);
          t_.fail(r, "REQUEST_TIMED_OUT", tp_name(p));
          break;
        case 5:  // failed before reaching the log
          t_.fail(r, "NOT_ENOUGH_REPLICAS", tp_name(p));
          break;
        case 6:  // never answered
          break;
        case 7:  // acks=0
          append_everywhere(p, r);
          t_.ack(r, -1, tp_name(p));
          break;
        default:
          append_everywhere(p, r);
          t_.ack(r, end(p) - 1, tp_name(p));
      }
      t_.tick();
    }
  }

  Entries log_range(int p, int64_t from, int64_t to) const {
    Entries out;
    for (int64_t o = from; o < to; ++o) out.emplace_back(o, logs_[static_cast<size_t>(p)][static_cast<size_t>(o)]);
    return out;
  }

  // c1 of group "gb" reads orders-0 from the start in one generation.
  void backbone_consumer() {
    for (int64_t o = 0; o < end(0);) {
      const int64_t size = std::min<int64_t>(*rc::gen::inRange(1, 4), end(0) - o);
      polls_.push_back(PollPlan{"c1", "gb", 1, "orders-0", log_range(0, o, o + size), true});
      o += size;
    }
  }

  // Group "g2" reads every partition, with rebalances that move partitions
  // between c1 and c2 and re-read from the last commit.
  void random_group() {
    int32_t generation = 1;
    for (int p = 0; p < partitions_; ++p) {
      std::string owner = *rc::gen::inRange(0, 2) ? "c1" : "c2";
      int64_t committed = 0;
      int rebalances = 0;
      while (committed < end(p)) {
        const int64_t size = std::min<int64_t>(*rc::gen::inRange(1, 4), end(p) - committed);
        if (rebalances < 3 && *rc::gen::inRange(0, 5) == 4) {
          ++rebalances;
          // The owner polls a chunk it never gets to process; a rebalance follows.
          polls_.push_back(PollPlan{owner, "g2", generation, tp_name(p), log_range(p, committed, committed + size), false});
          ++generation;
          owner = *rc::gen::inRange(0, 2) ? "c1" : "c2";
          continue;
        }
        polls_.push_back(PollPlan{owner, "g2", generation, tp_name(p), log_range(p, committed, committed + size), true});
        committed += size;
      }
    }
  }

  void emit_polls() {
    // The backbone consumer's polls are the first ones in polls_.
    size_t backbone_polls = 0;
    while (backbone_polls < polls_.size() && polls_[backbone_polls].group == "gb") ++backbone_polls;
    switch (inject_) {
      case Inject::poll_skip: {
        // Drop one record that is neither the first nor the last c1 reads.
        Entries all;
        for (size_t i = 0; i < backbone_polls; ++i)
          all.insert(all.end(), polls_[i].entries.begin(), polls_[i].entries.end());
        const auto victim = all[static_cast<size_t>(*rc::gen::inRange<int64_t>(1, static_cast<int64_t>(all.size()) - 1))];
        for (size_t i = 0; i < backbone_polls; ++i) std::erase(polls_[i].entries, victim);
        break;
      }
      case Inject::nonmonotonic_poll: {
        const size_t i = static_cast<size_t>(*rc::gen::inRange<int64_t>(0, static_cast<int64_t>(backbone_polls)));
        PollPlan again = polls_[i];
        again.process = false;
        polls_.insert(polls_.begin() + static_cast<std::ptrdiff_t>(i) + 1, again);
        break;
      }
      case Inject::inconsistent_offsets:
        polls_[0].entries[0].second = backbone_[1];  // c1 reads backbone[1] at offset 0
        break;
      default:
        break;
    }
    bool first_processing = true;
    for (const PollPlan& plan : polls_) {
      if (plan.entries.empty()) continue;
      t_.poll(plan.consumer, plan.group, plan.generation, plan.tp, plan.entries);
      t_.tick();
      if (!plan.process) continue;
      for (auto [o, r] : plan.entries) {
        const bool skip = first_processing && inject_ == Inject::consumer_lost;
        const bool twice = first_processing && inject_ == Inject::consumer_duplicate;
        first_processing = false;
        if (!skip) t_.processed(plan.consumer, plan.group, plan.tp, o, r);
        if (twice) t_.processed(plan.consumer, plan.group, plan.tp, o, r);
      }
      t_.commit(plan.consumer, plan.group, plan.generation, plan.tp, plan.entries.back().first + 1);
      t_.tick();
    }
  }

  // Injections that change the logs once the clients are done.
  void after_the_run() {
    switch (inject_) {
      case Inject::lost_write: {
        // Every replica loses the partition's last acked record (and what follows).
        const History h = t_.history();
        int64_t last_acked = -1;
        for (const Send& s : h.sends)
          if (s.outcome == SendOutcome::acked && h.partitions[s.partition].name.str() == "orders-0")
            last_acked = std::max(last_acked, position(0, s.record));
        for (const auto& b : brokers_) t_.truncate(b, "orders-0", last_acked, "recovery");
        break;
      }
      case Inject::duplicate:
        append_everywhere(0, backbone_[0]);
        break;
      case Inject::unexpected:
        append_everywhere(0, t_.stranger());
        break;
      case Inject::divergent_replicas: {
        // broker-2 comes back with offsets 0 and 1 swapped, below its HW.
        auto log = logs_[0];
        std::swap(log[0], log[1]);
        t_.truncate("broker-2", "orders-0", 0, "recovery");
        t_.append("broker-2", "orders-0", 0, log);
        t_.hw("broker-2", "orders-0", end(0));
        break;
      }
      default:
        break;
    }
  }

  Inject inject_;
  TraceBuilder t_;
  int partitions_ = 1;
  int rf_ = 2;
  std::vector<std::string> brokers_;
  std::vector<std::vector<RecordId>> logs_;
  std::vector<RecordId> backbone_;
  std::vector<PollPlan> polls_;
};

std::string summary(const std::vector<CheckResult>& results) {
  std::string out;
  for (const auto& r : results) {
    out += r.name + "=" + std::to_string(r.count) + " ";
    for (const auto& e : r.examples) out += "\n    " + e.explanation;
    out += "\n";
  }
  return out;
}

TEST_CASE("a consistent random run has no anomaly of any kind", "[check][property]") {
  rc::prop("every checker reports 0", [] {
    const TraceBuilder t = RandomRun(Inject::none).build();
    const History h = t.history();
    RC_ASSERT(h.warnings.empty());
    const auto results = run_all_checks(h);
    RC_LOG() << summary(results);
    for (const auto& r : results) RC_ASSERT(r.count == 0u);
  });
}

TEST_CASE("one injected anomaly of any kind is found by its checker", "[check][property]") {
  // One property per kind, so that each gets its full share of runs.
  for (int k = 1; k <= static_cast<int>(Inject::divergent_replicas); ++k) {
    const auto inject = static_cast<Inject>(k);
    const std::string name = checker_for(inject);
    rc::prop("an injected " + name + " is reported by " + name, [inject, name] {
      const TraceBuilder t = RandomRun(inject).build();
      const History h = t.history();
      RC_LOG() << summary(run_all_checks(h));
      const CheckerInfo* c = find_checker(name);
      RC_ASSERT(c != nullptr);
      RC_ASSERT(c->run(h).count >= 1u);
    });
  }
}

}  // namespace
}  // namespace ksim::check
