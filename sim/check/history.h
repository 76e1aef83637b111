#pragma once
// History: what a run's trace says the clients and the replicas saw, arranged
// for the checkers (sim/check/*.h). It is built from the trace alone, never from
// a node's private state, so a trace read back from a JSON Lines file gives the
// same verdicts as the live run.
//
// What it holds, in run order where order matters:
//   - sends: one per producer_send, with its outcome (acked at an offset,
//     failed with Kafka's error name, or unknown: never completed);
//   - per partition: every replica's final log, final high watermark and last
//     role; the controller's final leader, ISR and replica set; every moment a
//     replica's high watermark passed an entry ("replica commits"); every
//     log_appended batch;
//   - polls, processed records, offset commits, assignment changes, and node
//     starts and crashes (a restarted consumer is a new KafkaConsumer);
//   - every Fetch answer a broker gave a consumer (fetch_served), with the
//     broker's own HW at that moment.
//
// How the final logs are rebuilt (the assumptions the broker code must keep):
//   1. A replica is (broker node, partition). Its log is the replay, in run
//      order, of that node's log_appended (records[i] at base_offset + i) and
//      log_truncated (drop every entry at or above to_offset) events.
//   2. A broker that crashes keeps its log on disk. On restart it recovers the
//      log and emits log_truncated with reason "recovery" for whatever it lost,
//      including writes a power loss threw away. So no event other than
//      log_truncated ever shortens a replica's log: node_crashed and disk_lost
//      do not touch the rebuilt log.
//      Since log_recovered exists the broker emits it instead: its `leo` ends
//      the log the same way, and its `hw` is the replica's HW from then on.
//   3. hw_changed gives the replica's high watermark (exclusive). As in Kafka's
//      UnifiedLog.truncateTo, a truncation below the HW lowers the HW to the
//      truncation point even if the broker emits no hw_changed for it.
//   4. An append at an offset below the replica's current end is a broker bug
//      (a replica appends at its LEO): the history drops the overlapped entries
//      first, as a truncation would, and notes it in `warnings`.
//   5. Broker ids: a node named "broker-N" is broker N; a node that reports
//      replica_role_changed with role "leader" is the broker named in `leader`
//      (this evidence wins).
//
// The committed log of a partition, the reference the final-state checkers
// judge against, is defined as:
//   a. the final leader is the leader of the last partition_changed the
//      controller committed for the partition (kNoBroker: offline). Without any
//      partition_changed, it is the broker whose replica last reported role
//      "leader", the highest leader epoch winning;
//   b. with a final leader, the committed log is that broker's replica's log
//      below its final HW (empty if the leader never appended);
//   c. with no leader, it is the log below the HW of the replica with the
//      highest HW among the final ISR (among all replicas if no ISR member has
//      a replica in the trace); ties go to the longer log, then the lower broker
//      id. This is what a clean election would most favourably keep.
// Records above the HW are not committed: a run that ends before a new leader's
// HW caught up shows them as missing. Scenarios should let the cluster settle.
//
// Cost: build_history is linear in the trace: partition, group and record id
// lookups are vector indexes (record ids of a hand-edited trace may fall back
// to a sorted vector). Everything is in vectors or ordered containers, never
// iterated in an order that depends on hashing or pointers: output is
// deterministic. A live run
// need not keep its trace for this: HistoryBuilder (history_builder.h) builds
// the same History event by event, as a trace sink.
#include <cstdint>
#include <optional>
#include <span>
#include <string>
#include <string_view>
#include <vector>

#include "core/base/ids.h"
#include "core/base/time.h"
#include "sim/trace/trace.h"

