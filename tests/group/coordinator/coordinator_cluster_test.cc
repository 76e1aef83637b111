// The group coordinator inside a simulated cluster: __consumer_offsets is a
// real replicated topic, FindCoordinator creates it and names its leaders,
// and a coordinator failover keeps what was replicated and loses what was not.
#include <catch2/catch.hpp>
#include <sstream>

#include "core/broker/broker_node.h"
#include "core/group/coordinator/coordinator_partition.h"
#include "core/trace/group_events.h"
#include "sim/cluster/cluster.h"
#include "sim/report/event_text.h"
#include "sim/trace/jsonl.h"
#include "tests/support/group_probe.h"

namespace ksim::test {
namespace {

const std::string kGroup = "orders-app";

class GroupCluster {
 public:
  explicit GroupCluster(int64_t load_bytes_per_ms = 10000) : cluster_(spec(load_bytes_per_ms)) {
    probe_ = cluster_.add_node("c1", "consumer", [](Env& env) { return std::make_unique<GroupProbe>(env); });
    cluster_.start();
    REQUIRE(cluster_.run_until([this] { return cluster_.broker(1) && cluster_.broker(1)->metadata().broker(BrokerId(3)); },
                               seconds(30)));
    cluster_.run_for(seconds(2));
  }

  static ClusterSpec spec(int64_t load_bytes_per_ms) {
    ClusterSpec s;
    s.seed = 3;
    s.name = "group coordinator test";
    s.brokers = 3;
    s.network.default_link = LinkSpec{millis(1), millis(1), {}, 0.0};
    s.broker.offsets_topic_num_partitions = 5;
    s.broker.group_coordinator_load_bytes_per_ms = load_bytes_per_ms;
    return s;
  }

  GroupProbe& probe() { return *cluster_.sim().process_as<GroupProbe>(probe_); }
  template <class Req>
  int32_t send(NodeId to, Req req) {
    int32_t c = 0;
    cluster_.sim().invoke(probe_, [&](Node& n) { c = static_cast<GroupProbe&>(n).send(to, req); });
    return c;
  }
  // Sends and runs until the response of type Resp arrives.
  template <class Resp, class Req>
  Resp call(NodeId to, Req req, Duration limit = seconds(10)) {
    const int32_t c = send(to, std::move(req));
    REQUIRE(cluster_.run_until([&] { return probe().response<Resp>(c).has_value(); }, limit));
    return *probe().response<Resp>(c);
  }

  FindCoordinatorResponse find_coordinator(int32_t via_broker) {
    FindCoordinatorRequest r;
    r.key = kGroup;
    return call<FindCoordinatorResponse>(cluster_.broker_node(via_broker), r);
  }
  // Retries FindCoordinator until it names a broker.
  FindCoordinatorResponse await_coordinator(int32_t via_broker, int32_t not_this = -1) {
    for (int i = 0; i < 200; ++i) {
      auto r = find_coordinator(via_broker);
      if (r.error == Errc::none && r.coordinator.value != not_this) return r;
      cluster_.run_for(millis(100));
    }
    FAIL("no coordinator found");
    return {};
  }
  OffsetCommitResponse commit(NodeId coordinator, int64_t offset) {
    OffsetCommitRequest r;
    r.group_id = kGroup;
    r.partitions.push_back({TopicPartition{"orders", PartitionId(0)}, Offset(offset), LeaderEpoch(0), ""});
    return call<OffsetCommitResponse>(coordinator, r);
  }
  OffsetFetchResponse fetch(NodeId coordinator) {
    OffsetFetchRequest r;
    r.group_id = kGroup;
    r.partitions.push_back(TopicPartition{"orders", PartitionId(0)});
    return call<OffsetFetchResponse>(coordinator, r);
  }
  // OffsetFetch, retried while the coordinator is loading.
  int64_t committed(NodeId coordinator, int* load_in_progress_answers = nullptr) {
    for (int i = 0; i < 500; ++i) {
      auto r = fetch(coordinator);
      if (r.error == Errc::coordinator_load_in_progress) {
        if (load_in_progress_answers) ++*load_in_progress_answers;
        cluster_.run_for(millis(2));
        continue;
      }
      REQUIRE(r.error == Errc::none);
      return r.partitions.at(0).committed_offset.value;
    }
    FAIL("the coordinator never finished loading");
    return -2;
  }
  TopicPartition offsets_tp() const {
    return {std::string(kConsumerOffsetsTopic), offsets_partition_for(kGroup, 5)};
  }

