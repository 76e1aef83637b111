// KIP-227 fetch sessions on a real broker, driven by a client that writes its
// Fetch requests by hand: a full fetch creates a session, incremental fetches
// list only what changed and are answered only with news, a replayed epoch or
// an unknown session is an error, a parked incremental fetch answers with the
// partition that woke it, and a restarted broker has forgotten every session.
#include <catch2/catch.hpp>

#include "core/broker/broker_node.h"
#include "sim/cluster/cluster.h"
#include "tests/support/raw_client.h"

namespace ksim {
namespace {

TopicPartition tp(int p) { return {"orders", PartitionId(p)}; }

struct SessionCluster {
  Cluster cluster;
  NodeId client;
  int32_t next_correlation = 1;

  static ClusterSpec spec() {
    ClusterSpec s;
    s.seed = 5;
    s.name = "fetch session test";
    s.brokers = 3;
    s.network.default_link = LinkSpec{millis(1), millis(1), {}, 0.0};
    InitialTopic t;
    t.name = "orders";
    t.assignment = {{1, 2, 3}, {1, 2, 3}, {1, 2, 3}};  // broker 1 leads all three
    s.controller.initial_topics.push_back(t);
    return s;
  }

  SessionCluster() : cluster(spec()) {
    client = cluster.add_node("c1", "client", [](Env& env) { return std::make_unique<test::RawClient>(env); });
    cluster.start();
    REQUIRE(cluster.run_until(
        [&] {
          for (int p = 0; p < 3; ++p) {
            const Partition* x = cluster.broker(1) ? cluster.broker(1)->partition(tp(p)) : nullptr;
            if (!x || !x->is_leader() || x->isr().size() != 3) return false;
          }
          // ... and both followers fetch from it in a session of all three.
          for (int32_t b : {2, 3}) {
            const ReplicaFetcher* f = cluster.broker(b) ? cluster.broker(b)->fetcher(BrokerId(1)) : nullptr;
            if (!f || f->session().session_id() == kInvalidFetchSessionId || f->session().session_size() != 3)
              return false;
          }
          return true;
        },
        seconds(30)));
  }