namespace ksim::check {

// Dense indices into History::partitions and History::groups, assigned in
// sorted name order, so that iterating by index is deterministic and reads in
// the order a person expects ("orders-0" before "orders-1").
using PartitionIndex = uint32_t;
using GroupIndex = uint32_t;
inline constexpr PartitionIndex kNoPartition = UINT32_MAX;

struct PartitionName {
  std::string topic;
  PartitionId partition;
  auto operator<=>(const PartitionName&) const = default;
  std::string str() const;  // "orders-0", as Kafka prints a TopicPartition
};

// Where in the run something happened: its virtual time and its trace sequence
// number (the run's total order).
struct Stamp {
  SimTime time;
  uint64_t seq = 0;
  bool operator==(const Stamp&) const = default;
};

// One record at one offset of a log (or of a poll).
struct LogEntry {
  Offset offset;
  RecordId record;
  bool operator==(const LogEntry&) const = default;
};

enum class SendOutcome : uint8_t {
  unknown,  // never completed: in flight, or the producer died
  acked,    // producer_acked
  failed,   // producer_failed: indeterminate, the record may still be in the log
};

struct Send {
  RecordId record;
  NodeId producer;
  int64_t session = 0;  // changes when the producer restarts (a new producer id)
  PartitionIndex partition = kNoPartition;
  std::string key;
  bool has_key = false;
  Stamp sent;
  SendOutcome outcome = SendOutcome::unknown;
  Stamp completed;           // when outcome != unknown
  Offset acked_offset{-1};   // acked: what the broker answered (-1 with acks=0)
  std::string error;         // failed: Kafka's error name
  bool operator==(const Send&) const = default;
};

// One broker's copy of a partition at the end of the run.
struct Replica {
  NodeId node;
  BrokerId broker = kNoBroker;
  std::vector<LogEntry> log;  // offsets strictly increasing
  Offset hw{0};               // final high watermark, never above log_end()
  std::string role;           // last replica_role_changed role, "" if none
  LeaderEpoch role_leader_epoch{-1};

  Offset log_end() const { return log.empty() ? Offset(0) : log.back().offset + 1; }
  // The entries below the HW: what this replica holds as committed.
  std::span<const LogEntry> below_hw() const;
  // Whether `record` is anywhere in this replica's log (linear).
  bool holds(RecordId record) const;
  bool operator==(const Replica&) const = default;
};

// A replica's high watermark passed an entry: from then on the replica held
// `record` at `offset` as committed. Observed once per entry and replica, again
// only if the entry was truncated and re-appended.
struct ReplicaCommit {
  LogEntry entry;
  NodeId node;
  Stamp at;
  bool operator==(const ReplicaCommit&) const = default;
};

// A log_appended event, kept for checkers that look at every record a broker
// ever wrote (not only the final logs). Its records are
// History::append_records[first_record, first_record + n_records), back to
// back with every other append's (History::records_of): one vector for the
// run instead of one allocation per append.
struct Append {
  PartitionIndex partition = kNoPartition;
  NodeId node;
  Offset base_offset;
  size_t first_record = 0;
  size_t n_records = 0;
  Stamp at;
  bool operator==(const Append&) const = default;
};

struct PartitionHistory {
  PartitionName name;
  std::vector<Replica> replicas;  // sorted by (broker, node)

  // The controller's last partition_changed, if there was one.
  bool has_controller_state = false;
  BrokerId leader = kNoBroker;
  LeaderEpoch leader_epoch{-1};
  std::vector<BrokerId> isr;
  std::vector<BrokerId> assigned;  // the replica set

  // The replica whose log below its HW is the committed log (see the header
  // comment), or -1 if there is none (no replica, or an unknown leader node).
  int32_t committed_replica = -1;
  // The final leader as this history decided it (rule a.), kNoBroker if none.
  BrokerId final_leader = kNoBroker;

  std::vector<ReplicaCommit> replica_commits;  // run order

  std::span<const LogEntry> committed_log() const;
  const Replica* find_replica(BrokerId broker) const;
  bool operator==(const PartitionHistory&) const = default;
};

struct Poll {
  NodeId consumer;
  GroupIndex group = 0;
  GenerationId generation{-1};
  PartitionIndex partition = kNoPartition;
  std::vector<LogEntry> records;  // in the order poll() returned them
  Stamp at;
  bool operator==(const Poll&) const = default;
};

struct Processed {
  NodeId consumer;
  GroupIndex group = 0;
  PartitionIndex partition = kNoPartition;
  LogEntry entry;
  Stamp at;
  bool operator==(const Processed&) const = default;
};

struct Commit {
  NodeId consumer;
  GroupIndex group = 0;
  GenerationId generation{-1};
  PartitionIndex partition = kNoPartition;
  Offset offset;       // the next offset to consume
  std::string error;   // "NONE" on success
  Stamp at;
  bool ok() const { return error == "NONE"; }
  bool operator==(const Commit&) const = default;
};

struct AssignmentChange {
  NodeId consumer;
  GroupIndex group = 0;
  GenerationId generation{-1};
  std::vector<PartitionIndex> assigned;
  std::vector<PartitionIndex> revoked;
  Stamp at;
  bool operator==(const AssignmentChange&) const = default;
};

// A broker answered a consumer's Fetch with records of one partition
// (fetch_served): records[i] at first_offset + i. broker_hw is that broker's
// own HW at the moment, as its events had set it (hw_changed, log_recovered,
// a truncation below it); told_hw is the HW the answer carried.
struct ServedFetch {
  NodeId broker;
  NodeId consumer;
  PartitionIndex partition = kNoPartition;
  Offset first_offset;
  std::vector<RecordId> records;
  Offset told_hw{-1};
  Offset broker_hw{0};
  Stamp at;
  bool operator==(const ServedFetch&) const = default;
};

// node_started (incarnation > 1: a restart) and node_crashed.
struct Lifecycle {
  NodeId node;
  bool started = false;  // false: crashed
  Stamp at;
  bool operator==(const Lifecycle&) const = default;
};

struct History {
  std::vector<std::string> node_names;  // indexed by NodeId
  std::vector<BrokerId> broker_of_node;  // indexed by NodeId; kNoBroker if not a broker

