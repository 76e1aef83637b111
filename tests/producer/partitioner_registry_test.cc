// Selecting partitioners by name, and the rules every partitioner keeps.
#include <catch2/catch.hpp>
#include <rapidcheck/catch.h>

#include <set>
#include <string>
#include <vector>

#include "core/producer/partitioner/partitioner_registry.h"
#include "tests/producer/toy_accumulator.h"

namespace ksim::producer {
namespace {

using testing::ToyAccumulator;

TEST_CASE("every listed partitioner can be made under its name and reports that name",
          "[producer][partitioner][registry]") {
  std::set<std::string_view> names;
  for (const PartitionerInfo& info : all_partitioners()) {
    INFO(info.name);
    CHECK(names.insert(info.name).second);
    MakePartitionerResult made = make_partitioner(info.name);
    REQUIRE(made.ok());
    CHECK(made.partitioner->name() == info.name);
    CHECK((info.key_to_partition != nullptr) == info.not_keyed_reason.empty());
  }
  CHECK(names.size() == 20);
}

TEST_CASE("Java partitioner.class names and the short names select the same partitioners",
          "[producer][partitioner][registry]") {
  auto name_of = [](std::string_view requested) {
    MakePartitionerResult made = make_partitioner(requested);
    REQUIRE(made.ok());
    return std::string(made.partitioner->name());
  };
  CHECK(name_of("default") == "builtin");
  CHECK(name_of("org.apache.kafka.clients.producer.internals.DefaultPartitioner") == "sticky-kip480");
  CHECK(name_of("org.apache.kafka.clients.producer.UniformStickyPartitioner") == "uniform-sticky");
  CHECK(name_of("org.apache.kafka.clients.producer.RoundRobinPartitioner") == "roundrobin");
  CHECK(name_of("murmur2_random") == "murmur2_random");
  CHECK(find_partitioner("Builtin") == nullptr);  // names are exact
}

TEST_CASE("an unknown partitioner name is an error that lists the valid names and suggests one",
          "[producer][partitioner][registry]") {
  MakePartitionerResult made = make_partitioner("murmur3_random");
  REQUIRE_FALSE(made.ok());
  CHECK_THAT(made.error, Catch::Contains("unknown partitioner 'murmur3_random'"));
  CHECK_THAT(made.error, Catch::Contains("did you mean 'murmur2_random'?"));
  for (const PartitionerInfo& info : all_partitioners()) CHECK_THAT(made.error, Catch::Contains(std::string(info.name)));

  CHECK(suggest_partitioner_name("round-robin") == std::optional<std::string_view>("roundrobin"));
  CHECK(suggest_partitioner_name("UniformStickyPartitioner") ==
        std::optional<std::string_view>("org.apache.kafka.clients.producer.UniformStickyPartitioner"));
  CHECK(suggest_partitioner_name("SARAMA-HASH") == std::optional<std::string_view>("sarama-hash"));
  CHECK_FALSE(suggest_partitioner_name("zookeeper").has_value());
  CHECK_THAT(unknown_partitioner_message("zookeeper"), !Catch::Contains("did you mean"));
}

TEST_CASE("bad partitioner settings are errors naming the config", "[producer][partitioner][registry]") {
  PartitionerConfig config;
  config.batch_size = 0;
  CHECK(make_partitioner("builtin", config).error == "batch.size must be at least 1, got 0");
  config = PartitionerConfig{};
  config.partitioner_availability_timeout_ms = -1;
  CHECK(make_partitioner("builtin", config).error == "partitioner.availability.timeout.ms must be at least 0, got -1");
  config = PartitionerConfig{};
  config.sticky_partitioning_linger_ms = 900001;
  CHECK(make_partitioner("murmur2_random", config).error ==
        "sticky.partitioning.linger.ms must be in 0..900000, got 900001");
}

TEST_CASE("an explicit partition wins with every partitioner", "[producer][partitioner][registry]") {
  ClusterView cluster;
  cluster.set_topic("t", 10, {PartitionId(0)});
  for (const PartitionerInfo& info : all_partitioners()) {
    INFO(info.name);
    auto partitioner = make_partitioner(info.name).partitioner;
    Rng rng(1);
    for (int32_t p = 0; p < 10; ++p) {
      const PartitionResult r = partitioner->partition({"t", "some key", PartitionId(p)}, cluster, SimTime::zero(), rng);
      REQUIRE(r.ok());
      CHECK(r.choice().partition == PartitionId(p));
    }
    CHECK(partitioner->partition({"t", std::nullopt, PartitionId(10)}, cluster, SimTime::zero(), rng).error() ==
          PartitionError::invalid_partition);
  }
}

TEST_CASE("a keyed partitioner places a key where its listed formula says", "[producer][partitioner][registry][property]") {
  rc::prop("partition() agrees with key_to_partition", [](const std::string& key, uint8_t raw_count) {
    const int32_t n = 1 + raw_count % 64;
    ClusterView cluster;
    cluster.set_topic("t", n, {});  // no leaders: keyed placement must not care
    for (const PartitionerInfo& info : all_partitioners()) {
      if (info.key_to_partition == nullptr) continue;
      if (key.empty() && info.empty_key_is_unkeyed) continue;
      auto partitioner = make_partitioner(info.name).partitioner;
      Rng rng(1);
      const PartitionResult r = partitioner->partition({"t", key, std::nullopt}, cluster, SimTime::zero(), rng);
      RC_ASSERT(r.ok());
      RC_ASSERT(r.choice().partition == info.key_to_partition(key, n));
    }
  });
}

TEST_CASE("every partitioner makes the same choices from the same seed", "[producer][partitioner][registry][determinism]") {
  auto run = [](std::string_view name, uint64_t seed) {
    auto partitioner = make_partitioner(name).partitioner;
    ClusterView cluster;
    cluster.set_topic("a", 9, {PartitionId(0), PartitionId(2), PartitionId(3), PartitionId(7), PartitionId(8)});
    cluster.set_topic("b", 4);
    Rng rng = Rng::stream(seed, "node/p1");
    ToyAccumulator accumulator(*partitioner, cluster, rng, 3, 5000);
    std::vector<int32_t> placed;
    for (int i = 0; i < 120; ++i) {
      accumulator.now = SimTime::from_ms(i * 4);
      const std::string key = "k" + std::to_string(i % 5);
      const std::optional<std::string_view> maybe_key =
          i % 4 == 0 ? std::optional<std::string_view>(key) : std::nullopt;
      placed.push_back(accumulator.append(i % 3 == 0 ? "b" : "a", maybe_key).value);
      if (i % 17 == 0) accumulator.drain();
    }
    return placed;
  };
  for (const PartitionerInfo& info : all_partitioners()) {
    INFO(info.name);
    CHECK(run(info.name, 11) == run(info.name, 11));
  }
}

}  // namespace
}  // namespace ksim::producer
