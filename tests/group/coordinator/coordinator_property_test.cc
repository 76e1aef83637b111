#include <catch2/catch.hpp>
#include <rapidcheck/catch.h>

#include <algorithm>

#include "tests/group/coordinator/coordinator_harness.h"

namespace ksim::test {
namespace {

// A well-behaved classic consumer reduced to its group protocol: it joins
// (twice, for KIP-394), syncs when its JoinGroup returns (the leader assigns
// one partition per member), heartbeats, and rejoins when told to.
struct ModelClient {
  NodeId node;
  std::string member_id;
  GenerationId generation{-1};
  bool alive = true;
  std::optional<int32_t> join;
  std::optional<int32_t> sync;
};

class Driver {
 public:
  CoordinatorHarness h;

  void add() {
    ModelClient c;
    c.node = NodeId(static_cast<uint32_t>(clients.size() + 1));
    clients.push_back(c);
    rejoin(clients.back());
  }
  void rejoin(ModelClient& c) {
    c.sync.reset();
    c.join = h.join(c.node, c.member_id, std::nullopt, {CoordinatorHarness::protocol()}, 10000, 20000);
  }
  void pump() {
    for (int round = 0; round < 4; ++round)
      for (auto& c : clients) {
        if (!c.alive) continue;
        if (c.join) {
          auto r = h.take<JoinGroupResponse>(c.node, *c.join);
          if (!r) continue;
          c.join.reset();
          if (r->error == Errc::member_id_required) {
            c.member_id = r->member_id;
            rejoin(c);
          } else if (r->error == Errc::none) {
            c.generation = r->generation_id;
            std::vector<SyncGroupAssignment> a;
            for (size_t i = 0; i < r->members.size(); ++i)
              a.push_back({r->members[i].member_id,
                           ConsumerAssignment{{TopicPartition{"orders", PartitionId(static_cast<int32_t>(i))}}}});
            c.sync = h.sync(c.node, c.member_id, c.generation, a);
          } else {
            c.member_id.clear();  // UNKNOWN_MEMBER_ID: start over
            rejoin(c);
          }
        } else if (c.sync) {
          auto r = h.take<SyncGroupResponse>(c.node, *c.sync);
          if (!r) continue;
          c.sync.reset();
          if (r->error == Errc::unknown_member_id) c.member_id.clear();
          if (r->error != Errc::none) rejoin(c);
        }
      }
  }
  void heartbeat_all() {
    for (auto& c : clients) {
      if (!c.alive || c.join || c.sync || c.generation.value < 0) continue;
      const Errc e = h.heartbeat(c.node, c.member_id, c.generation);
      if (e == Errc::unknown_member_id) c.member_id.clear();
      if (e != Errc::none) rejoin(c);
    }
  }
  void tick(Duration d) {
    h.advance(d);
    pump();
    heartbeat_all();
    pump();
  }

  std::vector<ModelClient> clients;
};

}  // namespace

TEST_CASE("random joins, leaves and crashes keep the group legal, and it settles on exactly the live members",
          "[group][coordinator][property]") {
  rc::prop("the Stable group's members are the live consumers", [] {
    Driver d;
    const int steps = *rc::gen::inRange(1, 25);
    for (int i = 0; i < steps; ++i) {
      const int op = *rc::gen::inRange(0, 5);
      const auto alive = std::count_if(d.clients.begin(), d.clients.end(), [](const ModelClient& c) { return c.alive; });
      if (op == 0 || alive == 0) {
        if (d.clients.size() < 8) d.add();
      } else if (op == 1 || op == 2) {
        // A crash (the session expires) or a clean leave.
        const int k = *rc::gen::inRange(0, static_cast<int>(d.clients.size()));
        ModelClient& c = d.clients[static_cast<size_t>(k)];
        if (c.alive && op == 2 && !c.member_id.empty()) d.h.leave(c.node, c.member_id);
        c.alive = false;
      } else {
        d.tick(millis(*rc::gen::inRange(1, 3000)));
      }
      d.pump();
    }
    // Let the dust settle: sessions (10 s) and rebalance timeouts (20 s) run out.
    for (int t = 0; t < 120; ++t) d.tick(millis(1000));

    std::vector<std::string> live;
    for (const auto& c : d.clients)
      if (c.alive && !c.member_id.empty()) live.push_back(c.member_id);
    std::vector<std::string> members = d.h.member_ids();
    std::sort(live.begin(), live.end());
    std::sort(members.begin(), members.end());
    RC_ASSERT(members == live);
    if (live.empty()) {
      RC_ASSERT(d.h.state() == GroupState::empty);
    } else {
      RC_ASSERT(d.h.state() == GroupState::stable);
      for (const auto& c : d.clients)
        if (c.alive) RC_ASSERT(c.generation == d.h.generation());
    }
  });
}

}  // namespace ksim::test
