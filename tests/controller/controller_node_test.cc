#include <catch2/catch.hpp>

#include <map>
#include <set>

#include "core/controller/replica_placer.h"
#include "tests/controller/controller_cluster.h"

namespace ksim::test {
namespace {

// The last time the controller received a heartbeat from broker `id`.
SimTime last_heartbeat_at(ControllerCluster& c, int32_t id) {
  SimTime last;
  for (const TraceEvent& e : c.sim().trace().events())
    if (const auto* d = std::get_if<trace::MessageDelivered>(&e.payload))
      if (d->type == "BrokerHeartbeat" && d->from == ControllerCluster::broker_node(id)) last = e.time;
  return last;
}

std::optional<SimTime> fenced_at(ControllerCluster& c, int32_t id, const std::string& reason) {
  for (const auto& f : c.fencings(id))
    if (f.event.fenced && f.event.reason == reason) return f.at;
  return std::nullopt;
}

// --- registration and heartbeats ----------------------------------------------

TEST_CASE("a broker registers fenced, its epoch is its registration's offset, and it is unfenced once caught up",
          "[controller][lifecycle]") {
  ControllerCluster c(brokers(3));
  c.run_until_all_unfenced();
  for (int32_t id = 1; id <= 3; ++id) {
    const auto epoch = c.broker(id).epoch;
    REQUIRE(epoch);
    const auto* reg = std::get_if<RegisterBrokerRecord>(&c.controller().log().at(epoch->value));
    REQUIRE(reg);
    CHECK(reg->broker == BrokerId(id));
    CHECK(reg->broker_epoch == *epoch);
    CHECK(reg->node == ControllerCluster::broker_node(id));
    CHECK(c.broker_info(id).epoch == *epoch);
    const auto f = c.fencings(id);
    REQUIRE(f.size() == 2);
    CHECK(f[0].event.fenced);
    CHECK(f[0].event.reason == "registered");
    CHECK_FALSE(f[1].event.fenced);
    CHECK(f[1].event.reason == "caught_up");
  }
  c.run_for(seconds(3));
  for (int32_t id = 1; id <= 3; ++id) {
    CHECK_FALSE(c.broker(id).fenced);
    CHECK(c.broker(id).heartbeat_responses.back().is_caught_up);
  }
}

TEST_CASE("a broker that has not replayed its own registration record stays fenced", "[controller][lifecycle]") {
  ControllerCluster c(brokers(2));
  // broker-1's metadata fetches never reach the controller.
  MessageRule rule;
  rule.match = MessageMatch{"MetadataFetch", ControllerCluster::broker_node(1), kNoNode};
  rule.action = RuleAction::hold;
  rule.count = -1;
  const RuleId hold = c.sim().network().add_rule(rule);
  c.run_for(seconds(20));
  CHECK(c.broker_info(1).fenced);
  CHECK_FALSE(c.broker_info(2).fenced);
  const auto& hb = c.broker(1).heartbeat_responses;
  REQUIRE(hb.size() >= 5);
  CHECK(std::all_of(hb.begin(), hb.end(), [](const auto& r) { return r.is_fenced && !r.is_caught_up; }));
  c.sim().network().remove_rule(hold);
  c.sim().network().release_held(hold);
  c.run_until_all_unfenced();
  CHECK_FALSE(c.broker_info(1).fenced);
}

TEST_CASE("heartbeats with a wrong epoch or from an unregistered broker get STALE_BROKER_EPOCH",
          "[controller][lifecycle]") {
  ControllerCluster c(brokers(1));
  c.run_until_all_unfenced();
  const BrokerEpoch epoch = *c.broker(1).epoch;
  c.act(1, [&](FakeBroker& b) {
    b.send_raw(BrokerHeartbeatRequest{77, BrokerId(1), epoch + 100, 5, false, false});
    b.send_raw(BrokerHeartbeatRequest{78, BrokerId(9), BrokerEpoch(0), 5, false, false});
  });
  c.run_for(millis(10));
  std::map<int32_t, Errc> errors;
  for (const auto& r : c.broker(1).heartbeat_responses) errors[r.correlation_id] = r.error;
  CHECK(errors.at(77) == Errc::stale_broker_epoch);
  CHECK(errors.at(78) == Errc::stale_broker_epoch);
  CHECK_FALSE(c.broker_info(1).fenced);
}

TEST_CASE("a restarted broker is refused while its old session lives, then registers with a new epoch",
          "[controller][lifecycle]") {
  ControllerCluster c(brokers(3));
  c.run_until_all_unfenced();
  REQUIRE(c.create_topic("t", 1, 3, {{2, 1, 3}}).error == Errc::none);
  const BrokerEpoch old_epoch = *c.broker(2).epoch;
  const SimTime last = last_heartbeat_at(c, 2);
  c.sim().crash(ControllerCluster::broker_node(2));
  c.sim().restart(ControllerCluster::broker_node(2));
  c.run_for(seconds(2));
  REQUIRE_FALSE(c.broker(2).registration_responses.empty());
  CHECK(c.broker(2).registration_responses.front().error == Errc::duplicate_broker_registration);
  CHECK_FALSE(c.broker(2).epoch);
  REQUIRE(c.run_until([&] { return c.broker(2).epoch.has_value(); }, seconds(20)));
  CHECK(*c.broker(2).epoch > old_epoch);
  // The old incarnation was fenced when its session ran out, leadership moved.
  const auto fenced = fenced_at(c, 2, "session_expired");
  REQUIRE(fenced);
  CHECK(*fenced == last + millis(9000) + micros(1));
  CHECK(c.partition("t", 0).leader == BrokerId(1));
  c.run_until_all_unfenced();
  CHECK(c.broker_info(2).epoch == *c.broker(2).epoch);
}

// --- session expiry -------------------------------------------------------------

TEST_CASE("a silent broker is fenced broker.session.timeout.ms after its last heartbeat, not before",
          "[controller][session]") {
  ControllerCluster c(brokers(3));
  c.run_until_all_unfenced();
  REQUIRE(c.create_topic("t", 1, 3, {{1, 2, 3}}).error == Errc::none);
  CHECK(c.partition("t", 0).leader == BrokerId(1));
  c.run_for(seconds(1));
  c.act(1, [](FakeBroker& b) { b.stop_heartbeats(); });
  const SimTime last = last_heartbeat_at(c, 1);

  c.sim().run_until(last + seconds(9));
  CHECK_FALSE(c.broker_info(1).fenced);
  CHECK(c.partition("t", 0).leader == BrokerId(1));

  c.run_for(millis(1));
  CHECK(c.broker_info(1).fenced);
  REQUIRE(fenced_at(c, 1, "session_expired"));
  CHECK(*fenced_at(c, 1, "session_expired") == last + seconds(9) + micros(1));

  // Leadership moved to the next ISR replica with a leader epoch bump, and
  // the fenced broker left the ISR.
  const auto& p = c.partition("t", 0);
  CHECK(p.leader == BrokerId(2));
  CHECK(p.leader_epoch == LeaderEpoch(1));
  CHECK(p.isr == std::vector<int32_t>{2, 3});
  CHECK(p.partition_epoch == 1);
  const auto changes = c.partition_changes("t", 0);
  REQUIRE(changes.size() == 2);
  CHECK(changes[0].reason == "created");
  CHECK(changes[1].reason == "election");
  CHECK(changes[1].leader == BrokerId(2));

  // The other brokers learn it through the metadata log.
  c.run_for(millis(10));
  const auto* seen = c.broker(3).image.partition(TopicPartition{"t", PartitionId(0)});
  REQUIRE(seen);
  CHECK(seen->leader == BrokerId(2));
}

TEST_CASE("a fenced follower leaves the ISR without a leader change", "[controller][session]") {
  ControllerCluster c(brokers(3));
  c.run_until_all_unfenced();
  REQUIRE(c.create_topic("t", 1, 3, {{1, 2, 3}}).error == Errc::none);
  c.act(3, [](FakeBroker& b) { b.stop_heartbeats(); });
  c.run_for(seconds(12));
  const auto& p = c.partition("t", 0);
  CHECK(p.leader == BrokerId(1));
  CHECK(p.leader_epoch == LeaderEpoch(0));
  CHECK(p.isr == std::vector<int32_t>{1, 2});
  CHECK(c.partition_changes("t", 0).back().reason == "broker_fenced");
}

TEST_CASE("the last ISR member stays in the ISR while the partition is offline, and leads again when it returns",
          "[controller][session]") {
  ControllerCluster c(brokers(2));
  c.run_until_all_unfenced();
  REQUIRE(c.create_topic("t", 1, 2, {{1, 2}}).error == Errc::none);
  c.act(2, [](FakeBroker& b) { b.stop_heartbeats(); });
  c.run_for(seconds(12));
  CHECK(c.partition("t", 0).isr == std::vector<int32_t>{1});

  c.act(1, [](FakeBroker& b) { b.stop_heartbeats(); });
  c.run_for(seconds(12));
  {
    const auto& p = c.partition("t", 0);
    CHECK(p.leader == kNoBroker);
    CHECK(p.isr == std::vector<int32_t>{1});
    CHECK(p.leader_epoch == LeaderEpoch(1));
    CHECK(c.partition_changes("t", 0).back().reason == "no_leader");
  }

  // Broker 2 returns, but it is not in the ISR: no clean leader.
  c.act(2, [](FakeBroker& b) { b.resume_heartbeats(); });
  c.run_for(seconds(5));
  CHECK_FALSE(c.broker_info(2).fenced);
  CHECK(c.partition("t", 0).leader == kNoBroker);

  // Broker 1, the last ISR member, returns and leads again.
  c.act(1, [](FakeBroker& b) { b.resume_heartbeats(); });
  c.run_for(seconds(5));
  const auto& p = c.partition("t", 0);
  CHECK(p.leader == BrokerId(1));
  CHECK(p.isr == std::vector<int32_t>{1});
  CHECK(p.leader_epoch == LeaderEpoch(2));
  CHECK(c.partition_changes("t", 0).back().reason == "election");
}

// --- unclean election -----------------------------------------------------------

TEST_CASE("unclean.leader.election.enable elects an out-of-sync replica and shrinks the ISR to it",
          "[controller][unclean]") {
  const bool enabled = GENERATE(false, true);
  ClusterOptions o = brokers(2);
  o.controller.unclean_leader_election_enable = enabled;
  ControllerCluster c(o);
  c.run_until_all_unfenced();
  REQUIRE(c.create_topic("t", 1, 2, {{1, 2}}).error == Errc::none);
  // The leader drops the follower from the ISR, then dies.
  REQUIRE(c.alter_partition(1, "t", 0, {1}).error == Errc::none);
  c.act(1, [](FakeBroker& b) { b.stop_heartbeats(); });
  c.run_for(seconds(12));
  const auto& p = c.partition("t", 0);
  if (enabled) {
    CHECK(p.leader == BrokerId(2));
    CHECK(p.isr == std::vector<int32_t>{2});
    CHECK(c.partition_changes("t", 0).back().reason == "unclean_election");
  } else {
    CHECK(p.leader == kNoBroker);
    CHECK(p.isr == std::vector<int32_t>{1});
  }
}

TEST_CASE("a topic's unclean.leader.election.enable wins over the cluster default, also when a replica returns",
          "[controller][unclean]") {
  ControllerCluster c(brokers(2));
  c.run_until_all_unfenced();
  REQUIRE(c.create_topic("t", 1, 2, {{1, 2}}, {{"unclean.leader.election.enable", "true"}}).error == Errc::none);
  c.act(2, [](FakeBroker& b) { b.stop_heartbeats(); });
  c.run_for(seconds(12));
  c.act(1, [](FakeBroker& b) { b.stop_heartbeats(); });
  c.run_for(seconds(12));
  CHECK(c.partition("t", 0).leader == kNoBroker);  // nobody to elect
  c.act(2, [](FakeBroker& b) { b.resume_heartbeats(); });
  c.run_for(seconds(5));
  const auto& p = c.partition("t", 0);
  CHECK(p.leader == BrokerId(2));
  CHECK(p.isr == std::vector<int32_t>{2});
  CHECK(c.partition_changes("t", 0).back().reason == "unclean_election");
}

// --- AlterPartition -------------------------------------------------------------

TEST_CASE("AlterPartition from the leader commits the new ISR and answers with the committed state",
          "[controller][alter_partition]") {
  ControllerCluster c(brokers(3));
  c.run_until_all_unfenced();
  REQUIRE(c.create_topic("t", 1, 3, {{1, 2, 3}}).error == Errc::none);
  c.run_for(millis(10));

  const auto shrink = c.alter_partition(1, "t", 0, {1, 2});
  CHECK(shrink.error == Errc::none);
  CHECK(shrink.leader == BrokerId(1));
  CHECK(shrink.leader_epoch == LeaderEpoch(0));
  CHECK(shrink.isr == std::vector<int32_t>{1, 2});
  CHECK(shrink.partition_epoch == 1);
  CHECK(c.partition("t", 0).isr == std::vector<int32_t>{1, 2});
  CHECK(c.partition_changes("t", 0).back().reason == "isr_shrink");

  // The same ISR again: the current state, and no new record.
  c.run_for(millis(10));
  const int64_t end = c.controller().log().end_offset();
  const auto same = c.alter_partition(1, "t", 0, {1, 2});
  CHECK(same.error == Errc::none);
  CHECK(same.partition_epoch == 1);
  CHECK(c.controller().log().end_offset() == end);

  const auto expand = c.alter_partition(1, "t", 0, {1, 2, 3});
  CHECK(expand.error == Errc::none);
  CHECK(expand.isr == std::vector<int32_t>{1, 2, 3});
  CHECK(expand.partition_epoch == 2);
  CHECK(expand.leader_epoch == LeaderEpoch(0));
  CHECK(c.partition_changes("t", 0).back().reason == "isr_expand");
}

TEST_CASE("AlterPartition is rejected with Kafka's error for each invalid request, and changes nothing",
          "[controller][alter_partition]") {
  ControllerCluster c(brokers(4));
  c.run_until_all_unfenced();
  REQUIRE(c.create_topic("t", 1, 3, {{1, 2, 3}}).error == Errc::none);
  c.run_for(millis(10));
  const int64_t end = c.controller().log().end_offset();
  const int64_t epoch = c.broker(1).epoch->value;

  CHECK(c.alter_partition(1, "t", 0, {1, 2}, std::nullopt, std::nullopt, epoch + 1).error ==
        Errc::stale_broker_epoch);
  CHECK(c.alter_partition(1, "nope", 0, {1, 2}).error == Errc::unknown_topic_or_partition);
  CHECK(c.alter_partition(1, "t", 5, {1, 2}).error == Errc::unknown_topic_or_partition);
  CHECK(c.alter_partition(1, "t", 0, {1, 2}, /*leader_epoch=*/-1).error == Errc::fenced_leader_epoch);
  CHECK(c.alter_partition(1, "t", 0, {1, 2}, /*leader_epoch=*/1).error == Errc::not_controller);
  CHECK(c.alter_partition(2, "t", 0, {1, 2}).error == Errc::invalid_request);  // not the leader
  CHECK(c.alter_partition(1, "t", 0, {1, 2}, std::nullopt, /*partition_epoch=*/-1).error ==
        Errc::invalid_update_version);
  CHECK(c.alter_partition(1, "t", 0, {1, 2, 4}).error == Errc::invalid_request);  // 4 is not a replica
  CHECK(c.alter_partition(1, "t", 0, {1, 2, 2}).error == Errc::invalid_request);  // duplicate
  CHECK(c.alter_partition(1, "t", 0, {2, 3}).error == Errc::invalid_request);     // without the leader
  CHECK(c.controller().log().end_offset() == end);

  // A fenced broker may not join the ISR.
  REQUIRE(c.alter_partition(1, "t", 0, {1, 2}).error == Errc::none);
  c.act(3, [](FakeBroker& b) { b.stop_heartbeats(); });
  c.run_for(seconds(12));
  REQUIRE(c.broker_info(3).fenced);
  CHECK(c.alter_partition(1, "t", 0, {1, 2, 3}).error == Errc::ineligible_replica);
  CHECK(c.partition("t", 0).isr == std::vector<int32_t>{1, 2});
}

TEST_CASE("an AlterPartition from a deposed leader gets FENCED_LEADER_EPOCH", "[controller][alter_partition]") {
  ControllerCluster c(brokers(3));
  c.run_until_all_unfenced();
  REQUIRE(c.create_topic("t", 1, 3, {{1, 2, 3}}).error == Errc::none);
  c.act(1, [](FakeBroker& b) { b.stop_heartbeats(); });
  c.run_for(seconds(12));
  REQUIRE(c.partition("t", 0).leader == BrokerId(2));
  // Broker 1 still believes it leads at epoch 0 (its epoch is still registered).
  CHECK(c.alter_partition(1, "t", 0, {1}, /*leader_epoch=*/0, /*partition_epoch=*/0).error ==
        Errc::fenced_leader_epoch);
}

// --- topic creation -------------------------------------------------------------

TEST_CASE("replica assignment is Kafka's classic placement drawn from the controller's own random stream",
          "[controller][create_topic]") {
  ClusterOptions o = brokers(3);
  o.seed = 11;
  ControllerCluster c(o);
  c.run_until_all_unfenced();
  const auto resp = c.create_topic("orders", 6, 3);
  REQUIRE(resp.error == Errc::none);
  // The controller draws nothing else from its stream before this.
  Rng expected_rng = Rng::stream(11, "node/controller");
  const auto expected = place_replicas({{1, ""}, {2, ""}, {3, ""}}, 6, 3, expected_rng);
  std::map<int32_t, int> leads;
  for (int32_t p = 0; p < 6; ++p) {
    const auto& part = c.partition("orders", p);
    CHECK(part.replicas == expected.assignment[static_cast<size_t>(p)]);
    CHECK(part.isr == part.replicas);
    CHECK(part.leader.value == part.replicas[0]);
    CHECK(part.leader_epoch == LeaderEpoch(0));
    CHECK(part.partition_epoch == 0);
    ++leads[part.leader.value];
  }
  CHECK(leads == std::map<int32_t, int>{{1, 2}, {2, 2}, {3, 2}});
  const auto created = c.events<trace::TopicCreated>();
  REQUIRE(created.size() == 1);
  CHECK(created[0].topic == "orders");
  CHECK(created[0].replication_factor == 3);
  CHECK(created[0].assignment == expected.assignment);
  for (int32_t p = 0; p < 6; ++p) CHECK(c.partition_changes("orders", p).front().reason == "created");
}

TEST_CASE("CreateTopics errors are Kafka's", "[controller][create_topic]") {
  ControllerCluster c(brokers(3));
  c.run_until_all_unfenced();
  REQUIRE(c.create_topic("t", 1, 1).error == Errc::none);
  CHECK(c.create_topic("t", 1, 1).error == Errc::topic_already_exists);
  CHECK(c.create_topic("u", 1, 4).error == Errc::invalid_replication_factor);
  CHECK(c.create_topic("u", 0, 1).error == Errc::invalid_partitions);
  CHECK(c.create_topic("u", 1, 0).error == Errc::invalid_replication_factor);
  CHECK(c.create_topic("u", 1, 1, {{1, 9}}).error == Errc::invalid_replica_assignment);
  CHECK(c.create_topic("u", 1, 1, {{1, 1}}).error == Errc::invalid_replica_assignment);
  CHECK(c.create_topic("u", 1, 1, {{1, 2}, {3}}).error == Errc::invalid_replica_assignment);
  CHECK(c.create_topic("u", 1, 1, {}, {{"min.insync.replicas", "zero"}}).error == Errc::invalid_config);
  CHECK_FALSE(c.image().topic("u"));
  // -1 means the cluster defaults (num.partitions 1, default.replication.factor 1).
  REQUIRE(c.create_topic("d", -1, -1).error == Errc::none);
  CHECK(c.image().topic("d")->partitions == 1);
  CHECK(c.partition("d", 0).replicas.size() == 1);
}

TEST_CASE("live brokers only: a fenced broker gets no new replicas", "[controller][create_topic]") {
  ControllerCluster c(brokers(3));
  c.run_until_all_unfenced();
  c.act(3, [](FakeBroker& b) { b.stop_heartbeats(); });
  c.run_for(seconds(12));
  CHECK(c.create_topic("t", 1, 3).error == Errc::invalid_replication_factor);
  REQUIRE(c.create_topic("t", 4, 2).error == Errc::none);
  for (int32_t p = 0; p < 4; ++p)
    for (int32_t b : c.partition("t", p).replicas) CHECK(b != 3);
}

TEST_CASE("initial topics are created as soon as enough brokers are active", "[controller][create_topic]") {
  ClusterOptions o = brokers(3);
  o.controller.initial_topics.push_back(InitialTopic{"orders", 3, 3, {}, {{"min.insync.replicas", "2"}}});
  o.controller.initial_topics.push_back(InitialTopic{"pinned", 0, 0, {{3, 1}}, {}});
  ControllerCluster c(o);
  c.run_until_all_unfenced();
  c.run_for(millis(10));
  REQUIRE(c.image().topic("orders"));
  CHECK(c.image().topic("orders")->configs.at("min.insync.replicas") == "2");
  CHECK(c.partition("orders", 2).isr.size() == 3);
  CHECK(c.partition("pinned", 0).replicas == std::vector<int32_t>{3, 1});
  CHECK(c.partition("pinned", 0).leader == BrokerId(3));
  // Created once all three were unfenced, not before.
  SimTime last_unfence;
  for (int32_t id = 1; id <= 3; ++id) last_unfence = std::max(last_unfence, c.fencings(id).back().at);
  for (const TraceEvent& e : c.sim().trace().events())
    if (std::holds_alternative<trace::TopicCreated>(e.payload)) CHECK(e.time == last_unfence);
}

// --- metadata fetch -------------------------------------------------------------

TEST_CASE("a metadata fetch with nothing new waits max_wait_ms, and one waiting is answered when records arrive",
          "[controller][fetch]") {
  ControllerCluster c(brokers(2));
  c.run_until_all_unfenced();
  c.run_for(seconds(5));
  // Quiet cluster: rounds take 1 ms there, 500 ms parked, 1 ms back.
  const auto& rounds = c.broker(2).fetch_rounds;
  REQUIRE(rounds.size() >= 3);
  const auto& quiet = rounds[rounds.size() - 2];
  CHECK(quiet.records == 0);
  CHECK(quiet.answered - quiet.sent == millis(502));

  const SimTime created_at = c.sim().now();
  REQUIRE(c.create_topic("t", 1, 2).error == Errc::none);
  c.run_for(millis(5));
  const auto it = std::find_if(rounds.begin(), rounds.end(), [&](const auto& r) { return r.records > 0 && r.sent < created_at; });
  REQUIRE(it != rounds.end());
  CHECK(it->records == 2);  // TopicRecord + PartitionRecord
  CHECK(it->answered < it->sent + millis(502));
  CHECK(c.broker(2).image.partition(TopicPartition{"t", PartitionId(0)}));
}

TEST_CASE("a metadata fetch beyond the log end is answered at once and empty", "[controller][fetch]") {
  ControllerCluster c(brokers(1));
  c.run_until_all_unfenced();
  const int64_t end = c.controller().log().end_offset();
  const size_t parked = c.controller().parked_fetches();
  const SimTime sent = c.sim().now();
  c.act(1, [&](FakeBroker& b) { b.send_raw(MetadataFetchRequest{999, BrokerId(1), end + 10, 500}); });
  c.run_for(millis(1));
  CHECK(c.controller().parked_fetches() == parked);  // not parked
  c.run_for(millis(1));
  const auto& stray = c.broker(1).stray_fetch_responses;
  REQUIRE(stray.size() == 1);
  CHECK(stray[0].at == sent + millis(2));
  CHECK(stray[0].response.correlation_id == 999);
  CHECK(stray[0].response.error == Errc::none);
  CHECK(stray[0].response.records.empty());
}

// --- controller crash -----------------------------------------------------------

TEST_CASE("a restarted controller recovers its log and does not fence brokers that keep heartbeating",
          "[controller][crash]") {
  ControllerCluster c(brokers(3));
  c.run_until_all_unfenced();
  REQUIRE(c.create_topic("t", 3, 3).error == Errc::none);
  REQUIRE(c.alter_partition(c.partition("t", 0).leader.value, "t", 0, {c.partition("t", 0).leader.value}).error ==
          Errc::none);
  const auto partitions_before = c.image().partitions();
  const auto brokers_before = c.image().brokers().size();
  const int64_t end_before = c.controller().log().end_offset();
  const size_t fencings_before = c.events<trace::BrokerFencing>().size();

  c.sim().crash(ControllerCluster::controller_node(), /*power_loss=*/true);
  c.run_for(seconds(6));
  c.sim().restart(ControllerCluster::controller_node());
  c.run_for(millis(1));
  CHECK(c.controller().log().end_offset() == end_before);
  CHECK(c.image().partitions() == partitions_before);
  CHECK(c.image().brokers().size() == brokers_before);

  c.run_for(seconds(30));
  CHECK(c.events<trace::BrokerFencing>().size() == fencings_before);
  for (int32_t id = 1; id <= 3; ++id) {
    CHECK_FALSE(c.broker_info(id).fenced);
    CHECK(c.broker(id).heartbeat_responses.back().error == Errc::none);
  }
  // Brokers keep following the log after the restart.
  REQUIRE(c.create_topic("after", 1, 3).error == Errc::none);
  c.run_for(millis(10));
  for (int32_t id = 1; id <= 3; ++id) CHECK(c.broker(id).image.topic("after"));
}

TEST_CASE("after a controller restart, a broker that stays silent is fenced a session timeout after recovery",
          "[controller][crash]") {
  ControllerCluster c(brokers(3));
  c.run_until_all_unfenced();
  c.act(3, [](FakeBroker& b) { b.stop_heartbeats(); });
  c.sim().crash(ControllerCluster::controller_node());
  c.run_for(seconds(20));  // longer than the session timeout: nobody fences while down
  CHECK(c.events<trace::BrokerFencing>().size() == 6);
  const SimTime restarted = c.sim().now();
  c.sim().restart(ControllerCluster::controller_node());
  c.sim().run_until(restarted + seconds(9));
  CHECK_FALSE(c.broker_info(3).fenced);
  c.run_for(millis(1));
  CHECK(c.broker_info(3).fenced);
  CHECK(fenced_at(c, 3, "session_expired") == restarted + seconds(9) + micros(1));
  CHECK_FALSE(c.broker_info(1).fenced);
  CHECK_FALSE(c.broker_info(2).fenced);
}

// --- controlled shutdown --------------------------------------------------------

TEST_CASE("controlled shutdown moves leadership away before the broker may stop", "[controller][shutdown]") {
  ControllerCluster c(brokers(3));
  c.run_until_all_unfenced();
  REQUIRE(c.create_topic("t", 3, 3, {{1, 2, 3}, {2, 3, 1}, {3, 1, 2}}).error == Errc::none);
  c.run_for(millis(10));
  c.act(1, [](FakeBroker& b) { b.request_controlled_shutdown(); });
  c.run_for(millis(3));
  CHECK(c.broker_info(1).in_controlled_shutdown);
  CHECK_FALSE(c.broker_info(1).fenced);
  CHECK(c.partition("t", 0).leader == BrokerId(2));
  CHECK(c.partition("t", 0).leader_epoch == LeaderEpoch(1));
  CHECK(c.partition_changes("t", 0).back().reason == "controlled_shutdown");
  for (int32_t p = 0; p < 3; ++p) {
    const auto& isr = c.partition("t", p).isr;
    CHECK(std::find(isr.begin(), isr.end(), 1) == isr.end());
  }
  CHECK_FALSE(c.broker(1).shut_down);  // the first answer does not let it go yet

  REQUIRE(c.run_until([&] { return c.broker(1).shut_down; }, seconds(10)));
  CHECK(c.broker_info(1).fenced);
  CHECK(fenced_at(c, 1, "shutdown"));
  // By then the other brokers had replayed the leadership changes.
  for (int32_t id = 2; id <= 3; ++id)
    CHECK(c.broker(id).image.partition(TopicPartition{"t", PartitionId(0)})->leader == BrokerId(2));
}

TEST_CASE("controlled shutdown of a partition's last ISR member takes the partition offline",
          "[controller][shutdown]") {
  ControllerCluster c(brokers(2));
  c.run_until_all_unfenced();
  REQUIRE(c.create_topic("solo", 1, 1, {{1}}).error == Errc::none);
  c.act(1, [](FakeBroker& b) { b.request_controlled_shutdown(); });
  REQUIRE(c.run_until([&] { return c.broker(1).shut_down; }, seconds(10)));
  CHECK(c.partition("solo", 0).leader == kNoBroker);
  CHECK(c.partition("solo", 0).isr == std::vector<int32_t>{1});
}

TEST_CASE("a broker that leads nothing is told to shut down at once", "[controller][shutdown]") {
  ControllerCluster c(brokers(2));
  c.run_until_all_unfenced();
  c.act(2, [](FakeBroker& b) { b.request_controlled_shutdown(); });
  c.run_for(millis(3));
  CHECK(c.broker(2).shut_down);
  CHECK(c.broker_info(2).fenced);
}

// --- preferred leader election --------------------------------------------------

TEST_CASE("automatic preferred leader election gives leadership back after a failover",
          "[controller][preferred]") {
  const bool enabled = GENERATE(true, false);
  ClusterOptions o = brokers(3);
  o.controller.auto_leader_rebalance_enable = enabled;
  o.controller.leader_imbalance_check_interval_seconds = 30;
  ControllerCluster c(o);
  c.run_until_all_unfenced();
  REQUIRE(c.create_topic("t", 1, 3, {{1, 2, 3}}).error == Errc::none);
  c.act(1, [](FakeBroker& b) { b.stop_heartbeats(); });
  c.run_for(seconds(12));
  REQUIRE(c.partition("t", 0).leader == BrokerId(2));
  c.act(1, [](FakeBroker& b) { b.resume_heartbeats(); });
  c.run_for(seconds(3));
  // The new leader lets broker 1 back into the ISR once it caught up.
  REQUIRE(c.alter_partition(2, "t", 0, {2, 3, 1}).error == Errc::none);
  c.run_for(seconds(60));
  const auto& p = c.partition("t", 0);
  if (enabled) {
    CHECK(p.leader == BrokerId(1));
    CHECK(p.leader_epoch == LeaderEpoch(2));
    CHECK(c.partition_changes("t", 0).back().reason == "preferred_election");
  } else {
    CHECK(p.leader == BrokerId(2));
  }
}

TEST_CASE("the ZooKeeper-era policy rebalances only brokers over leader.imbalance.per.broker.percentage",
          "[controller][preferred]") {
  const int32_t percentage = GENERATE(10, 60);
  ClusterOptions o = brokers(3);
  o.controller.leader_balance_policy = LeaderBalancePolicy::zk_imbalance_ratio;
  o.controller.leader_imbalance_check_interval_seconds = 30;
  o.controller.leader_imbalance_per_broker_percentage = percentage;
  ControllerCluster c(o);
  c.run_until_all_unfenced();
  // Broker 1 is the preferred leader of two partitions; it will lose one.
  REQUIRE(c.create_topic("t", 2, 2, {{1, 2}, {1, 3}}).error == Errc::none);
  REQUIRE(c.alter_partition(1, "t", 1, {1}).error == Errc::none);
  c.act(1, [](FakeBroker& b) { b.stop_heartbeats(); });
  c.run_for(seconds(12));
  REQUIRE(c.partition("t", 0).leader == BrokerId(2));
  REQUIRE(c.partition("t", 1).leader == kNoBroker);
  c.act(1, [](FakeBroker& b) { b.resume_heartbeats(); });
  c.run_for(seconds(3));
  REQUIRE(c.partition("t", 1).leader == BrokerId(1));  // back as the sole ISR member
  REQUIRE(c.alter_partition(2, "t", 0, {2, 1}).error == Errc::none);
  // Broker 1's ratio is now 1/2 = 50 %.
  c.run_for(seconds(70));
  CHECK(c.partition("t", 0).leader == BrokerId(percentage == 10 ? 1 : 2));
}

// --- KIP-966 --------------------------------------------------------------------

TEST_CASE("with ELR on, replicas fenced below min ISR stay electable and lead when they return",
          "[controller][elr]") {
  ClusterOptions o = brokers(3);
  o.controller.eligible_leader_replicas_version = 1;
  ControllerCluster c(o);
  c.run_until_all_unfenced();
  REQUIRE(c.create_topic("t", 1, 3, {{1, 2, 3}}, {{"min.insync.replicas", "2"}}).error == Errc::none);
  for (int32_t id : {3, 2, 1}) {
    c.act(id, [](FakeBroker& b) { b.stop_heartbeats(); });
    c.run_for(seconds(12));
  }
  {
    const auto& p = c.partition("t", 0);
    CHECK(p.isr.empty());
    CHECK(p.elr == std::vector<int32_t>{1, 2});
    CHECK(p.leader == kNoBroker);
    CHECK(p.last_known_elr == std::vector<int32_t>{1});
  }
  c.act(2, [](FakeBroker& b) { b.resume_heartbeats(); });
  c.run_for(seconds(5));
  const auto& p = c.partition("t", 0);
  CHECK(p.leader == BrokerId(2));
  CHECK(p.isr == std::vector<int32_t>{2});
  CHECK(p.elr == std::vector<int32_t>{1});
  CHECK(c.partition_changes("t", 0).back().reason == "elr_election");
}

TEST_CASE("with ELR on, a new incarnation of a broker leaves the ELR (it may have lost unflushed data)",
          "[controller][elr]") {
  ClusterOptions o = brokers(2);
  o.controller.eligible_leader_replicas_version = 1;
  ControllerCluster c(o);
  c.run_until_all_unfenced();
  REQUIRE(c.create_topic("t", 1, 2, {{1, 2}}, {{"min.insync.replicas", "2"}}).error == Errc::none);
  c.act(2, [](FakeBroker& b) { b.stop_heartbeats(); });
  c.run_for(seconds(12));
  CHECK(c.partition("t", 0).elr == std::vector<int32_t>{2});
  c.sim().crash(ControllerCluster::broker_node(2));
  c.sim().restart(ControllerCluster::broker_node(2));
  c.run_for(seconds(1));
  CHECK(c.partition("t", 0).elr.empty());
  CHECK(c.partition_changes("t", 0).back().reason == "unclean_shutdown");
}

}  // namespace
}  // namespace ksim::test

