#include "scenario_lib/run/scenario_runner.h"

#include <algorithm>
#include <cmath>

#include "scenario_lib/clients/scenario_client.h"
#include "core/broker/broker_node.h"
#include "core/controller/controller_node.h"
#include "core/consumer/kafka_consumer.h"
#include "core/group/coordinator/coordinator_partition.h"
#include "sim/check/history.h"
#include "sim/check/registry.h"
#include "sim/cluster/group_view.h"

namespace ksim::scenarios {

size_t RunResult::failed_expectations() const {
  return static_cast<size_t>(
      std::count_if(expectations.begin(), expectations.end(), [](const auto& e) { return e.judged && !e.passed; }));
}

size_t RunResult::unjudged_expectations() const {
  return static_cast<size_t>(std::count_if(expectations.begin(), expectations.end(), [](const auto& e) { return !e.judged; }));
}

// Counts each client's sends and outcomes from the trace.
class ScenarioRun::Tally final : public TraceSink {
 public:
  void watch(NodeId node, ClientTally* tally) { by_node_[node.value] = tally; }
  void on_event(const TraceHeader&, const TraceEvent& e) override {
    const bool client_event = std::holds_alternative<trace::ProducerSend>(e.payload) ||
                              std::holds_alternative<trace::ProducerAcked>(e.payload) ||
                              std::holds_alternative<trace::ProducerFailed>(e.payload) ||
                              std::holds_alternative<trace::ConsumerPolled>(e.payload) ||
                              std::holds_alternative<trace::RecordProcessed>(e.payload) ||
                              std::holds_alternative<trace::OffsetCommitted>(e.payload) ||
                              std::holds_alternative<trace::ClientFailed>(e.payload);
    if (!client_event) return;
    const auto it = by_node_.find(e.node.value);
    if (it == by_node_.end()) return;
    ClientTally& t = *it->second;
    if (std::holds_alternative<trace::ProducerSend>(e.payload)) {
      ++t.sent;
    } else if (std::holds_alternative<trace::ProducerAcked>(e.payload)) {
      ++t.acked;
    } else if (const auto* f = std::get_if<trace::ProducerFailed>(&e.payload)) {
      ++t.failed;
      ++t.errors[f->error];
    } else if (const auto* p = std::get_if<trace::ConsumerPolled>(&e.payload)) {
      ++t.polls;
      t.polled_records += static_cast<int64_t>(p->records.size());
    } else if (std::holds_alternative<trace::RecordProcessed>(e.payload)) {
      ++t.processed;
    } else if (const auto* x = std::get_if<trace::ClientFailed>(&e.payload)) {
      t.fatal_error = x->error;
      t.fatal_config = x->config;
      t.fatal_at = e.time;
    } else if (const auto* c = std::get_if<trace::OffsetCommitted>(&e.payload)) {
      if (c->error == "NONE") {
        ++t.commits;
      } else {
        ++t.failed_commits;
        ++t.errors[c->error];
      }
    }
  }
  std::vector<ClientTally> tallies;  // one per scenario client, in scenario order

