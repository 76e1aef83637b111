#include "tests/viz/sample_story.h"

#include <algorithm>
#include <functional>
#include <map>
#include <set>
#include <string>

namespace ksim::test {
namespace {

// A toy replication model, just enough to write a consistent trace: leader
// appends, follower fetches with a HW that lags one round, ISR changes,
// elections, truncation by leader epoch. Operations run in time order from an
// agenda; each one emits its trace events around its time.
class Story {
 public:
  explicit Story(TraceBuilder& b) : b_(b) {}

  struct Replica {
    std::vector<RecordId> log;
    std::vector<int32_t> epochs;
    int64_t hw = 0;
    int64_t leo() const { return static_cast<int64_t>(log.size()); }
  };
  struct Part {
    std::vector<int32_t> replicas;
    int32_t leader = -1;
    int32_t epoch = -1;
    int32_t partition_epoch = -1;
    std::vector<int32_t> isr;
    std::map<int32_t, Replica> reps;
    std::map<int32_t, int64_t> known_leo;  // the leader's view of each follower
  };

  static std::string broker(int32_t id) { return "broker-" + std::to_string(id); }
  Part& part(int p) { return parts_[p]; }
  bool up(const std::string& n) const { return !down_.count(n); }
  bool cut(const std::string& n) const { return isolated_.count(n) > 0; }

  void create(double t) {
    b_.at(t, "controller", trace::TopicCreated{"orders", 2, 3, {{1, 2, 3}, {2, 3, 1}}});
    parts_[0].replicas = {1, 2, 3};
    parts_[1].replicas = {2, 3, 1};
    for (int p = 0; p < 2; ++p) {
      for (int32_t r : parts_[p].replicas) parts_[p].reps[r];
      elect(t + 0.5, p, parts_[p].replicas[0], parts_[p].replicas, "created");
    }
  }

  void elect(double t, int p, int32_t leader, std::vector<int32_t> isr, const std::string& reason) {
    Part& pt = parts_[p];
    const bool new_leader = leader != pt.leader;
    if (new_leader) ++pt.epoch;
    ++pt.partition_epoch;
    pt.leader = leader;
    pt.isr = isr;
    b_.at(t, "controller",
          trace::PartitionChanged{"orders", PartitionId(p), BrokerId(leader), LeaderEpoch(pt.epoch), pt.partition_epoch,
                                  isr, {}, pt.replicas, reason});
    if (!new_leader) {
      leader_hw(t + 0.3, p);
      return;
    }
    for (int32_t r : pt.replicas) {
      if (!up(broker(r)) || cut(broker(r))) continue;
      b_.message(t, "controller", broker(r), "LeaderAndIsr", 0.5);
      b_.at(t + 0.5, broker(r),
            trace::ReplicaRoleChanged{"orders", PartitionId(p), r == leader ? "leader" : "follower", BrokerId(leader),
                                      LeaderEpoch(pt.epoch)});
    }
    pt.known_leo.clear();
    leader_hw(t + 0.6, p);
  }

  void shrink_or_expand(double t, int p, std::vector<int32_t> isr, const std::string& why, const std::string& reason) {
    Part& pt = parts_[p];
    b_.at(t, broker(pt.leader), trace::IsrChangeProposed{"orders", PartitionId(p), isr, why});
    b_.message(t, broker(pt.leader), "controller", "AlterPartition", 1.5);
    elect(t + 4, p, pt.leader, isr, reason);
  }

  void append(double t, int p, int32_t on, const std::vector<RecordId>& recs, const std::vector<int32_t>& epochs,
              bool as_leader) {
    Replica& r = parts_[p].reps[on];
    size_t i = 0;
    while (i < recs.size()) {  // one batch per run of equal epochs
      size_t j = i;
      while (j < recs.size() && epochs[j] == epochs[i]) ++j;
      const Offset base(r.leo());
      std::vector<RecordId> batch(recs.begin() + static_cast<std::ptrdiff_t>(i), recs.begin() + static_cast<std::ptrdiff_t>(j));
      for (size_t k = i; k < j; ++k) {
        r.log.push_back(recs[k]);
        r.epochs.push_back(epochs[k]);
      }
      b_.at(t, broker(on),
            trace::LogAppended{"orders", PartitionId(p), base, LeaderEpoch(epochs[i]), ProducerId(-1), batch,
                               Offset(r.leo()), as_leader});
      i = j;
    }
  }

