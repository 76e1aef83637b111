// Idempotence as the brokers of a simulated cluster do it, driven by a client
// that sends hand-written requests: InitProducerId answered from blocks the
// controller hands out (KIP-730), and retried Produce requests answered with
// the original offsets (KIP-98), with acks=all waiting like the original.
#include <catch2/catch.hpp>
#include <functional>

#include "core/broker/broker_node.h"
#include "core/controller/controller_node.h"
#include "sim/cluster/cluster.h"
#include "tests/support/raw_client.h"

namespace ksim {
namespace {

const TopicPartition kTp{"orders", PartitionId(0)};

struct IdempotenceCluster {
  Cluster cluster;
  NodeId client;

  static ClusterSpec spec(const std::function<void(ClusterSpec&)>& customize) {
    ClusterSpec s;
    s.seed = 3;
    s.name = "idempotent broker test";
    s.brokers = 3;
    s.network.default_link = LinkSpec{millis(1), millis(1), {}, 0.0};
    InitialTopic t;
    t.name = kTp.topic;
    t.partitions = 1;
    t.replication_factor = 3;
    s.controller.initial_topics.push_back(t);
    if (customize) customize(s);
    return s;
  }

  explicit IdempotenceCluster(const std::function<void(ClusterSpec&)>& customize = {}) : cluster(spec(customize)) {
    client = cluster.add_node("c1", "client", [](Env& env) { return std::make_unique<test::RawClient>(env); });
    cluster.start();
    REQUIRE(cluster.run_until([&] { return leader() > 0 && partition(leader())->isr().size() == 3; }, seconds(30)));
  }

  test::RawClient& raw() { return *cluster.sim().process_as<test::RawClient>(client); }
  const Partition* partition(int32_t broker) {
    BrokerNode* b = cluster.broker(broker);
    return b ? b->partition(kTp) : nullptr;
  }
  int32_t leader() {
    for (int32_t b = 1; b <= 3; ++b)
      if (const Partition* p = partition(b); p && p->is_leader()) return b;
    return -1;
  }
  void send(int32_t broker, Message m) {
    cluster.sim().invoke(client, [&](Node& n) { static_cast<test::RawClient&>(n).send(cluster.broker_node(broker), m); });
  }
  template <class T>
  std::vector<std::pair<SimTime, T>> answers() {
    return raw().received_of<T>();
  }
  template <class T>
  std::vector<T> events() {
    std::vector<T> out;
    for (const TraceEvent& e : cluster.sim().trace().events())
      if (const auto* x = std::get_if<T>(&e.payload)) out.push_back(*x);
    return out;
  }

