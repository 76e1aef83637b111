#pragma once
// HistoryBuilder: builds a check::History (sim/check/history.h) one trace event
// at a time, so that a run can hand its events to the checkers as they happen
// and keep none of them in memory. It is a TraceSink: attach it to a Trace
// before the first event, and take the History with finish() after the last.
// build_history(header, events) is this builder fed a stored trace, so the two
// give the same History by construction.
//
// Partition and group indices: History numbers partitions and groups in sorted
// name order, which a stream only knows at its end. While events arrive, each
// new name gets the next provisional index (first appearance order); finish()
// sorts the names once and renumbers every index the history holds (sends,
// appends, polls, processed records, commits, assignment changes, and the
// per-partition state). Nothing during the replay depends on the numbering:
// every per-partition and per-group structure is reached through its index,
// whatever the index is.
//
// Which node is which broker: a node named "broker-N" is broker N, unless it
// reports replica_role_changed "leader" naming another broker id; the first
// such report per node wins (history.h, assumption 5). Only finish() and the
// checkers read the mapping, so it may settle while events stream in.
//
// Cost: an event that names no topic or group and starts or stops no node
// (most of a run's: message deliveries, disk flushes) costs a table lookup
// by its kind. Any other costs one visit of its payload, a topic name compare
// and a vector index for its partition, a group name compare for its group;
// finish() is linear in the history plus a sort of the names.
#include <cstdint>
#include <map>
#include <string>
#include <string_view>
#include <vector>

#include "sim/check/history.h"
#include "sim/trace/trace.h"

namespace ksim::check {

class HistoryBuilder final : public TraceSink {
 public:
  HistoryBuilder() = default;
  HistoryBuilder(const HistoryBuilder&) = delete;
  HistoryBuilder& operator=(const HistoryBuilder&) = delete;

  // Replays one event. Events must come in trace order (seq increasing).
  void on_event(const TraceHeader& header, const TraceEvent& event) override;

  // The history of every event seen so far, with sorted indices. `header` is
  // the trace's header at the end (its node list names the nodes). The
  // builder is spent afterwards.
  History finish(const TraceHeader& header) &&;

 private:
  // A replica while the history is being built: the final Replica plus how far
  // its entries have been observed as committed.
  struct ReplicaBuild {
    Replica replica;
    size_t observed = 0;  // entries [0, observed) were recorded as replica commits
  };

  // Partition indices by topic, then by partition number: a name lookup is a
  // short scan of the topics (a run has a handful) and a vector index.
  struct TopicSlot {
    std::string name;
    bool internal = false;                    // never judged: no partition index
    std::vector<PartitionIndex> by_partition;  // kNoPartition where not seen yet
  };

  void sync_nodes(const TraceHeader& header);
  // The partition and group an event is about, as collect_names noted them,
  // so that apply need not look the names up again.
  struct Noted {
    PartitionIndex partition = kNoPartition;
    GroupIndex group = 0;
  };
  template <class T>
  Noted collect_names(const TraceEvent& e, const T& payload);
  template <class T>
  void apply(const TraceEvent& e, const T& payload, const Noted& noted);
  void sort_indices();
  void finish_partitions();

  // The partition's index, created on first sight; kNoPartition for a
  // negative partition or an internal topic (never judged).
  // Inline for the common case (the last topic looked up, a partition
  // already seen): one length and one byte compare, no call.
  PartitionIndex note_partition(std::string_view topic, PartitionId p) {
    if (p.value >= 0 && last_topic_ < topics_.size()) {
      const TopicSlot& t = topics_[last_topic_];
      const auto at = static_cast<size_t>(p.value);
      if (!t.internal && at < t.by_partition.size() && t.by_partition[at] != kNoPartition &&
          t.name.size() == topic.size() && std::char_traits<char>::compare(t.name.data(), topic.data(), topic.size()) == 0)
        return t.by_partition[at];
    }
    return note_partition_slow(topic, p);
  }
  PartitionIndex note_partition_slow(std::string_view topic, PartitionId p);
  // The partition's index if it was seen, else kNoPartition.
  PartitionIndex partition(std::string_view topic, PartitionId p);
  GroupIndex note_group(const std::string& name);
  TopicSlot* find_topic(std::string_view topic);
  ReplicaBuild& replica(PartitionIndex p, NodeId node);
  Send* send_of(RecordId record);
  // Files a new send under its record id (History::send_slots, or
  // send_overflow for an id too sparse to index densely).
  void index_send(RecordId record, uint32_t send);
  void observe_commits(PartitionIndex p, ReplicaBuild& r, const Stamp& at);
  static void truncate(ReplicaBuild& r, Offset to);
  static void choose_committed_replica(PartitionHistory& ph);
  BrokerId broker_of(NodeId node) const;

  template <class... Args>
  void warn(const TraceEvent& e, Args&&... parts);

  History h_;
  std::vector<bool> role_evidence_;  // per node: a leader report set its broker id
  std::vector<TopicSlot> topics_;  // provisional partition indices, topics in first-appearance order
  size_t last_topic_ = 0;           // the last lookup's topic: events come in runs about one topic
  std::map<std::string, GroupIndex, std::less<>> group_ids_;        // provisional indices
  GroupIndex last_group_ = 0;  // the last lookup's group: a run has one or two
  std::vector<std::vector<ReplicaBuild>> replicas_;  // per partition, in order of first appearance
  bool finished_ = false;
};

}  // namespace ksim::check
