#pragma once
// InitProducerId (client -> any broker) and AllocateProducerIds (broker ->
// controller, KIP-730): how an idempotent producer gets its producer id and
// epoch (KIP-98). Field names follow Kafka's InitProducerIdRequest.json and
// AllocateProducerIdsRequest.json. Transactions are out of scope: the
// transactional id is always null here, so a broker answers from its block of
// ids and the epoch starts at 0.
#include <cstdint>
#include <string_view>

#include "core/base/ids.h"
#include "core/protocol/errors.h"

namespace ksim {

struct InitProducerIdRequest {
  static constexpr std::string_view kName = "InitProducerId";
  int32_t correlation_id = 0;
  int32_t transaction_timeout_ms = 60000;
  // KIP-360: an existing producer may ask to bump its epoch (-1/-1 = a new id).
  ProducerId producer_id{-1};
  ProducerEpoch producer_epoch{-1};
  int64_t size_bytes() const { return 40; }
};

struct InitProducerIdResponse {
  static constexpr std::string_view kName = "InitProducerIdResponse";
  int32_t correlation_id = 0;
  Errc error = Errc::none;
  ProducerId producer_id{-1};
  ProducerEpoch producer_epoch{-1};
  int64_t size_bytes() const { return 32; }
};

// A broker asks the controller for a block of producer ids (the controller
// hands out consecutive, never reused blocks of 1000, recorded in its metadata
// log as ProducerIdsRecord).
struct AllocateProducerIdsRequest {
  static constexpr std::string_view kName = "AllocateProducerIds";
  int32_t correlation_id = 0;
  BrokerId broker_id{-1};
  BrokerEpoch broker_epoch{-1};
  int64_t size_bytes() const { return 32; }
};

struct AllocateProducerIdsResponse {
  static constexpr std::string_view kName = "AllocateProducerIdsResponse";
  int32_t correlation_id = 0;
  Errc error = Errc::none;
  ProducerId producer_id_start{-1};
  int32_t producer_id_len = 0;
  int64_t size_bytes() const { return 32; }
};

}  // namespace ksim
