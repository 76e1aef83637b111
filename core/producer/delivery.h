#pragma once
// What send() gives back: a DeliveryHandle that completes once, with Java's
// RecordMetadata (topic, partition, offset, timestamp) or an error, and an
// optional callback run at completion (Java's Callback.onCompletion,
// kafka-python's future). The handle shares its state with the producer; it
// stays valid after the producer object is gone (a crashed client's pending
// sends simply never complete).
#include <cstdint>
#include <functional>
#include <memory>
#include <string>

#include "core/base/ids.h"
#include "core/protocol/errors.h"

namespace ksim::producer {

struct RecordMetadata {
  std::string topic;
  PartitionId partition{-1};
  Offset offset{-1};         // -1 with acks=0 or on DUPLICATE_SEQUENCE_NUMBER
  int64_t timestamp_ms = -1; // the record's CreateTime
};

using DeliveryCallback = std::function<void(const RecordMetadata&, Errc)>;

struct DeliveryState {
  RecordId record;
  bool done = false;
  Errc error = Errc::none;
  RecordMetadata metadata;
  DeliveryCallback callback;
};

class DeliveryHandle {
 public:
  DeliveryHandle() = default;
  explicit DeliveryHandle(std::shared_ptr<DeliveryState> s) : s_(std::move(s)) {}

  bool valid() const { return s_ != nullptr; }
  RecordId record() const { return s_->record; }
  bool done() const { return s_->done; }
  bool ok() const { return s_->done && s_->error == Errc::none; }
  Errc error() const { return s_->error; }
  const RecordMetadata& metadata() const { return s_->metadata; }

 private:
  std::shared_ptr<DeliveryState> s_;
};

}  // namespace ksim::producer
