#pragma once
// TraceBuilder: writes a run's trace by hand, event by event, the way the broker
// and client code will emit it, so that checker tests go through build_history
// exactly as a real run does.
//
//   TraceBuilder t;
//   t.at_ms(10);
//   RecordId r = t.send("p1", "orders-0");
//   t.append("broker-1", "orders-0", 0, {r});
//   t.hw("broker-1", "orders-0", 1);
//   t.ack(r, 0);
//   History h = t.history();
//
// Nodes: controller, broker-1, broker-2, broker-3, p1, p2, c1, c2.
#include <ostream>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "core/base/assert.h"
#include "sim/check/history.h"
#include "sim/trace/trace.h"

namespace ksim::check {
// For Catch's messages: "3:p1#7" is offset 3 holding send 7 of node 4.
inline std::ostream& operator<<(std::ostream& out, const LogEntry& e) {
  return out << e.offset.value << ":" << (e.record.value >> 40) << "#" << (e.record.value & ((uint64_t{1} << 40) - 1));
}
}  // namespace ksim::check

namespace ksim::check::test {

class TraceBuilder {
 public:
  TraceBuilder() {
    for (auto [name, role] : {std::pair{"controller", "controller"}, {"broker-1", "broker"}, {"broker-2", "broker"},
                              {"broker-3", "broker"}, {"p1", "producer"}, {"p2", "producer"}, {"c1", "consumer"},
                              {"c2", "consumer"}})
      header_.nodes.push_back(TraceNodeInfo{name, role});
    header_.scenario = "hand-written checker test";
    send_count_.assign(header_.nodes.size(), 0);
  }

  NodeId node(std::string_view name) const {
    const NodeId id = header_.find_node(name);
    KSIM_ASSERT_MSG(id != kNoNode, "no node " << name);
    return id;
  }

  TraceBuilder& at_ms(int64_t ms) {
    now_ = SimTime::from_ms(ms);
    return *this;
  }
  // Moves the clock on by 1 ms: events then read in order on a timeline.
  TraceBuilder& tick() {
    now_ = now_ + millis(1);
    return *this;
  }

  // --- producers ---
  RecordId send(std::string_view producer, std::string_view tp, int64_t session = 1) {
    const NodeId p = node(producer);
    const RecordId r = make_record_id(p, send_count_[p.value]++);
    auto [topic, partition] = split(tp);
    emit(p, trace::ProducerSend{r, topic, partition, "", false, session});
    return r;
  }
  void ack(RecordId r, int64_t offset, std::string_view tp = "orders-0") {
    auto [topic, partition] = split(tp);
    emit(record_producer(r), trace::ProducerAcked{r, topic, partition, Offset(offset)});
  }
  void fail(RecordId r, std::string error, std::string_view tp = "orders-0") {
    auto [topic, partition] = split(tp);
    emit(record_producer(r), trace::ProducerFailed{r, topic, partition, std::move(error)});
  }
  // A record id that no producer sent (node p2, send index 999999).
  RecordId stranger() const { return make_record_id(node("p2"), 999999); }

  // --- brokers and controller ---
  void append(std::string_view broker, std::string_view tp, int64_t base, std::vector<RecordId> records) {
    auto [topic, partition] = split(tp);
    trace::LogAppended a;
    a.topic = topic;
    a.partition = partition;
    a.base_offset = Offset(base);
    a.leader_epoch = LeaderEpoch(1);
    a.producer_id = ProducerId(-1);
    a.leo = Offset(base + static_cast<int64_t>(records.size()));
    a.records = std::move(records);
    emit(node(broker), std::move(a));
  }
  void truncate(std::string_view broker, std::string_view tp, int64_t to, std::string reason = "leader_epoch") {
    auto [topic, partition] = split(tp);
    emit(node(broker), trace::LogTruncated{topic, partition, Offset(to), {}, std::move(reason)});
  }
  void hw(std::string_view broker, std::string_view tp, int64_t hw) {
    auto [topic, partition] = split(tp);
    emit(node(broker), trace::HighWatermarkChanged{topic, partition, Offset(0), Offset(hw)});
  }
  void partition_state(std::string_view tp, int32_t leader, std::vector<int32_t> isr, int32_t epoch = 1) {
    auto [topic, partition] = split(tp);
    trace::PartitionChanged c;
    c.topic = topic;
    c.partition = partition;
    c.leader = BrokerId(leader);
    c.leader_epoch = LeaderEpoch(epoch);
    c.isr = std::move(isr);
    c.replicas = {1, 2, 3};
    c.reason = "election";
    emit(node("controller"), std::move(c));
  }
  void role(std::string_view broker, std::string_view tp, std::string role, int32_t leader, int32_t epoch = 1) {
    auto [topic, partition] = split(tp);
    emit(node(broker), trace::ReplicaRoleChanged{topic, partition, std::move(role), BrokerId(leader), LeaderEpoch(epoch)});
  }
  void topic(std::string name, int32_t partitions) {
    trace::TopicCreated c;
    c.topic = std::move(name);
    c.partitions = partitions;
    c.replication_factor = 3;
    for (int32_t p = 0; p < partitions; ++p) c.assignment.push_back({1, 2, 3});
    emit(node("controller"), std::move(c));
  }