  void set_hw(double t, int p, int32_t on, int64_t hw) {
    Replica& r = parts_[p].reps[on];
    if (hw == r.hw) return;
    b_.at(t, broker(on), trace::HighWatermarkChanged{"orders", PartitionId(p), Offset(r.hw), Offset(hw)});
    r.hw = hw;
  }

  // Kafka's rule: the leader's HW is the smallest LEO in the ISR, and never goes back.
  void leader_hw(double t, int p) {
    Part& pt = parts_[p];
    int64_t hw = pt.reps[pt.leader].leo();
    for (int32_t r : pt.isr)
      if (r != pt.leader) hw = std::min(hw, pt.known_leo.count(r) ? pt.known_leo[r] : 0);
    if (hw > pt.reps[pt.leader].hw) set_hw(t, p, pt.leader, hw);
  }

  RecordId produce(double t, int p) {
    Part& pt = parts_[p];
    const RecordId id = make_record_id(b_.node("p1"), ++sends_);
    b_.at(t - 1.5, "p1", trace::ProducerSend{id, "orders", PartitionId(p), "", false, 1});
    b_.message(t - 1.5, "p1", broker(pt.leader), "Produce", 1.5);
    const Offset at(pt.reps[pt.leader].leo());
    append(t, p, pt.leader, {id}, {pt.epoch}, true);
    leader_hw(t, p);
    // acks=1: acknowledged once the leader alone has it.
    b_.message(t, broker(pt.leader), "p1", "ProduceResponse", 1.5);
    b_.at(t + 1.5, "p1", trace::ProducerAcked{id, "orders", PartitionId(p), at});
    return id;
  }

  void fetch(double t, int p, int32_t follower) {
    Part& pt = parts_[p];
    const std::string f = broker(follower), l = broker(pt.leader);
    if (!up(f) || follower == pt.leader) return;
    if (!up(l) || cut(f) || cut(l)) {
      b_.at(t - 1, f, trace::MessageDropped{next_drop_id_++, b_.node(l), "Fetch", up(l) ? "link_down" : "receiver_down"});
      return;
    }
    Replica& fr = pt.reps[follower];
    Replica& lr = pt.reps[pt.leader];
    b_.message(t - 1, f, l, "Fetch", 1);
    pt.known_leo[follower] = fr.leo();
    leader_hw(t, p);
    b_.message(t, l, f, "FetchResponse", 1);
    std::vector<RecordId> recs(lr.log.begin() + fr.leo(), lr.log.end());
    std::vector<int32_t> epochs(lr.epochs.begin() + fr.leo(), lr.epochs.end());
    if (!recs.empty()) append(t + 1, p, follower, recs, epochs, false);
    set_hw(t + 1, p, follower, std::min(lr.hw, fr.leo()));
  }

  // KIP-101: the follower asks where its last epoch ends on the leader and
  // truncates above it.
  void truncate_by_epoch(double t, int p, int32_t follower) {
    Part& pt = parts_[p];
    Replica& fr = pt.reps[follower];
    Replica& lr = pt.reps[pt.leader];
    const int32_t last_epoch = fr.epochs.empty() ? -1 : fr.epochs.back();
    int64_t end = 0;  // where last_epoch ends on the leader
    while (end < lr.leo() && lr.epochs[static_cast<size_t>(end)] <= last_epoch) ++end;
    const int64_t to = std::min(end, fr.leo());
    b_.message(t - 2, broker(follower), broker(pt.leader), "OffsetsForLeaderEpoch", 1);
    b_.message(t - 1, broker(pt.leader), broker(follower), "OffsetsForLeaderEpochResponse", 1);
    std::vector<RecordId> removed(fr.log.begin() + to, fr.log.end());
    fr.log.resize(static_cast<size_t>(to));
    fr.epochs.resize(static_cast<size_t>(to));
    b_.at(t, broker(follower), trace::LogTruncated{"orders", PartitionId(p), Offset(to), removed, "leader_epoch"});
    if (fr.hw > to) fr.hw = to;
    truncated_ = removed;
  }