  Cluster& cluster() { return cluster_; }

 private:
  Cluster cluster_;
  NodeId probe_;
};

}  // namespace

TEST_CASE("FindCoordinator creates __consumer_offsets and then names the leader of the group's partition",
          "[group][coordinator][cluster]") {
  GroupCluster gc;
  REQUIRE(gc.cluster().broker(1)->metadata().topic(std::string(kConsumerOffsetsTopic)) == nullptr);
  // The topic does not exist yet: COORDINATOR_NOT_AVAILABLE while the broker asks the controller for it.
  auto first = gc.find_coordinator(1);
  CHECK(first.error == Errc::coordinator_not_available);
  auto r = gc.await_coordinator(1);
  const TopicPartition tp = gc.offsets_tp();
  const PartitionRecord* pr = gc.cluster().broker(1)->metadata().partition(tp);
  REQUIRE(pr);
  CHECK(pr->replicas.size() == 3);  // offsets.topic.replication.factor
  CHECK(r.coordinator == pr->leader);
  CHECK(r.node == gc.cluster().broker_node(pr->leader.value));
  // Every broker gives the same answer.
  CHECK(gc.find_coordinator(2).coordinator == r.coordinator);
  // A broker that does not lead the partition refuses the group's requests.
  const int32_t other = r.coordinator.value == 1 ? 2 : 1;
  CHECK(gc.fetch(gc.cluster().broker_node(other)).error == Errc::not_coordinator);
}

TEST_CASE("replicated offsets survive a coordinator failover, and the new coordinator loads them from its log",
          "[group][coordinator][cluster][failover]") {
  GroupCluster gc;
  auto r = gc.await_coordinator(1);
  // Let the new leader finish loading its partition.
  gc.cluster().run_for(millis(100));
  auto c = gc.commit(r.node, 42);
  REQUIRE(c.partitions.at(0).error == Errc::none);  // acks=all: the HW covers it
  CHECK(gc.committed(r.node) == 42);

  gc.cluster().sim().crash(r.node);
  const int32_t survivor = r.coordinator.value == 1 ? 2 : 1;
  auto moved = gc.await_coordinator(survivor, r.coordinator.value);
  CHECK(moved.coordinator != r.coordinator);
  CHECK(gc.committed(moved.node) == 42);
  const auto loaded = gc.cluster().sim().trace().events();
  bool saw_load = false;
  for (const auto& e : loaded)
    if (const auto* l = std::get_if<trace::CoordinatorLoaded>(&e.payload))
      saw_load |= l->broker == moved.coordinator && l->partition == gc.offsets_tp().partition && l->offsets == 1;
  CHECK(saw_load);
}

TEST_CASE("a commit the coordinator could not replicate before losing power is lost with it",
          "[group][coordinator][cluster][failover]") {
  GroupCluster gc;
  auto r = gc.await_coordinator(1);
  gc.cluster().run_for(millis(100));
  REQUIRE(gc.commit(r.node, 10).partitions.at(0).error == Errc::none);
  // The coordinator is cut off from the other brokers: its followers stop fetching.
  for (int32_t b = 1; b <= 3; ++b)
    if (b != r.coordinator.value) gc.cluster().sim().network().set_link(r.node, gc.cluster().broker_node(b), false, false);
  const int32_t pending = gc.send(r.node, [] {
    OffsetCommitRequest req;
    req.group_id = kGroup;
    req.partitions.push_back({TopicPartition{"orders", PartitionId(0)}, Offset(20), LeaderEpoch(0), ""});
    return req;
  }());
  gc.cluster().run_for(millis(500));
  // The record is in the leader's log, but not covered by the HW: no answer yet.
  CHECK_FALSE(gc.probe().response<OffsetCommitResponse>(pending));
  const Partition* leader = gc.cluster().broker(r.coordinator.value)->partition(gc.offsets_tp());
  REQUIRE(leader);
  CHECK(leader->log().log_end_offset() > leader->log().high_watermark());
  // Power loss on the coordinator, then the links come back.
  gc.cluster().sim().crash(r.node, /*power_loss=*/true);
  for (int32_t b = 1; b <= 3; ++b)
    if (b != r.coordinator.value) gc.cluster().sim().network().set_link(r.node, gc.cluster().broker_node(b), true, true);
  const int32_t survivor = r.coordinator.value == 1 ? 2 : 1;
  auto moved = gc.await_coordinator(survivor, r.coordinator.value);
  // The new coordinator never saw offset 20: the committed offset is still 10.
  CHECK(gc.committed(moved.node) == 10);
}

TEST_CASE("a new coordinator answers COORDINATOR_LOAD_IN_PROGRESS until it has read its partition",
          "[group][coordinator][cluster][loading]") {
  GroupCluster gc(/*load_bytes_per_ms=*/1);  // a slow disk: 1 byte per ms
  auto r = gc.await_coordinator(1);
  int loading = 0;
  gc.cluster().run_for(millis(10));
  for (int i = 0; i < 5; ++i) REQUIRE(gc.commit(r.node, 100 + i).partitions.at(0).error == Errc::none);
  gc.cluster().sim().crash(r.node);
  const int32_t survivor = r.coordinator.value == 1 ? 2 : 1;
  auto moved = gc.await_coordinator(survivor, r.coordinator.value);
  CHECK(gc.committed(moved.node, &loading) == 104);
  CHECK(loading > 0);
}

namespace {

// One failover story, for the determinism check.
uint64_t failover_run_hash(std::string* jsonl) {
  GroupCluster gc;
  auto r = gc.await_coordinator(1);
  gc.cluster().run_for(millis(100));
  REQUIRE(gc.commit(r.node, 42).partitions.at(0).error == Errc::none);
  gc.cluster().sim().crash(r.node);
  auto moved = gc.await_coordinator(r.coordinator.value == 1 ? 2 : 1, r.coordinator.value);
  REQUIRE(gc.committed(moved.node) == 42);
  if (jsonl) {
    const Trace& t = gc.cluster().sim().trace();
    append_jsonl_header(*jsonl, t.header());
    for (const auto& e : t.events()) append_jsonl_event(*jsonl, t.header(), e);
  }
  return gc.cluster().sim().trace().hash();
}

}  // namespace

TEST_CASE("a coordinator failover run is deterministic and its group events read back from JSON Lines",
          "[group][coordinator][cluster][trace]") {
  std::string text;
  const uint64_t first = failover_run_hash(&text);
  CHECK(failover_run_hash(nullptr) == first);
  std::istringstream in(text);
  LoadedTrace loaded;
  REQUIRE_FALSE(read_jsonl_trace(in, loaded));
  std::string again;
  append_jsonl_header(again, loaded.header);
  for (const auto& e : loaded.events) append_jsonl_event(again, loaded.header, e);
  CHECK(again == text);
  int loads = 0, commits = 0;
  for (const auto& e : loaded.events) {
    if (const auto* l = std::get_if<trace::CoordinatorLoaded>(&e.payload)) loads += l->offsets;
    if (const auto* c = std::get_if<trace::OffsetsCommitted>(&e.payload)) {
      ++commits;
      CHECK(c->offsets == std::vector<Offset>{Offset(42)});
      CHECK(describe_event(loaded.header, e).find("orders-0@42") != std::string::npos);
    }
  }
  CHECK(commits == 1);
  CHECK(loads == 1);  // the new coordinator found the commit in its log
}

}  // namespace ksim::test
