#include "sim/check/read_above_hw.h"

#include <algorithm>
#include <iterator>
#include <map>
#include <set>
#include <tuple>
#include <utility>

namespace ksim::check {

CheckResult check_read_above_hw(const CheckContext& ctx) {
  const History& history = ctx.history;
  // The answers to each (consumer, partition), in run order.
  std::map<std::pair<uint32_t, PartitionIndex>, std::vector<const ServedFetch*>> answers;
  for (const ServedFetch& f : history.served) answers[{f.consumer.value, f.partition}].push_back(&f);

  ResultBuilder out("read-above-hw");
  std::set<std::tuple<uint32_t, PartitionIndex, int64_t, uint64_t>> reported;
  for (const Poll& poll : history.polls) {
    auto it = answers.find({poll.consumer.value, poll.partition});
    if (it == answers.end()) continue;
    const auto& list = it->second;
    // Answers after the poll cannot have handed it anything: start the search
    // at the last answer before it (answers are in run order), so a record is
    // usually found in the first answer looked at, not after a walk over the
    // whole run (that walk was 19% of the reference run's instructions).
    const auto before_poll = std::upper_bound(list.begin(), list.end(), poll.at.seq,
                                              [](uint64_t seq, const ServedFetch* f) { return seq < f->at.seq; });
    for (const LogEntry& entry : poll.records) {
      // The latest answer before the poll that handed over this record here.
      const ServedFetch* from = nullptr;
      for (auto a = std::make_reverse_iterator(before_poll); a != list.rend() && !from; ++a) {
        const ServedFetch& f = **a;
        const int64_t i = entry.offset.value - f.first_offset.value;
        if (i >= 0 && i < static_cast<int64_t>(f.records.size()) && f.records[static_cast<size_t>(i)] == entry.record)
          from = &f;
      }
      if (!from || entry.offset < from->broker_hw) continue;
      if (!reported.insert({poll.consumer.value, poll.partition, entry.offset.value, entry.record.value}).second)
        continue;
      out.add([&] {
        AnomalyExample ex;
        ex.partition = history.partition_name(poll.partition);
        ex.offsets = {entry.offset, from->broker_hw};
        ex.times = {from->at.time, poll.at.time};
        ex.records = {entry.record};
        ex.explanation = std::string(history.node_name(poll.consumer)) + " polled " +
                         history.record_name(entry.record) + " at " + ex.partition + " offset " +
                         std::to_string(entry.offset.value) + " (" + format_ms(poll.at.time) + "), but " +
                         std::string(history.node_name(from->broker)) + " handed it over at " +
                         format_ms(from->at.time) + " with its HW at " + std::to_string(from->broker_hw.value) +
                         " (the answer said HW " + std::to_string(from->told_hw.value) + ")";
        return ex;
      });
    }
  }
  return std::move(out).finish();
}

}  // namespace ksim::check