  void poll(double t, const std::string& consumer, int p, GenerationId gen) {
    Part& pt = parts_[p];
    if (!up(consumer) || !up(broker(pt.leader))) return;
    const std::string l = broker(pt.leader);
    int64_t& pos = position_[p];  // one group: a new owner resumes where the last one committed
    const Replica& lr = pt.reps[pt.leader];
    b_.message(t - 1, consumer, l, "Fetch", 1);
    b_.message(t, l, consumer, "FetchResponse", 1);
    if (pos >= lr.hw) return;
    std::vector<Offset> offs;
    std::vector<RecordId> recs;
    for (int64_t o = pos; o < lr.hw; ++o) {
      offs.push_back(Offset(o));
      recs.push_back(lr.log[static_cast<size_t>(o)]);
    }
    b_.at(t + 1, consumer, trace::ConsumerPolled{"g1", gen, "orders", PartitionId(p), offs, recs});
    for (size_t i = 0; i < offs.size(); ++i)
      b_.at(t + 1.5, consumer, trace::RecordProcessed{"g1", "orders", PartitionId(p), offs[i], recs[i]});
    pos = lr.hw;
    b_.message(t + 2, consumer, "broker-2", "OffsetCommit", 1);
    b_.at(t + 3.5, consumer, trace::OffsetCommitted{"g1", gen, "orders", PartitionId(p), Offset(pos), "NONE"});
  }

  void crash(double t, const std::string& n) {
    b_.at(t, "-", trace::FaultInjected{"crash", n});
    b_.at(t, n, trace::NodeCrashed{false});
    down_.insert(n);
  }
  void restart(double t, const std::string& n, int32_t incarnation) {
    b_.at(t, "-", trace::FaultInjected{"restart", n});
    b_.at(t, n, trace::NodeStarted{incarnation});
    down_.erase(n);
  }
  void isolate(double t, const std::string& n, bool cut_off) {
    b_.at(t, "-", trace::FaultInjected{cut_off ? "isolate" : "heal", n});
    for (const auto& other : b_.header().nodes)
      if (other.name != n) b_.at(t, n, trace::LinkChanged{b_.node(other.name), !cut_off, !cut_off});
    if (cut_off) isolated_.insert(n); else isolated_.erase(n);
  }

  std::vector<RecordId> truncated_;

