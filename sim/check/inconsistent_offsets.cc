#include "sim/check/inconsistent_offsets.h"

#include <algorithm>
#include <cstdint>
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

CheckResult check_inconsistent_offsets(const CheckContext& ctx) {
  const History& history = ctx.history;
  const size_t n_partitions = history.partitions.size();
  // Every observation is (partition, offset, record). A first pass finds, per
  // partition, the offsets at which two observations disagree, in a table
  // indexed by offset; only the observations at those offsets are kept for
  // the sort that orders and explains the findings. A partition whose
  // offsets are too sparse for a table (a hand-written history) keeps all of
  // its observations, and the sort finds its conflicts as it always did.
  struct Range {
    int64_t lo = INT64_MAX;
    int64_t hi = INT64_MIN;
    size_t n = 0;
    void add(Offset o) {
      lo = std::min(lo, o.value);
      hi = std::max(hi, o.value);
      ++n;
    }
  };
  std::vector<Range> range(n_partitions);
  for (PartitionIndex p = 0; p < n_partitions; ++p)
    for (const ReplicaCommit& c : history.partitions[p].replica_commits) range[p].add(c.entry.offset);
  for (const Poll& poll : history.polls)
    for (const LogEntry& e : poll.records) range[poll.partition].add(e.offset);

  enum : uint8_t { kUnseen, kOne, kConflict };
  struct Table {
    bool dense = false;
    int64_t lo = 0;
    std::vector<RecordId> record;  // the first record observed at lo + i
    std::vector<uint8_t> state;
    // Notes an observation; false if the offset is known to hold another record.
    void note(Offset o, RecordId r) {
      const auto i = static_cast<size_t>(o.value - lo);
      if (state[i] == kUnseen) {
        state[i] = kOne;
        record[i] = r;
      } else if (record[i] != r) {
        state[i] = kConflict;
      }
    }
    // Whether the observations at `o` are to be sorted and judged.
    bool keep(Offset o) const { return !dense || state[static_cast<size_t>(o.value - lo)] == kConflict; }
  };
  std::vector<Table> table(n_partitions);
  for (PartitionIndex p = 0; p < n_partitions; ++p) {
    const Range& r = range[p];
    if (r.n == 0) continue;
    const auto span = static_cast<uint64_t>(r.hi - r.lo) + 1;
    if (span > 4 * r.n + 1024) continue;  // sparse: sorted as a whole
    table[p].dense = true;
    table[p].lo = r.lo;
    table[p].record.resize(span);
    table[p].state.resize(span, kUnseen);
  }
  for (PartitionIndex p = 0; p < n_partitions; ++p)
    if (table[p].dense)
      for (const ReplicaCommit& c : history.partitions[p].replica_commits) table[p].note(c.entry.offset, c.entry.record);
  for (const Poll& poll : history.polls)
    if (Table& t = table[poll.partition]; t.dense)
      for (const LogEntry& e : poll.records) t.note(e.offset, e.record);

  std::vector<std::vector<Observation>> observations(n_partitions);
  for (PartitionIndex p = 0; p < n_partitions; ++p)
    for (const ReplicaCommit& c : history.partitions[p].replica_commits)
      if (table[p].keep(c.entry.offset))
        observations[p].push_back(Observation{c.entry.offset, c.entry.record, c.at.seq, c.at.time, c.node, false});
  for (const Poll& poll : history.polls)
    for (const LogEntry& e : poll.records)
      if (table[poll.partition].keep(e.offset))
        observations[poll.partition].push_back(
            Observation{e.offset, e.record, poll.at.seq, poll.at.time, poll.consumer, true});

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

  const CommittedIndex& committed = ctx.committed;
  for (const Send& s : history.sends) {
    if (s.outcome != SendOutcome::acked || s.acked_offset.value < 0 || s.partition == kNoPartition) continue;
    const uint32_t i = ctx.send_index(s);
    if (!committed.contains(i)) continue;  // lost-write's business
    if (!committed.holds_at(i, s.acked_offset)) findings.push_back(Finding{s.partition, s.acked_offset, 0, 0, &s});
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
        const Offset real = *committed.first_offset(ctx.send_index(s));
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