  test::RawClient& raw() { return *cluster.sim().process_as<test::RawClient>(client); }
  void send(int32_t broker, Message m) {
    cluster.sim().invoke(client, [&](Node& n) { static_cast<test::RawClient&>(n).send(cluster.broker_node(broker), m); });
  }
  // Sends a consumer Fetch to broker 1 and waits for its answer.
  FetchResponse fetch(FetchRequest req, Duration limit = seconds(2)) {
    req.correlation_id = next_correlation++;
    const size_t before = raw().received_of<FetchResponse>().size();
    send(1, req);
    REQUIRE(cluster.run_until([&] { return raw().received_of<FetchResponse>().size() > before; }, limit));
    return raw().received_of<FetchResponse>().back().second;
  }
  void produce(int p, int records) {
    ProduceRequest req;
    req.correlation_id = next_correlation++;
    req.acks = Acks::all;
    ProducePartitionData d;
    d.tp = tp(p);
    for (int i = 0; i < records; ++i)
      d.batch.records.push_back(Record{make_record_id(NodeId(900), static_cast<uint64_t>(next_correlation * 100 + i)), "", false, 10, 0});
    req.partitions.push_back(d);
    send(1, req);
  }
  Offset hw(int p) { return cluster.broker(1)->partition(tp(p))->log().high_watermark(); }
};

FetchPartitionData at(int p, int64_t offset) {
  FetchPartitionData d;
  d.tp = tp(p);
  d.fetch_offset = Offset(offset);
  d.current_leader_epoch = LeaderEpoch(-1);
  return d;
}

FetchRequest request(int32_t session_id, int32_t epoch, std::vector<FetchPartitionData> parts, int32_t max_wait_ms = 0) {
  FetchRequest r;
  r.session_id = session_id;
  r.session_epoch = epoch;
  r.max_wait_ms = max_wait_ms;
  r.partitions = std::move(parts);
  return r;
}

std::vector<TopicPartition> tps(const FetchResponse& r) {
  std::vector<TopicPartition> out;
  for (const auto& p : r.partitions) out.push_back(p.tp);
  return out;
}

TEST_CASE("a broker's fetch session: full, then incremental answers with only the partitions that have news",
          "[broker][fetch-session]") {
  SessionCluster c;
  // The followers already fetch from broker 1 in sessions of their own.
  for (int32_t follower : {2, 3}) {
    const ReplicaFetcher* f = c.cluster.broker(follower)->fetcher(BrokerId(1));
    REQUIRE(f != nullptr);
    CHECK(f->session().session_id() != kInvalidFetchSessionId);
    CHECK(f->session().session_size() == 3);
  }
  const size_t follower_sessions = c.cluster.broker(1)->fetch_sessions().size();
  CHECK(follower_sessions == 2);

  const FetchResponse full = c.fetch(request(0, 0, {at(0, 0), at(1, 0), at(2, 0)}));
  CHECK(full.error == Errc::none);
  CHECK(full.partitions.size() == 3);
  const int32_t id = full.session_id;
  REQUIRE(id != kInvalidFetchSessionId);
  CHECK(c.cluster.broker(1)->fetch_sessions().size() == follower_sessions + 1);

  // Nothing changed: an incremental fetch gets an empty answer.
  const FetchResponse idle = c.fetch(request(id, 1, {}));
  CHECK(idle.error == Errc::none);
  CHECK(idle.session_id == id);
  CHECK(idle.partitions.empty());

  // Two records on orders-1: the next answer carries orders-1 only (its
  // records and its new HW), though the request listed nothing.
  c.produce(1, 2);
  REQUIRE(c.cluster.run_until([&] { return c.hw(1) == Offset(2); }, seconds(5)));
  const FetchResponse news = c.fetch(request(id, 2, {}));
  REQUIRE(tps(news) == std::vector<TopicPartition>{tp(1)});
  CHECK(news.partitions[0].high_watermark == Offset(2));
  REQUIRE(news.partitions[0].batches.size() == 1);
  CHECK(news.partitions[0].batches[0].count() == 2);

  // Moving orders-1's position to 2 (only it is listed): no news.
  CHECK(c.fetch(request(id, 3, {at(1, 2)})).partitions.empty());

  // Replaying epoch 3, or a session the broker does not know: errors, no data.
  const FetchResponse replay = c.fetch(request(id, 3, {}));
  CHECK(replay.error == Errc::invalid_fetch_session_epoch);
  CHECK(replay.partitions.empty());
  const FetchResponse unknown = c.fetch(request(id ^ 1, 1, {}));
  CHECK(unknown.error == Errc::fetch_session_id_not_found);
}

TEST_CASE("a parked incremental fetch wakes on one partition's progress and answers with that partition only",
          "[broker][fetch-session]") {
  SessionCluster c;
  const FetchResponse full = c.fetch(request(0, 0, {at(0, 0), at(1, 0), at(2, 0)}));
  const int32_t id = full.session_id;
  REQUIRE(id != kInvalidFetchSessionId);
  FetchRequest parked = request(id, 1, {}, /*max_wait_ms=*/500);
  parked.correlation_id = 77;
  const size_t before = c.raw().received_of<FetchResponse>().size();
  c.send(1, parked);
  c.cluster.run_for(millis(100));
  CHECK(c.raw().received_of<FetchResponse>().size() == before);  // parked: nothing to say yet
  c.produce(2, 1);
  REQUIRE(c.cluster.run_until([&] { return c.raw().received_of<FetchResponse>().size() > before; }, millis(300)));
  const auto [when, answer] = c.raw().received_of<FetchResponse>().back();
  CHECK(answer.correlation_id == 77);
  REQUIRE(tps(answer) == std::vector<TopicPartition>{tp(2)});
  CHECK(answer.partitions[0].batches.size() == 1);
}

TEST_CASE("a parked incremental fetch with no news answers at max_wait_ms with no partitions", "[broker][fetch-session]") {
  SessionCluster c;
  const int32_t id = c.fetch(request(0, 0, {at(0, 0), at(1, 0)})).session_id;
  REQUIRE(id != kInvalidFetchSessionId);
  const SimTime sent = c.cluster.sim().now();
  const FetchResponse r = c.fetch(request(id, 1, {}, 500));
  CHECK(r.partitions.empty());
  CHECK(r.error == Errc::none);
  CHECK(c.cluster.sim().now() - sent >= millis(500));
}

TEST_CASE("a restarted broker has no sessions: an incremental fetch gets FETCH_SESSION_ID_NOT_FOUND, a full one a new "
          "session",
          "[broker][fetch-session]") {
  SessionCluster c;
  const int32_t id = c.fetch(request(0, 0, {at(0, 0)})).session_id;
  REQUIRE(id != kInvalidFetchSessionId);
  c.cluster.sim().crash(c.cluster.broker_node(1));
  c.cluster.sim().restart(c.cluster.broker_node(1));
  REQUIRE(c.cluster.run_until([&] { return c.cluster.broker(1) && c.cluster.broker(1)->broker_epoch().value >= 0; },
                              seconds(30)));
  CHECK(c.cluster.broker(1)->fetch_sessions().size() <= 2);  // at most the followers' new ones
  const FetchResponse lost = c.fetch(request(id, 1, {}));
  CHECK(lost.error == Errc::fetch_session_id_not_found);
  const FetchResponse again = c.fetch(request(0, 0, {at(0, 0)}));
  CHECK(again.error == Errc::none);
  CHECK(again.partitions.size() == 1);
}

}  // namespace
}  // namespace ksim
