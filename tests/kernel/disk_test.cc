#include <catch2/catch.hpp>

#include "tests/kernel/probe_node.h"

namespace ksim::test {
namespace {

using Entries = std::vector<std::string>;

std::unique_ptr<Simulation> one_node(Duration writeback) {
  SimulationOptions o;
  o.disk.writeback_delay = writeback;
  return probe_cluster(1, o);
}

Entries entries(Simulation& sim, const char* file) { return sim.disk(P1).read(file); }

TEST_CASE("a power loss drops writes the OS has not written back", "[kernel][disk][crash]") {
  auto sim = one_node(millis(100));
  act_as(*sim, P1, [](ProbeNode& p) {
    p.env().storage().append("log", "a");
    p.env().storage().append("log", "b");
  });
  sim->run_until(SimTime::from_ms(150));  // written back at 100 ms
  CHECK(sim->disk(P1).durable_entries("log") == 2);
  act_as(*sim, P1, [](ProbeNode& p) { p.env().storage().append("log", "c"); });
  sim->run_until(SimTime::from_ms(200));  // "c" is only in the page cache until 250 ms
  CHECK(sim->disk(P1).durable_entries("log") == 2);
  sim->crash(P1, /*power_loss=*/true);
  CHECK(entries(*sim, "log") == Entries{"a", "b"});
  sim->restart(P1);
  CHECK(entries(*sim, "log") == Entries{"a", "b"});
  sim->run_until(SimTime::from_ms(1000));  // the cancelled write-back does not resurrect "c"
  CHECK(entries(*sim, "log") == Entries{"a", "b"});
}

TEST_CASE("a process crash keeps the page cache, and the OS still writes it back", "[kernel][disk][crash]") {
  auto sim = one_node(seconds(30));
  act_as(*sim, P1, [](ProbeNode& p) { p.env().storage().append("log", "a"); });
  sim->crash(P1);
  CHECK(entries(*sim, "log") == Entries{"a"});
  CHECK(sim->disk(P1).durable_entries("log") == 0);
  sim->run_until(SimTime::from_ms(30000));
  CHECK(sim->disk(P1).durable_entries("log") == 1);
  sim->restart(P1);
  CHECK(entries(*sim, "log") == Entries{"a"});
}

TEST_CASE("fsync makes writes durable at once", "[kernel][disk]") {
  auto sim = one_node(seconds(30));
  act_as(*sim, P1, [](ProbeNode& p) {
    p.env().storage().append("log", "a");
    p.env().storage().fsync("log");
    p.env().storage().append("log", "b");
  });
  sim->crash(P1, /*power_loss=*/true);
  CHECK(entries(*sim, "log") == Entries{"a"});
}

TEST_CASE("a truncation not yet written back is undone by a power loss", "[kernel][disk][crash]") {
  // The removed records come back: a real disk still holds them until write-back.
  auto sim = one_node(millis(100));
  act_as(*sim, P1, [](ProbeNode& p) {
    for (const char* e : {"a", "b", "c"}) p.env().storage().append("log", e);
  });
  sim->run_until(SimTime::from_ms(100));
  act_as(*sim, P1, [](ProbeNode& p) {
    p.env().storage().truncate("log", 1);
    p.env().storage().append("log", "x");
  });
  CHECK(entries(*sim, "log") == Entries{"a", "x"});
  CHECK(sim->disk(P1).durable_entries("log") == 1);
  sim->crash(P1, /*power_loss=*/true);
  CHECK(entries(*sim, "log") == Entries{"a", "b", "c"});
}

TEST_CASE("replace and remove are durable only after write-back", "[kernel][disk]") {
  auto sim = one_node(millis(100));
  act_as(*sim, P1, [](ProbeNode& p) { p.env().storage().replace("checkpoint", {"epoch 1"}); });
  sim->run_until(SimTime::from_ms(100));
  act_as(*sim, P1, [](ProbeNode& p) {
    p.env().storage().replace("checkpoint", {"epoch 2"});
    p.env().storage().remove("scratch");  // absent: a no-op
    p.env().storage().append("scratch", "tmp");
    p.env().storage().remove("scratch");
  });
  CHECK_FALSE(sim->disk(P1).exists("scratch"));
  CHECK(sim->disk(P1).list() == Entries{"checkpoint"});
  sim->crash(P1, /*power_loss=*/true);
  CHECK(entries(*sim, "checkpoint") == Entries{"epoch 1"});
  CHECK_FALSE(sim->disk(P1).exists("scratch"));
}

TEST_CASE("disk flushes and losses are traced", "[kernel][disk][trace]") {
  auto sim = one_node(millis(10));
  act_as(*sim, P1, [](ProbeNode& p) { p.env().storage().append("log", "a"); });
  sim->run_until(SimTime::from_ms(10));
  act_as(*sim, P1, [](ProbeNode& p) { p.env().storage().append("log", "b"); });
  sim->crash(P1, true);
  bool flushed = false, lost = false;
  for (const auto& e : sim->trace().events()) {
    if (auto* f = std::get_if<trace::DiskFlushed>(&e.payload)) {
      flushed = f->file == "log" && f->durable_entries == 1 && e.time == SimTime::from_ms(10);
    }
    if (auto* l = std::get_if<trace::DiskLost>(&e.payload)) lost = l->entries_before == 2 && l->entries_after == 1;
  }
  CHECK(flushed);
  CHECK(lost);
}

}  // namespace
}  // namespace ksim::test
