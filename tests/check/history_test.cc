#include <catch2/catch.hpp>
#include <sstream>

#include "sim/check/history.h"
#include "sim/trace/jsonl.h"
#include "tests/check/trace_builder.h"

namespace ksim::check {
namespace {

using test::TraceBuilder;

std::vector<LogEntry> entries(std::initializer_list<std::pair<int64_t, RecordId>> list) {
  std::vector<LogEntry> out;
  for (auto [o, r] : list) out.push_back(LogEntry{Offset(o), r});
  return out;
}

std::vector<LogEntry> as_vector(std::span<const LogEntry> s) { return {s.begin(), s.end()}; }

const Replica& replica_of(const History& h, std::string_view tp, int32_t broker) {
  const auto p = h.find_partition(tp.substr(0, tp.rfind('-')), PartitionId(tp.back() - '0'));
  REQUIRE(p.has_value());
  const Replica* r = h.partitions[*p].find_replica(BrokerId(broker));
  REQUIRE(r != nullptr);
  return *r;
}

TEST_CASE("a replica's final log is its appends replayed with its truncations", "[check][history]") {
  TraceBuilder t;
  const RecordId a = t.send("p1", "orders-0"), b = t.send("p1", "orders-0"), c = t.send("p1", "orders-0"),
                 d = t.send("p1", "orders-0");
  t.append("broker-1", "orders-0", 0, {a, b, c});
  t.truncate("broker-1", "orders-0", 1);  // b and c gone: a diverging epoch
  t.append("broker-1", "orders-0", 1, {d});
  const History h = t.history();
  CHECK(replica_of(h, "orders-0", 1).log == entries({{0, a}, {1, d}}));
  CHECK(h.warnings.empty());
}

TEST_CASE("a crash keeps the log and only the recovery truncation the broker reports shortens it", "[check][history]") {
  TraceBuilder t;
  const RecordId a = t.send("p1", "orders-0"), b = t.send("p1", "orders-0");
  t.append("broker-2", "orders-0", 0, {a, b});
  t.hw("broker-2", "orders-0", 1);
  t.crash("broker-2", /*power_loss=*/true);
  t.restart("broker-2");
  CHECK(replica_of(t.history(), "orders-0", 2).log == entries({{0, a}, {1, b}}));
  t.truncate("broker-2", "orders-0", 1, "recovery");  // b was never flushed
  CHECK(replica_of(t.history(), "orders-0", 2).log == entries({{0, a}}));
}

TEST_CASE("a restart's log_recovered ends the log at the recovered LEO and sets the checkpointed HW, lower or not",
          "[check][history]") {
  TraceBuilder t;
  const RecordId a = t.send("p1", "orders-0"), b = t.send("p1", "orders-0"), c = t.send("p1", "orders-0");
  t.append("broker-2", "orders-0", 0, {a, b, c});
  t.hw("broker-2", "orders-0", 3);
  t.crash("broker-2", /*power_loss=*/true);
  t.restart("broker-2");
  t.recovered("broker-2", "orders-0", 2, 1);  // c was never flushed; the checkpoint said HW 1
  const History h = t.history();
  const Replica& r = replica_of(h, "orders-0", 2);
  CHECK(r.log == entries({{0, a}, {1, b}}));
  CHECK(r.hw == Offset(1));
}

TEST_CASE("a truncation below the high watermark lowers it, as UnifiedLog.truncateTo does", "[check][history]") {
  TraceBuilder t;
  const RecordId a = t.send("p1", "orders-0"), b = t.send("p1", "orders-0"), c = t.send("p1", "orders-0");
  t.append("broker-1", "orders-0", 0, {a, b, c});
  t.hw("broker-1", "orders-0", 3);
  t.truncate("broker-1", "orders-0", 1, "high_watermark");
  const History h = t.history();
  const Replica& r = replica_of(h, "orders-0", 1);
  CHECK(r.hw == Offset(1));
  CHECK(as_vector(r.below_hw()) == entries({{0, a}}));
}

TEST_CASE("the committed log is the final leader's log below its high watermark", "[check][history]") {
  TraceBuilder t;
  const RecordId a = t.send("p1", "orders-0"), b = t.send("p1", "orders-0");
  for (auto broker : {"broker-1", "broker-2"}) t.append(broker, "orders-0", 0, {a, b});
  t.hw("broker-1", "orders-0", 2);
  t.hw("broker-2", "orders-0", 1);
  t.partition_state("orders-0", 1, {1, 2});
  t.partition_state("orders-0", 2, {2}, 2);  // broker-2 is elected last, with a lower HW
  const History h = t.history();
  const auto& ph = h.partitions[*h.find_partition("orders", PartitionId(0))];
  CHECK(ph.final_leader == BrokerId(2));
  CHECK(as_vector(ph.committed_log()) == entries({{0, a}}));
  CHECK(ph.isr == std::vector<BrokerId>{BrokerId(2)});
}

TEST_CASE("with no leader the committed log is the ISR member's with the highest high watermark", "[check][history]") {
  TraceBuilder t;
  const RecordId a = t.send("p1", "orders-0"), b = t.send("p1", "orders-0"), c = t.send("p1", "orders-0");
  t.append("broker-1", "orders-0", 0, {a, b, c});
  t.hw("broker-1", "orders-0", 3);  // outside the ISR: not a candidate
  t.append("broker-2", "orders-0", 0, {a, b});
  t.hw("broker-2", "orders-0", 2);
  t.append("broker-3", "orders-0", 0, {a});
  t.hw("broker-3", "orders-0", 1);
  t.partition_state("orders-0", -1, {2, 3});
  const History h = t.history();
  const auto& ph = h.partitions[0];
  CHECK(ph.final_leader == kNoBroker);
  CHECK(as_vector(ph.committed_log()) == entries({{0, a}, {1, b}}));
}

TEST_CASE("without controller events the replica that last claimed leadership leads", "[check][history]") {
  TraceBuilder t;
  const RecordId a = t.send("p1", "orders-0");
  t.append("broker-3", "orders-0", 0, {a});
  t.hw("broker-3", "orders-0", 1);
  t.role("broker-1", "orders-0", "leader", 1, 1);
  t.role("broker-3", "orders-0", "leader", 3, 2);
  t.role("broker-1", "orders-0", "follower", 3, 2);
  const History h = t.history();
  CHECK(h.partitions[0].final_leader == BrokerId(3));
  CHECK(as_vector(h.partitions[0].committed_log()) == entries({{0, a}}));
}

TEST_CASE("broker ids come from node names, and a leader role change overrides them", "[check][history]") {
  TraceBuilder t;
  t.role("broker-2", "orders-0", "leader", 7);  // this node is broker 7
  const History h = t.history();
  CHECK(h.broker_of_node[t.node("broker-1").value] == BrokerId(1));
  CHECK(h.broker_of_node[t.node("broker-2").value] == BrokerId(7));
  CHECK(h.broker_of_node[t.node("p1").value] == kNoBroker);
}

TEST_CASE("a send is acked, failed or unknown, as the producer last heard", "[check][history]") {
  TraceBuilder t;
  t.at_ms(5);
  const RecordId a = t.send("p1", "orders-0"), b = t.send("p1", "orders-0"), c = t.send("p2", "orders-0", 7);
  t.at_ms(9);
  t.ack(a, 4);
  t.fail(b, "NOT_ENOUGH_REPLICAS");
  const History h = t.history();
  REQUIRE(h.sends.size() == 3);
  const Send* sa = h.find_send(a);
  REQUIRE(sa != nullptr);
  CHECK(sa->outcome == SendOutcome::acked);
  CHECK(sa->acked_offset == Offset(4));
  CHECK(sa->sent.time == SimTime::from_ms(5));
  CHECK(sa->completed.time == SimTime::from_ms(9));
  CHECK(h.find_send(b)->outcome == SendOutcome::failed);
  CHECK(h.find_send(b)->error == "NOT_ENOUGH_REPLICAS");
  CHECK(h.find_send(c)->outcome == SendOutcome::unknown);
  CHECK(h.find_send(c)->session == 7);
  CHECK(h.find_send(c)->producer == t.node("p2"));
  CHECK(h.find_send(t.stranger()) == nullptr);
  CHECK(h.record_name(a) == "p1#0");
  CHECK(h.record_name(c) == "p2#0");
}

TEST_CASE("a record id too sparse for the dense send tables is still found, and still sent only once",
          "[check][history]") {
  TraceBuilder t;
  const RecordId a = t.send("p1", "orders-0");
  // A hand-edited trace: send indices and producer node ids far above the run's.
  const RecordId far = make_record_id(t.node("p2"), uint64_t{1} << 39);
  const RecordId alien = make_record_id(NodeId(1u << 20), 3);
  for (RecordId r : {far, alien, far})
    t.emit(t.node("p2"), trace::ProducerSend{r, "orders", PartitionId(0), "", false, 1});
  t.ack(far, 1);
  const History h = t.history();
  REQUIRE(h.sends.size() == 3);
  CHECK(h.find_send(a) == &h.sends[0]);
  REQUIRE(h.find_send(far) == &h.sends[1]);
  CHECK(h.find_send(far)->outcome == SendOutcome::acked);
  CHECK(h.find_send(alien) == &h.sends[2]);
  CHECK(h.send_overflow.size() == 2);  // neither blew up a dense table
  CHECK(h.warning_count == 1);         // far sent twice
  CHECK(h.find_send(make_record_id(t.node("p2"), (uint64_t{1} << 39) + 1)) == nullptr);
}

TEST_CASE("a replica commits an entry when its high watermark passes it, once", "[check][history]") {
  TraceBuilder t;
  const RecordId a = t.send("p1", "orders-0"), b = t.send("p1", "orders-0");
  t.at_ms(1);
  t.append("broker-1", "orders-0", 0, {a, b});
  t.at_ms(2);
  t.hw("broker-1", "orders-0", 1);
  t.at_ms(3);
  t.hw("broker-1", "orders-0", 2);
  t.hw("broker-1", "orders-0", 2);
  const History h = t.history();
  const auto& commits = h.partitions[0].replica_commits;
  REQUIRE(commits.size() == 2);
  CHECK(commits[0].entry == LogEntry{Offset(0), a});
  CHECK(commits[0].at.time == SimTime::from_ms(2));
  CHECK(commits[1].entry == LogEntry{Offset(1), b});
  CHECK(commits[1].at.time == SimTime::from_ms(3));
}

TEST_CASE("partitions and groups are indexed in name order, whatever order the run met them", "[check][history]") {
  TraceBuilder t;
  t.topic("payments", 2);
  const RecordId a = t.send("p1", "orders-1");
  t.consume("c1", "zeta", 1, "orders-1", {{0, a}});
  t.commit("c2", "alpha", 3, "payments-0", 0);
  t.assignment("c1", "zeta", 2, {"orders-0", "payments-1"}, {"orders-1"});
  const History h = t.history();
  std::vector<std::string> names;
  for (const auto& p : h.partitions) names.push_back(p.name.str());
  CHECK(names == std::vector<std::string>{"orders-0", "orders-1", "payments-0", "payments-1"});
  CHECK(h.groups == std::vector<std::string>{"alpha", "zeta"});
  REQUIRE(h.polls.size() == 1);
  CHECK(h.polls[0].partition == 1);
  CHECK(h.polls[0].group == 1);
  CHECK(h.polls[0].records == entries({{0, a}}));
  REQUIRE(h.processed.size() == 1);
  REQUIRE(h.commits.size() == 2);
  CHECK(h.commits[0].offset == Offset(1));
  CHECK(h.commits[0].ok());
  CHECK(h.commits[1].group == 0);
  REQUIRE(h.assignments.size() == 1);
  CHECK(h.assignments[0].assigned == std::vector<PartitionIndex>{0, 3});
  CHECK(h.assignments[0].revoked == std::vector<PartitionIndex>{1});
}

TEST_CASE("malformed events are skipped and noted, never fatal", "[check][history]") {
  TraceBuilder t;
  const RecordId a = t.send("p1", "orders-0");
  t.ack(t.stranger(), 3);  // completion of a send nobody made
  t.ack(a, 0);
  t.ack(a, 1);  // a second completion
  trace::ConsumerPolled p;
  p.group = "g";
  p.topic = "orders";
  p.partition = PartitionId(0);
  p.offsets = {Offset(0), Offset(1)};
  p.records = {a};
  t.emit(t.node("c1"), std::move(p));
  t.assignment("c1", "g", 1, {"no-partition-here"});
  t.append("broker-1", "orders-0", 0, {a});
  t.append("broker-1", "orders-0", 0, {a});  // below the log end
  const History h = t.history();
  CHECK(h.warning_count == 5);
  CHECK(h.find_send(a)->acked_offset == Offset(0));
  REQUIRE(h.polls.size() == 1);
  CHECK(h.polls[0].records.size() == 1);
  CHECK(h.assignments[0].assigned.empty());
  CHECK(replica_of(h, "orders-0", 1).log == entries({{0, a}}));
}

TEST_CASE("a history built from a trace read back from JSON Lines is the same", "[check][history][trace]") {
  TraceBuilder t;
  t.topic("orders", 1);
  t.partition_state("orders-0", 1, {1, 2, 3});
  const RecordId a = t.produce("p1", "orders-0", 0);
  const RecordId b = t.produce("p1", "orders-0", 1);
  t.consume("c1", "g1", 1, "orders-0", {{0, a}, {1, b}});
  t.assignment("c1", "g1", 2, {"orders-0"});

  std::string text;
  append_jsonl_header(text, t.header());
  for (const auto& e : t.events()) append_jsonl_event(text, t.header(), e);
  std::istringstream in(text);
  LoadedTrace loaded;
  REQUIRE_FALSE(read_jsonl_trace(in, loaded));

  const History direct = t.history();
  const History read = build_history(loaded.header, loaded.events);
  CHECK(read.sends.size() == direct.sends.size());
  CHECK(read.find_send(b)->acked_offset == Offset(1));
  CHECK(as_vector(read.partitions[0].committed_log()) == as_vector(direct.partitions[0].committed_log()));
  CHECK(read.partitions[0].final_leader == BrokerId(1));
  CHECK(read.polls[0].records == direct.polls[0].records);
  CHECK(read.assignments[0].assigned == direct.assignments[0].assigned);
  CHECK(read.warnings.empty());
}

}  // namespace
}  // namespace ksim::check
