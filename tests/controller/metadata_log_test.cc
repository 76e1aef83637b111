#include <catch2/catch.hpp>
#include <rapidcheck/catch.h>

#include "core/controller/metadata_log.h"
#include "core/controller/metadata_record_codec.h"
#include "tests/support/test_disk.h"

namespace ksim {
namespace {

std::vector<MetadataRecord> sample_records() {
  PartitionRecord p;
  p.topic = "orders";
  p.partition = PartitionId(3);
  p.replicas = {1, 2, 3};
  p.isr = {2, 3};
  p.elr = {1};
  p.last_known_elr = {};
  p.leader = BrokerId(2);
  p.leader_epoch = LeaderEpoch(7);
  p.partition_epoch = 12;
  return {
      RegisterBrokerRecord{BrokerId(1), BrokerEpoch(0), NodeId(4), "rack-a", 0xdeadbeefcafe},
      BrokerRegistrationChangeRecord{BrokerId(1), BrokerEpoch(0), false, true},
      TopicRecord{"orders", 6, {{"min.insync.replicas", "2"}, {"unclean.leader.election.enable", "false"}}},
      p,
      ProducerIdsRecord{BrokerId(2), BrokerEpoch(17), ProducerId(3000)},
  };
}

TEST_CASE("every metadata record type survives the codec unchanged", "[controller][codec]") {
  for (const auto& r : sample_records()) {
    const auto decoded = decode_metadata_record(encode_metadata_record(r));
    REQUIRE(decoded);
    CHECK(*decoded == r);
  }
}

TEST_CASE("a torn or garbled entry does not decode", "[controller][codec]") {
  for (const auto& r : sample_records()) {
    const std::string bytes = encode_metadata_record(r);
    for (size_t cut = 0; cut < bytes.size(); ++cut) CHECK_FALSE(decode_metadata_record(bytes.substr(0, cut)));
    CHECK_FALSE(decode_metadata_record(bytes + "x"));
  }
  std::string wrong_tag = encode_metadata_record(sample_records()[0]);
  wrong_tag[4] = 9;
  CHECK_FALSE(decode_metadata_record(wrong_tag));
}

TEST_CASE("partition records round-trip for any content", "[controller][codec][property]") {
  rc::prop("encode then decode is the identity", [](const std::string& topic, int32_t partition,
                                                     const std::vector<int32_t>& replicas,
                                                     const std::vector<int32_t>& isr, const std::vector<int32_t>& elr,
                                                     int32_t leader, int32_t leader_epoch, int32_t partition_epoch) {
    PartitionRecord p;
    p.topic = topic;
    p.partition = PartitionId(partition);
    p.replicas = replicas;
    p.isr = isr;
    p.elr = elr;
    p.last_known_elr = elr;
    p.leader = BrokerId(leader);
    p.leader_epoch = LeaderEpoch(leader_epoch);
    p.partition_epoch = partition_epoch;
    const auto decoded = decode_metadata_record(encode_metadata_record(p));
    RC_ASSERT(decoded.has_value());
    RC_ASSERT(*decoded == MetadataRecord(p));
  });
}

TEST_CASE("the metadata log is durable as soon as append returns: a power loss keeps it all",
          "[controller][log]") {
  test::TestDisk disk;
  {
    MetadataLog log(disk.storage());
    CHECK(log.append({sample_records()[0], sample_records()[1]}) == 0);
    CHECK(log.append({sample_records()[2]}) == 2);
    CHECK(log.end_offset() == 3);
  }
  disk.power_loss();
  MetadataLog recovered(disk.storage());
  CHECK(recovered.recover() == 0);
  REQUIRE(recovered.end_offset() == 3);
  CHECK(recovered.at(2) == sample_records()[2]);
  CHECK(recovered.read_from(1).size() == 2);
  CHECK(recovered.read_from(3).empty());
  CHECK(recovered.read_from(10).empty());
}

TEST_CASE("recovery stops the metadata log at the first unreadable entry", "[controller][log]") {
  test::TestDisk disk;
  MetadataLog log(disk.storage());
  log.append(sample_records());
  disk.storage().append(MetadataLog::kFile, "garbage");
  disk.storage().append(MetadataLog::kFile, encode_metadata_record(sample_records()[0]));
  MetadataLog recovered(disk.storage());
  const int64_t good = static_cast<int64_t>(sample_records().size());
  CHECK(recovered.recover() == 2);
  CHECK(recovered.end_offset() == good);
  CHECK(disk.storage().read(MetadataLog::kFile).size() == static_cast<size_t>(good));
}

}  // namespace
}  // namespace ksim