  // A restarted broker loaded its replica: the log ends at `leo`, the HW is `hw`.
  void recovered(std::string_view broker, std::string_view tp, int64_t leo, int64_t hw) {
    auto [topic, partition] = split(tp);
    emit(node(broker), trace::LogRecovered{topic, partition, Offset(0), Offset(leo), Offset(hw), 0, 0});
  }
  // `broker` answered `consumer`'s Fetch with `records` from `first_offset` on,
  // telling it HW `told_hw`.
  void served(std::string_view broker, std::string_view consumer, std::string_view tp, int64_t first_offset,
              std::vector<RecordId> records, int64_t told_hw) {
    auto [topic, partition] = split(tp);
    emit(node(broker), trace::FetchServed{node(consumer), topic, partition, Offset(first_offset), Offset(told_hw),
                                          Offset(first_offset), std::move(records)});
  }

  // --- consumers ---
  void poll(std::string_view consumer, std::string_view group, int32_t generation, std::string_view tp,
            const std::vector<std::pair<int64_t, RecordId>>& records) {
    auto [topic, partition] = split(tp);
    trace::ConsumerPolled p;
    p.group = std::string(group);
    p.generation = GenerationId(generation);
    p.topic = topic;
    p.partition = partition;
    for (auto [o, r] : records) {
      p.offsets.push_back(Offset(o));
      p.records.push_back(r);
    }
    emit(node(consumer), std::move(p));
  }
  void processed(std::string_view consumer, std::string_view group, std::string_view tp, int64_t offset, RecordId r) {
    auto [topic, partition] = split(tp);
    emit(node(consumer), trace::RecordProcessed{std::string(group), topic, partition, Offset(offset), r});
  }
  void commit(std::string_view consumer, std::string_view group, int32_t generation, std::string_view tp, int64_t offset,
              std::string error = "NONE") {
    auto [topic, partition] = split(tp);
    emit(node(consumer), trace::OffsetCommitted{std::string(group), GenerationId(generation), topic, partition,
                                                Offset(offset), std::move(error)});
  }
  void assignment(std::string_view consumer, std::string_view group, int32_t generation, std::vector<std::string> assigned,
                  std::vector<std::string> revoked = {}) {
    emit(node(consumer), trace::AssignmentChanged{std::string(group), GenerationId(generation), std::move(assigned),
                                                  std::move(revoked)});
  }

  // --- lifecycle ---
  void crash(std::string_view n, bool power_loss = false) { emit(node(n), trace::NodeCrashed{power_loss}); }
  void restart(std::string_view n, int32_t incarnation = 2) { emit(node(n), trace::NodeStarted{incarnation}); }

  // --- composites: the happy path in one call ---

  // `producer` sends one record that every broker in `brokers` appends at
  // `offset` and counts as committed (HW offset + 1); then it is acked.
  RecordId produce(std::string_view producer, std::string_view tp, int64_t offset,
                   const std::vector<std::string_view>& brokers = {"broker-1", "broker-2", "broker-3"},
                   int64_t session = 1) {
    const RecordId r = send(producer, tp, session);
    tick();
    for (auto b : brokers) append(b, tp, offset, {r});
    for (auto b : brokers) hw(b, tp, offset + 1);
    ack(r, offset, tp);
    tick();
    return r;
  }
  // `consumer` polls `entries`, processes each, and commits the last offset + 1.
  void consume(std::string_view consumer, std::string_view group, int32_t generation, std::string_view tp,
               const std::vector<std::pair<int64_t, RecordId>>& entries) {
    poll(consumer, group, generation, tp, entries);
    tick();
    for (auto [o, r] : entries) processed(consumer, group, tp, o, r);
    if (!entries.empty()) commit(consumer, group, generation, tp, entries.back().first + 1);
    tick();
  }

  History history() const { return build_history(header_, events_); }
  const TraceHeader& header() const { return header_; }
  const std::vector<TraceEvent>& events() const { return events_; }
  std::vector<TraceEvent>& mutable_events() { return events_; }

  // Emits any payload as `node` at the current time.
  template <class Payload>
  void emit(NodeId n, Payload&& p) {
    events_.push_back(TraceEvent{now_, events_.size(), n, trace::Payload(std::forward<Payload>(p))});
  }

 private:
  static std::pair<std::string, PartitionId> split(std::string_view tp) {
    const size_t dash = tp.rfind('-');
    KSIM_ASSERT(dash != std::string_view::npos);
    return {std::string(tp.substr(0, dash)), PartitionId(std::stoi(std::string(tp.substr(dash + 1))))};
  }

  TraceHeader header_;
  std::vector<TraceEvent> events_;
  std::vector<uint64_t> send_count_;
  SimTime now_;
};

}  // namespace ksim::check::test
