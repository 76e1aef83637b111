#include "sim/check/inconsistent_offsets.h"

#include <algorithm>
#include <tuple>

#include "sim/check/committed_index.h"

namespace ksim::check {
namespace {

struct Observation {
  Offset offset;
  RecordId record;
  uint64_t seq;
  SimTime time;
  NodeId node;
  bool polled;  // false: a replica's HW passed it
};

struct Finding {
  PartitionIndex partition;
  Offset offset;
  // an observation conflict: [first, first + n) of observations[partition]
  size_t first = 0;
  size_t n = 0;
  // an acknowledgement at the wrong offset
  const Send* send = nullptr;
};

std::string describe(const History& h, const Observation& o) {
  return std::string(h.node_name(o.node)) + (o.polled ? " polled " : " committed ") + h.record_name(o.record) + " at " +
         format_ms(o.time);
}

}  // namespace

CheckResult check_inconsistent_offsets(const History& history) {
  std::vector<std::vector<Observation>> observations(history.partitions.size());
  for (PartitionIndex p = 0; p < history.partitions.size(); ++p)
    for (const ReplicaCommit& c : history.partitions[p].replica_commits)
      observations[p].push_back(Observation{c.entry.offset, c.entry.record, c.at.seq, c.at.time, c.node, false});
  for (const Poll& poll : history.polls)
    for (const LogEntry& e : poll.records)
      observations[poll.partition].push_back(Observation{e.offset, e.record, poll.at.seq, poll.at.time, poll.consumer, true});

  std::vector<Finding> findings;
  for (PartitionIndex p = 0; p < observations.size(); ++p) {
    auto& obs = observations[p];
    std::sort(obs.begin(), obs.end(), [](const Observation& a, const Observation& b) {
      return std::tie(a.offset, a.record, a.seq) < std::tie(b.offset, b.record, b.seq);
    });
    for (size_t i = 0; i < obs.size();) {
      size_t j = i + 1;
      while (j < obs.size() && obs[j].offset == obs[i].offset) ++j;
      if (obs[j - 1].record != obs[i].record) findings.push_back(Finding{p, obs[i].offset, i, j - i, nullptr});
      i = j;
    }
  }

  const CommittedIndex committed(history);
  for (const Send& s : history.sends) {
    if (s.outcome != SendOutcome::acked || s.acked_offset.value < 0 || s.partition == kNoPartition) continue;
    const auto at = committed.find(s.partition, s.record);
    if (at.empty()) continue;  // lost-write's business
    if (std::none_of(at.begin(), at.end(), [&](const auto& e) { return e.second == s.acked_offset; }))
      findings.push_back(Finding{s.partition, s.acked_offset, 0, 0, &s});
  }
  std::stable_sort(findings.begin(), findings.end(), [](const Finding& a, const Finding& b) {
    return std::tie(a.partition, a.offset) < std::tie(b.partition, b.offset);
  });

  ResultBuilder out("inconsistent-offsets");
  for (const Finding& f : findings) {
    out.add([&] {
      AnomalyExample ex;
      ex.partition = history.partition_name(f.partition);
      ex.offsets = {f.offset};
      if (f.send) {
        const Send& s = *f.send;
        const Offset real = *committed.first_offset(s.partition, s.record);
        ex.offsets.push_back(real);
        ex.times = {s.completed.time};
        ex.records = {s.record};
        ex.explanation = history.record_name(s.record) + " was acked at offset " + std::to_string(f.offset.value) +
                         " of " + ex.partition + " (" + format_ms(s.completed.time) +
                         "), but the committed log holds it at offset " + std::to_string(real.value);
        return ex;
      }
      const auto& obs = observations[f.partition];
      // The first observation of each distinct record at this offset, up to 3.
      std::vector<const Observation*> distinct;
      for (size_t k = f.first; k < f.first + f.n; ++k)
        if (distinct.empty() || distinct.back()->record != obs[k].record) distinct.push_back(&obs[k]);
      std::sort(distinct.begin(), distinct.end(), [](const auto* a, const auto* b) { return a->seq < b->seq; });
      std::string list;
      for (size_t k = 0; k < distinct.size() && k < 3; ++k) {
        ex.records.push_back(distinct[k]->record);
        ex.times.push_back(distinct[k]->time);
        list += (k ? "; " : "") + describe(history, *distinct[k]);
      }
      if (distinct.size() > 3) list += "; and " + std::to_string(distinct.size() - 3) + " more";
      ex.explanation = std::to_string(distinct.size()) + " different records at " + ex.partition + " offset " +
                       std::to_string(f.offset.value) + ": " + list;
      return ex;
    });
  }
  return std::move(out).finish();
}

}  // namespace ksim::check
