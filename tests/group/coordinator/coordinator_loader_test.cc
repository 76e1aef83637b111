// load_coordinator_shard: a shard read back from a hand-written
// __consumer_offsets log, record by record, later records winning.
#include <catch2/catch.hpp>
#include <optional>
#include <string>
#include <vector>

#include "core/group/coordinator/coordinator_loader.h"
#include "core/protocol/internal_topics.h"
#include "tests/support/fake_env.h"

namespace ksim::test {
namespace {

const TopicPartition kOrders0{"orders", PartitionId(0)};
const TopicPartition kOrders1{"orders", PartitionId(1)};

GroupRecord offset_commit(const std::string& group, const TopicPartition& tp, std::optional<int64_t> offset) {
  GroupRecord r;
  r.kind = GroupRecord::Kind::offset_commit;
  r.group_id = group;
  r.tp = tp;
  if (offset) r.offset = OffsetCommitValue{Offset(*offset), LeaderEpoch(1), "", 1000};
  return r;
}

GroupRecord group_metadata(const std::string& group, std::optional<GroupMetadataValue> value) {
  GroupRecord r;
  r.kind = GroupRecord::Kind::group_metadata;
  r.group_id = group;
  r.group = std::move(value);
  return r;
}

GroupMetadataValue stable_generation(int32_t generation, std::vector<std::string> members) {
  GroupMetadataValue v;
  v.protocol_type = "consumer";
  v.protocol_name = "range";
  v.generation = GenerationId(generation);
  v.leader = members.front();
  v.current_state_timestamp_ms = 500;
  for (const auto& id : members) {
    GroupMetadataMember m;
    m.member_id = id;
    m.session_timeout_ms = 45000;
    m.rebalance_timeout_ms = 300000;
    v.members.push_back(std::move(m));
  }
  return v;
}

struct OffsetsLog {
  FakeEnv env;
  PartitionLog log{env.storage(), TopicPartition{std::string(kConsumerOffsetsTopic), PartitionId(0)}, LogConfig{}};
  uint64_t next_id = 0;

  void write(std::vector<GroupRecord> records) {
    RecordBatch b;
    for (const auto& r : records) b.records.push_back(encode_group_record(r, make_record_id(NodeId(1), next_id++), 1000));
    log.append_as_leader(std::move(b), LeaderEpoch(1));
  }
};

}  // namespace

TEST_CASE("a loaded shard keeps each key's last record: groups, offsets and tombstones", "[group][coordinator][loading]") {
  OffsetsLog l;
  l.write({group_metadata("g1", stable_generation(2, {"a"})), offset_commit("g1", kOrders0, 5)});
  l.write({group_metadata("g1", stable_generation(3, {"a", "b"})), offset_commit("g1", kOrders1, 7)});
  l.write({offset_commit("g1", kOrders1, std::nullopt)});                              // tombstone
  l.write({group_metadata("gone", stable_generation(1, {"c"})), group_metadata("gone", std::nullopt)});
  l.write({offset_commit("expired", kOrders0, 3), offset_commit("expired", kOrders0, std::nullopt)});
  l.write({offset_commit("simple", kOrders0, 9)});

  CoordinatorShard shard;
  CHECK(load_coordinator_shard(&l.log, shard) == 2);

  REQUIRE(shard.groups.size() == 2);
  const ClassicGroup& g1 = shard.groups.at("g1");
  CHECK(g1.state() == GroupState::stable);
  CHECK(g1.generation() == GenerationId(3));
  CHECK(g1.members().size() == 2);
  CHECK(g1.protocol_name() == std::optional<std::string>("range"));
  CHECK(g1.current_state_timestamp_ms == 500);
  // A group known only by its offsets comes back Empty, with no protocol.
  const ClassicGroup& simple = shard.groups.at("simple");
  CHECK(simple.state() == GroupState::empty);
  CHECK(!simple.protocol_type().has_value());

  REQUIRE(shard.offsets.size() == 2);
  CHECK(shard.offsets.at("g1").size() == 1);
  CHECK(shard.offsets.at("g1").at(kOrders0).offset == Offset(5));
  CHECK(shard.offsets.at("simple").at(kOrders0).offset == Offset(9));
}

TEST_CASE("a shard with no log loads empty", "[group][coordinator][loading]") {
  CoordinatorShard shard;
  CHECK(load_coordinator_shard(nullptr, shard) == 0);
  CHECK(shard.groups.empty());
  CHECK(shard.offsets.empty());
}

}  // namespace ksim::test
