#include <catch2/catch.hpp>
#include <rapidcheck/catch.h>

#include <algorithm>

#include "sim/kernel/event_queue.h"

namespace ksim {
namespace {

struct Tag {
  int id;
};

TEST_CASE("events at the same virtual time run in the order they were scheduled", "[kernel][scheduler]") {
  EventQueue<Tag> q;
  for (int i = 0; i < 100; ++i) q.push(SimTime::from_ms(5), Tag{i});
  for (int i = 0; i < 100; ++i) {
    auto e = q.pop();
    CHECK(e.payload.id == i);
    CHECK(e.at == SimTime::from_ms(5));
  }
  CHECK(q.empty());
}

TEST_CASE("earlier events run first regardless of scheduling order", "[kernel][scheduler]") {
  EventQueue<Tag> q;
  q.push(SimTime::from_ms(30), Tag{3});
  q.push(SimTime::from_ms(10), Tag{1});
  q.push(SimTime::from_ms(20), Tag{2});
  q.push(SimTime::from_ms(10), Tag{4});  // same time as 1, scheduled later
  CHECK(q.pop().payload.id == 1);
  CHECK(q.pop().payload.id == 4);
  CHECK(q.pop().payload.id == 2);
  CHECK(q.pop().payload.id == 3);
}

TEST_CASE("the queue pops in (time, insertion) order for any schedule", "[kernel][scheduler][property]") {
  rc::prop("pop order is sorted by (time, seq)", [](const std::vector<std::pair<uint8_t, bool>>& ops) {
    EventQueue<Tag> q;
    int next = 0;
    std::vector<std::pair<int64_t, int>> popped;
    for (auto [t, pop] : ops) {
      if (pop && !q.empty()) {
        auto e = q.pop();
        popped.emplace_back(e.at.us, e.payload.id);
      } else {
        // Times only grow relative to what was popped, as in a simulation.
        const int64_t base = popped.empty() ? 0 : popped.back().first;
        q.push(SimTime{base + t % 8}, Tag{next++});
      }
    }
    while (!q.empty()) {
      auto e = q.pop();
      popped.emplace_back(e.at.us, e.payload.id);
    }
    RC_ASSERT(static_cast<int>(popped.size()) == next);
    for (size_t i = 1; i < popped.size(); ++i) {
      RC_ASSERT(popped[i].first >= popped[i - 1].first);
      // Among events at the same time, insertion order decides.
      if (popped[i].first == popped[i - 1].first) RC_ASSERT(popped[i].second > popped[i - 1].second);
    }
  });
}

TEST_CASE("removing entries keeps the others in (time, insertion) order", "[kernel][scheduler][property]") {
  rc::prop("remove_if then pop all gives the survivors sorted", [](const std::vector<std::pair<uint8_t, bool>>& items) {
    EventQueue<Tag> q;
    std::vector<std::pair<int64_t, int>> survivors;  // (time, id); ids grow with insertion
    for (size_t i = 0; i < items.size(); ++i) {
      const int id = static_cast<int>(i);
      q.push(SimTime{items[i].first % 16}, Tag{id});
      if (!items[i].second) survivors.emplace_back(items[i].first % 16, id);
    }
    const size_t removed = q.remove_if([&](const Tag& t) { return items[static_cast<size_t>(t.id)].second; });
    RC_ASSERT(removed == items.size() - survivors.size());
    std::stable_sort(survivors.begin(), survivors.end(),
                     [](const auto& a, const auto& b) { return a.first < b.first; });
    std::vector<std::pair<int64_t, int>> popped;
    while (!q.empty()) {
      auto e = q.pop();
      popped.emplace_back(e.at.us, e.payload.id);
    }
    RC_ASSERT(popped == survivors);
  });
}

}  // namespace
}  // namespace ksim
