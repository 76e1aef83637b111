// Checker benchmarks: build_history and every checker over a synthetic clean
// run of N records (3 partitions, 3 replicas each committing every record, two
// consumer groups reading everything in polls of 10). Both should grow as
// N log N at worst: explore runs the checkers after each of thousands of seeds.
#include <benchmark/benchmark.h>

#include "sim/check/history.h"
#include "sim/check/registry.h"

namespace ksim {
namespace {

struct SyntheticRun {
  TraceHeader header;
  std::vector<TraceEvent> events;
};

SyntheticRun make_run(int64_t records) {
  SyntheticRun run;
  for (const char* n : {"controller", "broker-1", "broker-2", "broker-3", "p1", "c1", "c2"})
    run.header.nodes.push_back(TraceNodeInfo{n, "x"});
  const NodeId p1(4);
  auto emit = [&](NodeId node, trace::Payload p) {
    run.events.push_back(TraceEvent{SimTime{static_cast<int64_t>(run.events.size())}, run.events.size(), node, std::move(p)});
  };
  constexpr int kPartitions = 3;
  std::vector<std::vector<RecordId>> logs(kPartitions);
  for (int p = 0; p < kPartitions; ++p) {
    trace::PartitionChanged c;
    c.topic = "orders";
    c.partition = PartitionId(p);
    c.leader = BrokerId(1);
    c.isr = {1, 2, 3};
    emit(NodeId(0), c);
  }
  for (int64_t i = 0; i < records; ++i) {
    const int p = static_cast<int>(i % kPartitions);
    const RecordId r = make_record_id(p1, static_cast<uint64_t>(i));
    emit(p1, trace::ProducerSend{r, "orders", PartitionId(p), "", false, 1});
    const Offset o(static_cast<int64_t>(logs[p].size()));
    logs[p].push_back(r);
    for (uint32_t b = 1; b <= 3; ++b) {
      trace::LogAppended a;
      a.topic = "orders";
      a.partition = PartitionId(p);
      a.base_offset = o;
      a.records = {r};
      a.leo = o + 1;
      emit(NodeId(b), std::move(a));
      emit(NodeId(b), trace::HighWatermarkChanged{"orders", PartitionId(p), o, o + 1});
    }
    emit(p1, trace::ProducerAcked{r, "orders", PartitionId(p), o});
  }
  for (uint32_t c = 5; c <= 6; ++c) {
    const std::string group = c == 5 ? "g1" : "g2";
    for (int p = 0; p < kPartitions; ++p) {
      for (size_t from = 0; from < logs[p].size(); from += 10) {
        trace::ConsumerPolled poll;
        poll.group = group;
        poll.generation = GenerationId(1);
        poll.topic = "orders";
        poll.partition = PartitionId(p);
        const size_t to = std::min(logs[p].size(), from + 10);
        for (size_t o = from; o < to; ++o) {
          poll.offsets.push_back(Offset(static_cast<int64_t>(o)));
          poll.records.push_back(logs[p][o]);
        }
        emit(NodeId(c), poll);
        for (size_t o = from; o < to; ++o)
          emit(NodeId(c), trace::RecordProcessed{group, "orders", PartitionId(p), Offset(static_cast<int64_t>(o)), logs[p][o]});
        emit(NodeId(c), trace::OffsetCommitted{group, GenerationId(1), "orders", PartitionId(p),
                                               Offset(static_cast<int64_t>(to)), "NONE"});
      }
    }
  }
  return run;
}

void BM_BuildHistory(benchmark::State& state) {
  const SyntheticRun run = make_run(state.range(0));
  for (auto _ : state) {
    auto h = check::build_history(run.header, run.events);
    benchmark::DoNotOptimize(h);
  }
  state.SetItemsProcessed(static_cast<int64_t>(state.iterations() * run.events.size()));
  state.counters["events"] = static_cast<double>(run.events.size());
}
BENCHMARK(BM_BuildHistory)->Arg(1000)->Arg(10000)->Arg(100000)->Unit(benchmark::kMillisecond);

void BM_AllCheckers(benchmark::State& state) {
  const SyntheticRun run = make_run(state.range(0));
  const check::History h = check::build_history(run.header, run.events);
  for (auto _ : state) {
    auto results = check::run_all_checks(h);
    if (results[0].count != 0) state.SkipWithError("the synthetic run should be clean");
    benchmark::DoNotOptimize(results);
  }
  state.SetItemsProcessed(static_cast<int64_t>(state.iterations() * run.events.size()));
}
BENCHMARK(BM_AllCheckers)->Arg(1000)->Arg(10000)->Arg(100000)->Unit(benchmark::kMillisecond);

}  // namespace
}  // namespace ksim

BENCHMARK_MAIN();