  std::vector<PartitionHistory> partitions;  // sorted by name
  std::vector<std::string> groups;           // sorted; "" for consumers without a group

  std::vector<Send> sends;  // run order (producer_send order)
  std::vector<Append> appends;
  std::vector<RecordId> append_records;  // every Append's records, in append order
  std::vector<Poll> polls;
  std::vector<Processed> processed;
  std::vector<Commit> commits;
  std::vector<AssignmentChange> assignments;
  std::vector<Lifecycle> lifecycle;
  std::vector<ServedFetch> served;  // run order

  // Oddities in the trace the history had to work around (malformed events,
  // appends below a replica's end, completions of unknown sends). At most
  // kMaxWarnings are kept; warning_count counts them all.
  static constexpr size_t kMaxWarnings = 20;
  std::vector<std::string> warnings;
  uint64_t warning_count = 0;

  // Where each record id's send is (find_send). A record id is
  // make_record_id(producer, send index) and a producer numbers its sends
  // upward from 0 or 1, so nearly every id is found by two vector indexes:
  // send_slots[producer node][send index] is its index into `sends` (kNoSend
  // where none). An id too sparse to index densely (a producer node id or
  // send index far above the run's count of sends: a hand-edited trace) is in
  // send_overflow instead, sorted by record id. The first send wins if a
  // record id was sent twice.
  static constexpr uint32_t kNoSend = UINT32_MAX;
  std::vector<std::vector<uint32_t>> send_slots;
  std::vector<std::pair<RecordId, uint32_t>> send_overflow;

  // O(1) for a densely indexed id, else a binary search of send_overflow.
  const Send* find_send(RecordId record) const;
  // The records an append wrote, in offset order.
  std::span<const RecordId> records_of(const Append& a) const {
    return {append_records.data() + a.first_record, a.n_records};
  }
  // The index into `sends` of record's send, or kNoSend. Inline: the
  // checkers ask this for every record of every append and poll.
  uint32_t send_index_of(RecordId record) const {
    const uint32_t producer = record_producer(record).value;
    const uint64_t index = record_send_index(record);
    if (producer < send_slots.size() && index < send_slots[producer].size()) {
      const uint32_t s = send_slots[producer][index];
      if (s != kNoSend) return s;
    }
    return send_overflow.empty() ? kNoSend : overflow_send_index_of(record);
  }
  uint32_t overflow_send_index_of(RecordId record) const;  // the send_overflow part
  std::optional<PartitionIndex> find_partition(std::string_view topic, PartitionId partition) const;
  std::optional<GroupIndex> find_group(std::string_view group) const;

  std::string_view node_name(NodeId node) const;
  // "p1#17": the producing node's name and its send count. Ids of unknown
  // nodes print as "node7#17".
  std::string record_name(RecordId record) const;
  // "orders-0", or "?" for kNoPartition.
  std::string partition_name(PartitionIndex partition) const;
  // "broker-2", or "broker 2" if no node is known for it.
  std::string broker_name(BrokerId broker) const;

  // Field by field (tests compare a streamed history with a stored trace's).
  bool operator==(const History&) const = default;
};

// Builds the history of a stored trace (HistoryBuilder fed every event).
// Linear in the trace (times log factors); never fails: malformed events are
// skipped and noted in History::warnings.
History build_history(const TraceHeader& header, const std::vector<TraceEvent>& events);

// "812.004 ms": a run time as the checkers print it.
std::string format_ms(SimTime time);

}  // namespace ksim::check
