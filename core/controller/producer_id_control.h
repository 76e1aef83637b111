#pragma once
// ProducerIdControl: the controller's side of AllocateProducerIds (KIP-730),
// as Kafka's ProducerIdControlManager.
//
//   1. The broker's epoch must be its registered one (ClusterControlManager.
//      checkBrokerEpoch): an unknown broker or another epoch is
//      STALE_BROKER_EPOCH.
//   2. The block is [next, next + 1000) where `next` is the image's
//      next_producer_id (0 at first); ids past Int64 max - 1000 are never given
//      (UNKNOWN_SERVER_ERROR, "exhausted").
//   3. The answer is one ProducerIdsRecord{broker, broker epoch, next + 1000},
//      answered only once durable. Replaying the metadata log therefore
//      restores `next` after a controller restart, and blocks are consecutive
//      and never handed out twice.
//
// Stateless over the image, like ReplicationControl: the state is the log.
#include <cstdint>

#include "core/controller/controller_record.h"
#include "core/metadata/metadata_image.h"
#include "core/protocol/errors.h"

namespace ksim {

struct ProducerIdBlockResult {
  Errc error = Errc::none;
  ProducerId first_producer_id{-1};
  int32_t count = 0;
  ControllerRecords records;  // one ProducerIdsRecord on success
};

class ProducerIdControl {
 public:
  // ProducerIdsBlock.PRODUCER_ID_BLOCK_SIZE.
  static constexpr int32_t kBlockSize = 1000;

  explicit ProducerIdControl(const MetadataImage& image) : image_(image) {}

  ProducerIdBlockResult generate_next_block(BrokerId broker, BrokerEpoch broker_epoch) const;

 private:
  const MetadataImage& image_;
};

}  // namespace ksim