  // InitProducerId to `broker` until it answers something else than
  // COORDINATOR_LOAD_IN_PROGRESS (as a client retries after retry.backoff.ms).
  InitProducerIdResponse init_producer_id(int32_t broker, int* load_in_progress_answers) {
    for (int attempt = 0; attempt < 20; ++attempt) {
      const size_t before = answers<InitProducerIdResponse>().size();
      InitProducerIdRequest req;
      req.correlation_id = 100 + attempt;
      send(broker, req);
      REQUIRE(cluster.run_until([&] { return answers<InitProducerIdResponse>().size() > before; }, seconds(5)));
      const InitProducerIdResponse r = answers<InitProducerIdResponse>().back().second;
      if (r.error != Errc::coordinator_load_in_progress) return r;
      ++*load_in_progress_answers;
      cluster.run_for(millis(100));  // retry.backoff.ms
    }
    FAIL("InitProducerId never succeeded");
    return {};
  }
};

ProduceRequest idempotent_produce(int32_t correlation_id, int64_t pid, int32_t base_seq, int records, uint64_t first_id,
                                  Acks acks = Acks::all, int64_t timestamp_ms = 0) {
  ProduceRequest req;
  req.correlation_id = correlation_id;
  req.acks = acks;
  ProducePartitionData pd;
  pd.tp = kTp;
  pd.batch.producer_id = ProducerId(pid);
  pd.batch.producer_epoch = ProducerEpoch(0);
  pd.batch.base_sequence = Sequence(base_seq);
  for (int i = 0; i < records; ++i)
    pd.batch.records.push_back(Record{RecordId(first_id + static_cast<uint64_t>(i)), "", false, 10, timestamp_ms});
  req.partitions.push_back(std::move(pd));
  return req;
}

TEST_CASE("InitProducerId: a new broker answers COORDINATOR_LOAD_IN_PROGRESS until its first block arrives",
          "[replication][idempotence]") {
  IdempotenceCluster c;
  int retries = 0;
  const InitProducerIdResponse first = c.init_producer_id(2, &retries);
  CHECK(retries == 1);  // the first request only fetched a block
  CHECK(first.error == Errc::none);
  CHECK(first.producer_id == ProducerId(0));
  CHECK(first.producer_epoch == ProducerEpoch(0));
  // The same broker answers the next one at once from its block.
  retries = 0;
  CHECK(c.init_producer_id(2, &retries).producer_id == ProducerId(1));
  CHECK(retries == 0);
  // Another broker gets the next block of 1000: ids are never shared.
  const InitProducerIdResponse other = c.init_producer_id(3, &retries);
  CHECK(other.producer_id == ProducerId(1000));
  CHECK(retries == 1);

  const auto blocks = c.events<trace::ProducerIdBlockAllocated>();
  REQUIRE(blocks.size() == 2);
  CHECK(blocks[0].broker == BrokerId(2));
  CHECK(blocks[1].broker == BrokerId(3));
  CHECK(blocks[1].first_producer_id == ProducerId(1000));
  const auto allocated = c.events<trace::ProducerIdAllocated>();
  REQUIRE(allocated.size() == 3);
  CHECK(allocated[2].client == c.client);
  CHECK(allocated[2].producer_id == ProducerId(1000));
}

TEST_CASE("InitProducerId with only one of producer id and epoch set is INVALID_REQUEST", "[replication][idempotence]") {
  IdempotenceCluster c;
  InitProducerIdRequest req;
  req.correlation_id = 9;
  req.producer_id = ProducerId(5);
  c.send(1, req);
  REQUIRE(c.cluster.run_until([&] { return !c.answers<InitProducerIdResponse>().empty(); }, seconds(5)));
  CHECK(c.answers<InitProducerIdResponse>().back().second.error == Errc::invalid_request);
}

TEST_CASE("a duplicate with acks=all is answered with the original offsets once the original is committed",
          "[replication][idempotence]") {
  IdempotenceCluster c;
  const int32_t leader = c.leader();
  // The original and its retry leave together (the retry as if the first
  // connection had broken after sending).
  const SimTime sent_at = c.cluster.sim().now();
  c.send(leader, idempotent_produce(1, 500, 0, 3, 1));
  c.send(leader, idempotent_produce(2, 500, 0, 3, 1));
  REQUIRE(c.cluster.run_until([&] { return c.answers<ProduceResponse>().size() == 2; }, seconds(5)));
  const auto answers = c.answers<ProduceResponse>();
  for (const auto& [at, r] : answers) {
    CAPTURE(r.correlation_id);
    REQUIRE(r.partitions.size() == 1);
    CHECK(r.partitions[0].error == Errc::none);
    CHECK(r.partitions[0].base_offset == Offset(0));
    // Not answered on arrival (that would be sent_at + 2 ms): both waited for the HW.
    CHECK(at > sent_at + millis(2));
  }
  CHECK(answers[0].first == answers[1].first);
  CHECK(c.partition(leader)->log().log_end_offset() == Offset(3));
  CHECK(c.partition(leader)->log().high_watermark() == Offset(3));
  REQUIRE(c.events<trace::ProduceDuplicate>().size() == 1);

  // A retry after the commit is answered at once, still with offset 0.
  const SimTime later = c.cluster.sim().now();
  c.send(leader, idempotent_produce(3, 500, 0, 3, 1));
  REQUIRE(c.cluster.run_until([&] { return c.answers<ProduceResponse>().size() == 3; }, seconds(5)));
  CHECK(c.answers<ProduceResponse>().back().first == later + millis(2));
  CHECK(c.answers<ProduceResponse>().back().second.partitions[0].base_offset == Offset(0));
  // The next batch goes on; a gap is refused.
  c.send(leader, idempotent_produce(4, 500, 3, 1, 4));
  c.send(leader, idempotent_produce(5, 500, 9, 1, 5));
  REQUIRE(c.cluster.run_until([&] { return c.answers<ProduceResponse>().size() == 5; }, seconds(5)));
  // The gap is refused at once; the in-sequence batch is answered when committed.
  const auto all = c.answers<ProduceResponse>();
  CHECK(all[3].second.correlation_id == 5);
  CHECK(all[3].second.partitions[0].error == Errc::out_of_order_sequence_number);
  CHECK(all[4].second.correlation_id == 4);
  CHECK(all[4].second.partitions[0].base_offset == Offset(3));
  for (int32_t b = 1; b <= 3; ++b) CHECK(c.partition(b)->log().log_end_offset() == Offset(4));
}

TEST_CASE("after the leader dies, the new leader answers a retry of a replicated batch with its offset",
          "[replication][idempotence]") {
  IdempotenceCluster c;
  const int32_t old_leader = c.leader();
  c.send(old_leader, idempotent_produce(1, 77, 0, 2, 1));
  c.send(old_leader, idempotent_produce(2, 77, 2, 2, 3));
  REQUIRE(c.cluster.run_until([&] { return c.answers<ProduceResponse>().size() == 2; }, seconds(5)));
  c.cluster.sim().crash(c.cluster.broker_node(old_leader));
  REQUIRE(c.cluster.run_until([&] { return c.leader() > 0 && c.leader() != old_leader; }, seconds(60)));
  const int32_t new_leader = c.leader();
  // The producer never got the second answer (say) and retries at the new leader.
  c.send(new_leader, idempotent_produce(3, 77, 2, 2, 3));
  REQUIRE(c.cluster.run_until([&] { return c.answers<ProduceResponse>().size() == 3; }, seconds(30)));
  const ProducePartitionResponse retry = c.answers<ProduceResponse>().back().second.partitions[0];
  CHECK(retry.error == Errc::none);
  CHECK(retry.base_offset == Offset(2));
  CHECK(c.partition(new_leader)->log().log_end_offset() == Offset(4));
}

TEST_CASE("once a producer id expires, its retry is no longer recognised and is appended again",
          "[replication][idempotence]") {
  IdempotenceCluster c([](ClusterSpec& s) {
    s.broker.producer_id_expiration_ms = 10000;
    s.broker.producer_id_expiration_check_interval_ms = 1000;
  });
  const int32_t leader = c.leader();
  const int64_t now_ms = c.cluster.sim().now().ms();
  c.send(leader, idempotent_produce(1, 900, 0, 1, 1, Acks::all, now_ms));
  REQUIRE(c.cluster.run_until([&] { return c.answers<ProduceResponse>().size() == 1; }, seconds(5)));
  c.cluster.run_for(seconds(5));
  c.send(leader, idempotent_produce(2, 900, 0, 1, 1, Acks::all, now_ms));  // still remembered
  REQUIRE(c.cluster.run_until([&] { return c.answers<ProduceResponse>().size() == 2; }, seconds(5)));
  CHECK(c.answers<ProduceResponse>().back().second.partitions[0].base_offset == Offset(0));
  REQUIRE(c.partition(leader)->log().producer_state().entry(ProducerId(900)) != nullptr);

  c.cluster.run_for(seconds(6));  // idle for more than producer.id.expiration.ms
  CHECK(c.partition(leader)->log().producer_state().entry(ProducerId(900)) == nullptr);
  c.send(leader, idempotent_produce(3, 900, 0, 1, 1, Acks::all, now_ms));
  REQUIRE(c.cluster.run_until([&] { return c.answers<ProduceResponse>().size() == 3; }, seconds(5)));
  CHECK(c.answers<ProduceResponse>().back().second.partitions[0].base_offset == Offset(1));  // a duplicate in the log
  CHECK(c.partition(leader)->log().log_end_offset() == Offset(2));
}

}  // namespace
}  // namespace ksim
