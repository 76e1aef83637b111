#pragma once
// GroupFixture: KafkaConsumers against FakeKafka (a one-node cluster with a
// minimal classic group coordinator, fake_kafka.h), to test the consumer's
// side of the group protocol on virtual time:
//
//   GroupFixture f({{"orders", 4}});
//   f.add("c1", config, workload);
//   f.start();
//   f.append(f.tp(0), 10);
//   CHECK(f.await([&] { return f.stable_members() == 1; }));
#include <catch2/catch.hpp>
#include <map>
#include <memory>
#include <string>
#include <vector>

#include "core/consumer/kafka_consumer.h"
#include "core/trace/client_events.h"
#include "sim/simulation.h"
#include "tests/consumer/fake_kafka.h"

namespace ksim::test {

inline ConsumerConfig group_config(const std::string& group = "g1") {
  ConsumerConfig c;
  c.group_id = group;
  c.auto_offset_reset = OffsetResetStrategy::earliest;
  c.enable_auto_commit = false;
  return c;
}

inline ConsumerWorkload subscribe(std::vector<std::string> topics, int64_t start_ms = 0) {
  ConsumerWorkload w;
  w.topics = std::move(topics);
  w.start_ms = start_ms;
  return w;
}

class GroupFixture {
 public:
  explicit GroupFixture(std::map<std::string, int32_t> topics, uint64_t seed = 1, int32_t initial_delay_ms = 0)
      : sim_(options(seed)) {
    FakeKafka::Options o;
    o.topics = topics;
    o.initial_rebalance_delay_ms = initial_delay_ms;
    topics_ = topics;
    kafka_ = sim_.add_node("kafka", "broker", [o](Env& env) { return std::make_unique<FakeKafka>(env, o); });
  }

  NodeId add(const std::string& name, ConsumerConfig config, ConsumerWorkload workload) {
    config.bootstrap = {kafka_};
    const NodeId id = sim_.add_node(name, "consumer", [config, workload](Env& env) {
      return std::make_unique<KafkaConsumer>(env, config, workload);
    });
    consumers_[name] = id;
    return id;
  }

  void start() { sim_.start(); }
  Simulation& sim() { return sim_; }
  FakeKafka& kafka() { return *sim_.process_as<FakeKafka>(kafka_); }
  NodeId kafka_node() const { return kafka_; }
  NodeId node(const std::string& c) const { return consumers_.at(c); }
  KafkaConsumer* consumer(const std::string& c) { return sim_.process_as<KafkaConsumer>(node(c)); }
  TopicPartition tp(const std::string& topic, int32_t p) const { return {topic, PartitionId(p)}; }

  void append(const TopicPartition& tp, int n) {
    sim_.invoke(kafka_, [&](Node& k) { static_cast<FakeKafka&>(k).append(tp, n); });
  }
  bool await(const std::function<bool()>& done, Duration limit = seconds(120)) {
    const SimTime end = sim_.now() + limit;
    while (!done()) {
      auto next = sim_.next_event_time();
      if (!next || *next > end) {
        sim_.run_until(end);
        return done();
      }
      sim_.step();
    }
    return true;
  }
  void run_for(Duration d) { sim_.run_until(sim_.now() + d); }
  void close(const std::string& c) {
    sim_.invoke(node(c), [](Node& n) { static_cast<KafkaConsumer&>(n).close(); });
  }

  // The consumers that are running and Stable, and their assignments.
  std::map<std::string, std::vector<TopicPartition>> stable_assignment() {
    std::map<std::string, std::vector<TopicPartition>> out;
    for (const auto& [name, id] : consumers_) {
      KafkaConsumer* c = consumer(name);
      if (c && c->coordinator().state() == MemberState::stable && !c->coordinator().rejoin_needed() &&
          c->app_state() != KafkaConsumer::AppState::closed)
        out[name] = c->assignment();
    }
    return out;
  }
  // Every running consumer is Stable in the coordinator's current generation,
  // has applied its assignment, and the coordinator is Stable.
  bool settled() {
    if (kafka().state() != "Stable") return false;
    size_t running = 0;
    for (const auto& [name, id] : consumers_) {
      KafkaConsumer* c = consumer(name);
      if (!c || c->app_state() == KafkaConsumer::AppState::closed || c->app_state() == KafkaConsumer::AppState::not_started) continue;
      ++running;
      if (c->coordinator().state() != MemberState::stable || c->coordinator().rejoin_needed()) return false;
      if (c->coordinator().generation() != kafka().generation()) return false;
      auto it = kafka().assignment().find(c->coordinator().member_id());
      if (it == kafka().assignment().end()) return false;
      std::vector<TopicPartition> want = it->second;
      std::sort(want.begin(), want.end());
      if (c->assignment() != want) return false;
    }
    return running == kafka().members();
  }
  int32_t total_partitions() const {
    int32_t n = 0;
    for (const auto& [t, p] : topics_) n += p;
    return n;
  }

  template <class T>
  std::vector<std::pair<TraceEvent, T>> events_of(const std::string& consumer) {
    std::vector<std::pair<TraceEvent, T>> out;
    const NodeId n = node(consumer);
    for (const TraceEvent& e : sim_.trace().events())
      if (e.node == n)
        if (const T* x = std::get_if<T>(&e.payload)) out.push_back({e, *x});
    return out;
  }
  std::vector<RecordId> processed_records(const std::string& c) {
    std::vector<RecordId> out;
    for (const auto& [e, x] : events_of<trace::RecordProcessed>(c)) out.push_back(x.record);
    return out;
  }
  std::vector<std::string> commit_errors(const std::string& c) {
    std::vector<std::string> out;
    for (const auto& [e, x] : events_of<trace::OffsetCommitted>(c))
      if (x.error != "NONE") out.push_back(x.error);
    return out;
  }

 private:
  static SimulationOptions options(uint64_t seed) {
    SimulationOptions o;
    o.seed = seed;
    o.scenario = "consumer group test";
    o.network.default_link = LinkSpec{millis(1), millis(1), {}, 0.0};
    return o;
  }

  Simulation sim_;
  NodeId kafka_;
  std::map<std::string, int32_t> topics_;
  std::map<std::string, NodeId> consumers_;
};

}  // namespace ksim::test
