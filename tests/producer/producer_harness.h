#pragma once
// ProducerHarness: a KafkaProducer on a FakeEnv, with a hand-played cluster:
// the test answers the Metadata, InitProducerId and Produce requests the
// producer sent, advances the clock and fires the timers that are due, so a
// test reads like the exchange on the wire.
#include <catch2/catch.hpp>

#include <algorithm>

#include "core/producer/kafka_producer.h"
#include "core/protocol/producer_messages.h"
#include "tests/support/fake_env.h"

namespace ksim::producer::testing {

inline constexpr NodeId kProducerNode{10};
inline constexpr NodeId kBroker1{1};
inline constexpr NodeId kBroker2{2};

inline ProducerConfig harness_config() {
  ProducerConfig c;
  c.bootstrap = {kBroker1, kBroker2};
  c.enable_idempotence = false;
  return c;
}

class ProducerHarness {
 public:
  explicit ProducerHarness(ProducerConfig config) : env(kProducerNode, 7) {
    const ProducerConfigResult r = validate_producer_config(config);
    REQUIRE(r.ok());
    producer = std::make_unique<KafkaProducer>(env, *r.effective);
    producer->start();
  }

  // Sent messages of type T not yet taken by take<T>().
  template <class T>
  std::vector<std::pair<NodeId, T>> take() {
    std::vector<std::pair<NodeId, T>> out;
    for (size_t i = taken_; i < env.sent.size(); ++i)
      if (const T* m = std::get_if<T>(&env.sent[i].msg)) out.push_back({env.sent[i].to, *m});
    // Keep the other types for later: mark only these as taken.
    std::vector<test::FakeEnv::Sent> rest(env.sent.begin(), env.sent.begin() + static_cast<long>(taken_));
    for (size_t i = taken_; i < env.sent.size(); ++i)
      if (!std::holds_alternative<T>(env.sent[i].msg)) rest.push_back(env.sent[i]);
    env.sent = std::move(rest);
    return out;
  }

  // Answers the pending Metadata request: topic `topic` with `partitions`
  // partitions, partition p led by leaders[p] (broker id 1 -> node 1, ...).
  void answer_metadata(const std::string& topic, std::vector<int32_t> leaders) {
    auto reqs = take<MetadataRequest>();
    REQUIRE(!reqs.empty());
    MetadataResponse r;
    r.correlation_id = reqs.back().second.correlation_id;
    r.brokers = {{BrokerId(1), kBroker1, ""}, {BrokerId(2), kBroker2, ""}};
    MetadataTopic t;
    t.name = topic;
    for (size_t p = 0; p < leaders.size(); ++p) {
      MetadataPartition mp;
      mp.partition = PartitionId(static_cast<int32_t>(p));
      mp.leader = BrokerId(leaders[p]);
      mp.leader_epoch = LeaderEpoch(1);
      t.partitions.push_back(mp);
    }
    r.topics.push_back(t);
    producer->on_message(reqs.back().first, ConnectionId{}, r);
  }

  void answer_produce(const std::pair<NodeId, ProduceRequest>& req, Errc error, int64_t base_offset) {
    ProduceResponse r;
    r.correlation_id = req.second.correlation_id;
    for (const auto& p : req.second.partitions)
      r.partitions.push_back({p.tp, error, Offset(error == Errc::none ? base_offset : -1), Offset(0)});
    producer->on_message(req.first, ConnectionId{}, r);
  }

  void answer_init_producer_id(int64_t id, int16_t epoch) {
    auto reqs = take<InitProducerIdRequest>();
    REQUIRE(reqs.size() == 1);
    InitProducerIdResponse r;
    r.correlation_id = reqs[0].second.correlation_id;
    r.producer_id = ProducerId(id);
    r.producer_epoch = ProducerEpoch(epoch);
    producer->on_message(reqs[0].first, ConnectionId{}, r);
  }

  // Advances virtual time by `d`, firing due timers in time order.
  void advance(Duration d) {
    const SimTime end = env.now() + d;
    for (;;) {
      test::FakeEnv::Armed* next = nullptr;
      for (auto& t : env.timers)
        if (!t.cancelled && t.at <= end && (!next || t.at < next->at)) next = &t;
      if (!next) break;
      next->cancelled = true;  // fired
      env.set_now(std::max(env.now(), next->at));
      const TimerId id = next->id;
      const TimerTag tag = next->tag;
      producer->on_timer(id, tag);
    }
    env.set_now(end);
  }

  test::FakeEnv env;
  std::unique_ptr<KafkaProducer> producer;

 private:
  size_t taken_ = 0;
};

}  // namespace ksim::producer::testing