 private:
  std::map<uint32_t, ClientTally*> by_node_;
};

namespace {

ClusterSpec cluster_spec(const Scenario& s, const RunOptions& o) {
  ClusterSpec spec;
  spec.seed = s.seed;
  spec.name = s.name;
  spec.brokers = s.brokers;
  spec.racks = s.racks;
  spec.broker = s.broker;
  spec.controller = s.controller;
  // A topic that a create_topic fault creates does not exist before it.
  spec.controller.initial_topics.clear();
  for (const InitialTopic& t : s.topics) {
    const bool late = std::any_of(s.faults.begin(), s.faults.end(), [&](const FaultSpec& f) {
      const std::string* created = f.action->creates_topic();
      return created && *created == t.name;
    });
    if (!late) spec.controller.initial_topics.push_back(t);
  }
  spec.network.default_link = LinkSpec{s.latency_min, s.latency_max, {}, 0.0};
  spec.network.disconnect_detection = s.disconnect_detection;
  spec.disk.writeback_delay = s.writeback_delay;
  spec.keep_trace_events = o.keep_all_trace_events;  // the checkers' history streams (HistoryBuilder)
  spec.reproduce_command = o.reproduce_command;
  return spec;
}

std::string brokers_text(const std::vector<int32_t>& ids) {
  std::string out = "[";
  for (size_t i = 0; i < ids.size(); ++i) out += (i ? ", " : "") + broker_name(ids[i]);
  return out + "]";
}

}  // namespace

ScenarioRun::ScenarioRun(const Scenario& scenario, RunOptions options)
    : scenario_(scenario), options_(std::move(options)) {
  cluster_ = std::make_unique<Cluster>(cluster_spec(scenario_, options_));
  Simulation& sim = cluster_->sim();
  for (const auto& [broker, delay] : scenario_.writeback_delay_per_broker)
    sim.disk(cluster_->broker_node(broker)).set_options(DiskOptions{delay});

  tally_ = std::make_unique<Tally>();
  tally_->tallies.reserve(scenario_.clients.size());
  for (const ClientSpec& c : scenario_.clients) {
    clients_.push_back(add_scenario_client(*cluster_, c));
    ClientTally tally;
    tally.id = c.id;
    tally.type = c.type;
    tally_->tallies.push_back(std::move(tally));
    tally_->watch(clients_.back()->node(), &tally_->tallies.back());
  }

  applier_ = std::make_unique<FaultApplier>(*cluster_);
  triggers_ = std::make_unique<TriggerWatch>(sim);
  history_builder_ = std::make_unique<check::HistoryBuilder>();
  sim.trace().add_sink(history_builder_.get());
  for (TraceSink* sink : options_.sinks) sim.trace().add_sink(sink);
  sim.trace().add_sink(tally_.get());
  sim.trace().add_sink(triggers_.get());
}

ScenarioRun::~ScenarioRun() = default;

void ScenarioRun::arm_faults() {
  Simulation& sim = cluster_->sim();
  for (const FaultSpec& f : scenario_.faults) {
    const FaultSpec* spec = &f;
    auto action = [this, spec] { applier_->apply(spec->action, spec->note); };
    if (f.trigger.kind == Trigger::Kind::at) {
      sim.at(SimTime::from_ms(f.trigger.at_ms), std::move(action));
    } else {
      triggers_->add(f.trigger, std::move(action));
    }
  }
}

std::vector<ClientTally> ScenarioRun::tallies() const { return tally_->tallies; }

ExpectationResult ScenarioRun::judge_state(const Expectation& e) {
  ExpectationResult r;
  r.expectation = e;
  Simulation& sim = cluster_->sim();
  auto number = [&](int64_t seen) {
    r.passed = e.accepts(seen);
    r.seen = std::to_string(seen);
  };
  switch (e.kind) {
    case Expectation::Kind::check: KSIM_ASSERT_MSG(false, "checks are judged on the history"); break;
    case Expectation::Kind::leader: {
      const int32_t leader = current_leader(*cluster_, e.tp);
      r.passed = leader == e.leader;
      r.seen = leader < 0 ? "none" : broker_name(leader);
      break;
    }
    case Expectation::Kind::leader_epoch: {
      const PartitionView v = view_partition(*cluster_, e.tp);
      if (v.leader < 0) {
        r.seen = "no leader";
      } else {
        number(v.leader_epoch.value);
      }
      break;
    }
    case Expectation::Kind::isr: {
      const PartitionView v = view_partition(*cluster_, e.tp);
      r.passed = v.isr == e.isr;
      r.seen = brokers_text(v.isr) + (v.leader < 0 ? " (no leader; the last committed ISR)" : "");
      break;
    }
    case Expectation::Kind::hw:
    case Expectation::Kind::leo: {
      const PartitionView v = view_partition(*cluster_, e.tp);
      const int32_t broker = e.broker < 0 ? v.leader : e.broker;
      if (broker < 0) {
        r.seen = "no leader";
        break;
      }
      const ReplicaView* rv = v.broker(broker);
      if (!rv->running) {
        r.seen = broker_name(broker) + " is down";
      } else if (!rv->has_replica) {
        r.seen = broker_name(broker) + " holds no replica";
      } else {
        number(e.kind == Expectation::Kind::hw ? rv->hw.value : rv->leo.value);
      }
      break;
    }
    case Expectation::Kind::running: {
      const NodeId n = sim.find_node(e.node);
      const bool running = sim.is_running(n);
      r.passed = running == e.running;
      r.seen = running ? (sim.is_paused(n) ? "running (paused)" : "running") : "down";
      break;
    }
    case Expectation::Kind::sent:
    case Expectation::Kind::acked:
    case Expectation::Kind::failed: {
      const ClientTally* t = nullptr;
      for (const auto& x : tally_->tallies)
        if (x.id == e.node) t = &x;
      KSIM_ASSERT(t != nullptr);
      if (e.kind == Expectation::Kind::sent) {
        number(t->sent);
      } else if (e.kind == Expectation::Kind::acked) {
        number(t->acked);
      } else if (e.error.empty()) {
        number(t->failed);
      } else {
        const auto it = t->errors.find(e.error);
        number(it == t->errors.end() ? 0 : it->second);
        if (!t->errors.empty()) {
          std::string all;
          for (const auto& [name, n] : t->errors) all += (all.empty() ? "" : ", ") + name + " x" + std::to_string(n);
          r.seen += " (failures: " + all + ")";
        }
      }
      break;
    }
    case Expectation::Kind::generation:
    case Expectation::Kind::committed: {
      // The group's coordinator: the running broker leading its
      // __consumer_offsets partition, as FindCoordinator would answer.
      const TopicPartition offsets{std::string(kConsumerOffsetsTopic),
                                   offsets_partition_for(e.group, cluster_->spec().broker.offsets_topic_num_partitions)};
      const int32_t leader = current_leader(*cluster_, offsets);
      BrokerNode* b = leader < 0 ? nullptr : cluster_->broker(leader);
      if (!b) {
        r.seen = "no coordinator (" + offsets.str() + " has no leader)";
        break;
      }
      const GroupCoordinator& gc = b->group_coordinator();
      if (!gc.is_loaded(offsets.partition)) {
        r.seen = "coordinator " + broker_name(leader) + " has not loaded " + offsets.str() + " yet";
        break;
      }
      if (e.kind == Expectation::Kind::generation) {
        const ClassicGroup* g = gc.group(e.group);
        if (!g) r.seen = "no group " + e.group + " on " + broker_name(leader);
        else number(g->generation().value);
      } else {
        const auto c = gc.committed(e.group, e.tp);
        if (!c) r.seen = "nothing committed (coordinator " + broker_name(leader) + ")";
        else number(c->offset.value);
      }
      break;
    }
    case Expectation::Kind::group_state: {
      std::vector<std::string> consumers;
      for (const ClientSpec& c : scenario_.clients)
        if (c.consumer && c.consumer->config.group_id.value_or("") == e.group) consumers.push_back(c.id);
      const GroupView g = view_group(*cluster_, e.group, consumers);
      r.seen = g.str();
      r.passed = g.exists && g.state == e.group_state;
      for (const auto& m : e.members) {
        const GroupView::Consumer* c = g.consumer(m);
        if (!c || !c->member) {
          r.passed = false;
          r.seen += std::string(r.seen.empty() ? "" : "; ") + m + (c ? " is not a member" : " is not up");
        }
      }
      break;
    }
    case Expectation::Kind::owner: {
      // Who the consumers themselves say holds the partition: the running
      // consumers of the group whose assignment contains it (two owners
      // at once would be a zombie, and fails "is").
      std::vector<std::string> owners;
      for (const ClientSpec& c : scenario_.clients) {
        if (!c.consumer || c.consumer->config.group_id.value_or("") != e.group) continue;
        const KafkaConsumer* k = sim.process_as<KafkaConsumer>(sim.find_node(c.id));
        if (!k) continue;
        const auto a = k->assignment();
        if (std::find(a.begin(), a.end(), e.tp) != a.end()) owners.push_back(c.id);
      }
      std::string seen;
      for (const auto& o : owners) seen += (seen.empty() ? "" : ", ") + o;
      r.seen = seen.empty() ? "none" : seen;
      r.passed = e.owner.empty() ? owners.empty() : owners == std::vector<std::string>{e.owner};
      break;
    }
  }
  return r;
}

RunResult ScenarioRun::run() {
  KSIM_ASSERT_MSG(!ran_, "a ScenarioRun runs once");
  ran_ = true;
  Simulation& sim = cluster_->sim();
  const int64_t end_ms =
      options_.until_ms ? std::min(*options_.until_ms, scenario_.run_until_ms) : scenario_.run_until_ms;
  const SimTime end = SimTime::from_ms(end_ms);

  cluster_->start();
  for (auto& client : clients_) client->start_application(sim, end);
  arm_faults();

  RunResult result;
  result.seed = scenario_.seed;
  result.ran_until_ms = end_ms;
  result.cut_short = end_ms < scenario_.run_until_ms;

  // State expectations with a time, in time order (ties in file order), then the end.
  std::vector<size_t> timed;
  for (size_t i = 0; i < scenario_.expect.size(); ++i)
    if (scenario_.expect[i].at_ms) timed.push_back(i);
  std::stable_sort(timed.begin(), timed.end(),
                   [&](size_t a, size_t b) { return *scenario_.expect[a].at_ms < *scenario_.expect[b].at_ms; });
  std::map<size_t, ExpectationResult> judged;
  for (size_t i : timed) {
    const Expectation& e = scenario_.expect[i];
    if (*e.at_ms > end_ms) {
      judged.emplace(i, ExpectationResult{e, false, false, "not reached: the run stopped at " + std::to_string(end_ms) + " ms"});
      continue;
    }
    sim.run_until(SimTime::from_ms(*e.at_ms));
    judged.emplace(i, judge_state(e));
  }
  sim.run_until(end);
  for (size_t i = 0; i < scenario_.expect.size(); ++i) {
    const Expectation& e = scenario_.expect[i];
    if (e.at_ms || e.kind == Expectation::Kind::check) continue;
    judged.emplace(i, result.cut_short ? ExpectationResult{e, false, false, "not judged: the run was cut short"}
                                       : judge_state(e));
  }

  if (!result.cut_short) {
    history_ = std::move(*history_builder_).finish(sim.trace().header());
    result.checks = check::run_all_checks(history_);
  }
  for (size_t i = 0; i < scenario_.expect.size(); ++i) {
    const Expectation& e = scenario_.expect[i];
    if (e.kind != Expectation::Kind::check) continue;
    if (result.cut_short) {
      judged.emplace(i, ExpectationResult{e, false, false, "not judged: the run was cut short"});
      continue;
    }
    const check::CheckResult* c = nullptr;
    for (const auto& x : result.checks)
      if (x.name == e.check) c = &x;
    KSIM_ASSERT(c != nullptr);
    ExpectationResult r;
    r.expectation = e;
    r.passed = c->holds() == e.holds;
    r.seen = c->holds() ? "nothing found" : std::to_string(c->count) + " found";
    if (!r.passed && !c->examples.empty()) r.seen += ", e.g. " + c->examples.front().explanation;
    judged.emplace(i, r);
  }
  for (auto& [i, r] : judged) result.expectations.push_back(std::move(r));

  for (const InitialTopic& t : scenario_.topics) {
    // An add_partitions fault may have grown the topic: the controller knows.
    int32_t count = t.partitions;
    if (const ControllerNode* controller = cluster_->controller())
      if (const TopicRecord* topic = controller->image().topic(t.name)) count = std::max(count, topic->partitions);
    for (int32_t p = 0; p < count; ++p)
      result.partitions.push_back(view_partition(*cluster_, TopicPartition{t.name, PartitionId(p)}));
  }
  result.clients = tallies();
  for (size_t i = 0; i < sim.node_count(); ++i) {
    const NodeId n(static_cast<uint32_t>(i));
    result.nodes.push_back(NodeStatus{sim.node_name(n), sim.is_running(n), sim.is_paused(n), sim.incarnation(n)});
  }
  result.trace_hash = sim.trace().hash();
  result.events = sim.trace().event_count();
  return result;
}

RunResult run_scenario(const Scenario& scenario, const RunOptions& options) {
  ScenarioRun run(scenario, options);
  return run.run();
}

}  // namespace ksim::scenarios