 private:
  TraceBuilder& b_;
  std::map<int, Part> parts_;
  std::set<std::string> down_, isolated_;
  std::map<int, int64_t> position_;
  uint64_t sends_ = 0;
  uint64_t next_drop_id_ = 100000;
};

}  // namespace

SampleStory acks1_leader_failover_story() {
  SampleStory out{TraceBuilder({{"controller", "controller"},
                                {"broker-1", "broker"},
                                {"broker-2", "broker"},
                                {"broker-3", "broker"},
                                {"p1", "producer"},
                                {"c1", "consumer"},
                                {"c2", "consumer"}}),
                  {}};
  TraceBuilder& b = out.trace;
  b.set_scenario("acks=1: an acknowledged write is lost when the leader dies (synthetic)");
  Story s(b);
  std::multimap<double, std::function<void(double)>> agenda;
  auto at = [&](double t, std::function<void(double)> op) { agenda.emplace(t, std::move(op)); };

  for (const auto& n : b.header().nodes) b.at(0, n.name, trace::NodeStarted{1});
  at(5, [&](double t) { s.create(t); });
  at(20, [&](double t) { b.at(t, "c1", trace::AssignmentChanged{"g1", GenerationId(1), {"orders-0", "orders-1"}, {}}); });
  at(300, [&](double t) {
    b.at(t, "c2", trace::AssignmentChanged{"g1", GenerationId(2), {"orders-1"}, {}});
    b.at(t + 2, "c1", trace::AssignmentChanged{"g1", GenerationId(2), {}, {"orders-1"}});
  });
  at(1450, [&](double t) {
    s.crash(t, "c2");
    b.at(t + 30, "c1", trace::AssignmentChanged{"g1", GenerationId(3), {"orders-1"}, {}});
  });

  // p1 produces every 50 ms (acks=1), alternating partitions; none while
  // orders-0 has no live leader.
  int i = 0;
  for (double t = 50; t <= 1480; t += 50, ++i)
    if (t < 1000 || t > 1010) at(t, [&, p = i % 2](double tt) { s.produce(tt, p); });
  at(990, [&](double t) { out.lost.push_back(s.produce(t, 0)); });
  at(1000, [&](double t) { out.lost.push_back(s.produce(t + 0.5, 0)); });

  // Every follower fetches each partition every 50 ms (staggered); consumers
  // poll every 100 ms.
  for (double t = 20; t <= 1490; t += 50)
    for (int p = 0; p < 2; ++p)
      for (int32_t f = 1; f <= 3; ++f) at(t + 4 * f + 20 * p, [&, p, f](double tt) { s.fetch(tt, p, f); });
  for (double t = 60; t <= 1490; t += 100) {
    at(t, [&](double tt) {
      const GenerationId gen(tt < 300 ? 1 : tt < 1480 ? 2 : 3);
      s.poll(tt, "c1", 0, gen);
      if (tt < 300) s.poll(tt + 5, "c1", 1, gen);
      if (tt >= 300 && tt < 1450) s.poll(tt + 10, "c2", 1, gen);
    });
  }

  at(600, [&](double t) { s.isolate(t, "broker-3", true); });
  at(700, [&](double t) {
    s.shrink_or_expand(t, 0, {1, 2}, "shrink: follower 3 lagged", "isr_shrink");
    s.shrink_or_expand(t + 6, 1, {2, 1}, "shrink: follower 3 lagged", "isr_shrink");
  });
  at(1002, [&](double t) { s.crash(t, "broker-1"); });
  at(1008, [&](double t) {
    b.at(t, "controller", trace::BrokerFencing{BrokerId(1), true, "heartbeat session expired"});
    s.elect(t + 0.5, 0, 2, {2}, "election");
    s.elect(t + 1, 1, 2, {2}, "broker_fenced");
  });
  at(1100, [&](double t) {
    s.isolate(t, "broker-3", false);
    for (int p = 0; p < 2; ++p)
      b.at(t + 1, "broker-3",
           trace::ReplicaRoleChanged{"orders", PartitionId(p), "follower", BrokerId(2), LeaderEpoch(s.part(p).epoch)});
  });
  at(1200, [&](double t) {
    s.shrink_or_expand(t, 0, {2, 3}, "expand: follower 3 caught up", "isr_expand");
    s.shrink_or_expand(t + 6, 1, {2, 3}, "expand: follower 3 caught up", "isr_expand");
  });
  at(1300, [&](double t) {
    s.restart(t, "broker-1", 2);
    b.at(t + 3, "controller", trace::BrokerFencing{BrokerId(1), false, "registered"});
  });
  at(1306, [&](double t) {
    for (int p = 0; p < 2; ++p)
      b.at(t, "broker-1", trace::ReplicaRoleChanged{"orders", PartitionId(p), "follower", BrokerId(2), LeaderEpoch(s.part(p).epoch)});
    s.truncate_by_epoch(t + 3, 0, 1);
  });
  at(1400, [&](double t) {
    s.shrink_or_expand(t, 0, {2, 3, 1}, "expand: follower 1 caught up", "isr_expand");
    s.shrink_or_expand(t + 6, 1, {2, 3, 1}, "expand: follower 1 caught up", "isr_expand");
  });

  for (auto& [t, op] : agenda) op(t);
  return out;
}

}  // namespace ksim::test
