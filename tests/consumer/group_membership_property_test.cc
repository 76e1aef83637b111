// Properties of the consumer group as a whole, over random membership changes
// (joins, graceful leaves, crashes) of up to five consumers of one topic,
// each driven through the consumer's real join/sync/heartbeat code against
// FakeKafka's coordinator. After every change, once the group is Stable:
//   1. every partition is assigned to exactly one running member;
//   2. the counts of any two members differ by at most one (all the assignors
//      here are balanced for a single topic with identical subscriptions);
//   3. with sticky and cooperative-sticky, a partition moves only if balance
//      requires it: when members leave, survivors keep all they had; when one
//      joins, no partition moves between two members that were there before.
#include <rapidcheck.h>
#include <rapidcheck/catch.h>

#include <set>

#include "core/group/assignor/assignor_registry.h"
#include "tests/consumer/group_fixture.h"

namespace ksim::test {

TEST_CASE("consumer groups stay exactly covered, balanced and (for sticky) sticky through random membership changes",
          "[consumer][group][property]") {
  rc::prop("random joins, leaves and crashes", [] {
    const std::string strategy = *rc::gen::element<std::string>("range", "roundrobin", "sticky", "cooperative-sticky");
    const int32_t partitions = *rc::gen::inRange(1, 9);
    const int initial = *rc::gen::inRange(1, 4);
    enum Op { join, leave, crash };
    const auto ops = *rc::gen::container<std::vector<int>>(*rc::gen::inRange(1, 5), rc::gen::inRange(0, 3));
    const bool sticky = strategy == "sticky" || strategy == "cooperative-sticky";

    GroupFixture f({{"orders", partitions}}, *rc::gen::inRange<uint64_t>(1, 1000));
    ConsumerConfig c = group_config();
    c.assignors = {group::find_assignor(strategy).assignor};
    c.session_timeout_ms = 6000;
    c.heartbeat_interval_ms = 2000;
    const int kPool = 5;
    for (int i = 0; i < kPool; ++i) f.add("c" + std::to_string(i), c, subscribe({"orders"}));
    f.start();
    std::set<int> up;
    for (int i = 0; i < kPool; ++i) {
      if (i < initial) up.insert(i);
      else f.sim().crash(f.node("c" + std::to_string(i)));
    }
    auto check_stable = [&]() -> std::map<std::string, std::vector<TopicPartition>> {
      RC_ASSERT(f.await([&] { return f.settled() && f.stable_assignment().size() == up.size(); }, seconds(120)));
      const auto a = f.stable_assignment();
      std::map<TopicPartition, int> owners;
      size_t lo = SIZE_MAX, hi = 0;
      for (const auto& [m, parts] : a) {
        for (const auto& tp : parts) ++owners[tp];
        lo = std::min(lo, parts.size());
        hi = std::max(hi, parts.size());
      }
      RC_ASSERT(static_cast<int32_t>(owners.size()) == partitions);
      for (const auto& [tp, n] : owners) RC_ASSERT(n == 1);
      RC_ASSERT(hi - lo <= 1);
      return a;
    };
    auto before = check_stable();
    for (int op : ops) {
      if (op == join) {
        int down = -1;
        for (int i = 0; i < kPool; ++i)
          if (!up.count(i)) down = i;
        if (down < 0) continue;
        f.sim().restart(f.node("c" + std::to_string(down)));
        up.insert(down);
      } else {
        if (up.size() <= 1) continue;
        const int victim = *up.begin() + 0;
        const std::string name = "c" + std::to_string(victim);
        if (op == leave) {
          f.close(name);
          f.run_for(millis(50));
        }
        f.sim().crash(f.node(name));
        up.erase(victim);
      }
      const auto after = check_stable();
      if (sticky) {
        for (const auto& [m, parts] : after) {
          auto old = before.find(m);
          if (old == before.end()) continue;
          if (op != join) {
            // Survivors keep every partition they had.
            for (const auto& tp : old->second)
              RC_ASSERT(std::find(parts.begin(), parts.end(), tp) != parts.end());
          } else {
            // Nothing moves between two members that were already there.
            for (const auto& tp : parts) {
              for (const auto& [m2, parts2] : before)
                if (m2 != m && after.count(m2)) RC_ASSERT(std::find(parts2.begin(), parts2.end(), tp) == parts2.end());
            }
          }
        }
      }
      before = after;
    }
  });
}

}  // namespace ksim::test
