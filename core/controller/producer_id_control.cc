#include "core/controller/producer_id_control.h"

#include <cstdint>

namespace ksim {

ProducerIdBlockResult ProducerIdControl::generate_next_block(BrokerId broker, BrokerEpoch broker_epoch) const {
  ProducerIdBlockResult out;
  const BrokerInfo* info = image_.broker(broker);
  if (!info || info->epoch != broker_epoch) {
    out.error = Errc::stale_broker_epoch;
    return out;
  }
  const ProducerId first = image_.next_producer_id();
  if (first.value > INT64_MAX - kBlockSize) {
    out.error = Errc::unknown_server_error;  // "Exhausted all producerIds"
    return out;
  }
  out.first_producer_id = first;
  out.count = kBlockSize;
  out.records.push_back({ProducerIdsRecord{broker, broker_epoch, first + kBlockSize}, "allocate_producer_ids"});
  return out;
}

}  // namespace ksim