namespace ksim::test {
namespace {

TEST_CASE("brokers with racks get rack-aware replica assignment", "[controller][create_topic]") {
  ClusterOptions o = brokers(6);
  o.racks = {"a", "a", "b", "b", "c", "c"};
  ControllerCluster c(o);
  c.run_until_all_unfenced();
  REQUIRE(c.create_topic("t", 12, 3).error == Errc::none);
  for (int32_t p = 0; p < 12; ++p) {
    std::set<std::string> racks;
    for (int32_t b : c.partition("t", p).replicas) racks.insert(c.broker_info(b).rack);
    CHECK(racks.size() == 3);
  }
}

TEST_CASE("a controller run is a pure function of its seed", "[controller][determinism]") {
  auto run = [](uint64_t seed) {
    ClusterOptions o = brokers(3);
    o.seed = seed;
    ControllerCluster c(o);
    c.run_until_all_unfenced();
    c.create_topic("t", 6, 2);
    c.act(2, [](FakeBroker& b) { b.stop_heartbeats(); });
    c.run_for(seconds(15));
    c.sim().crash(ControllerCluster::controller_node());
    c.run_for(seconds(1));
    c.sim().restart(ControllerCluster::controller_node());
    c.run_for(seconds(5));
    return c.sim().trace().hash();
  };
  CHECK(run(5) == run(5));
  CHECK(run(5) != run(6));
}

}  // namespace
}  // namespace ksim::test
