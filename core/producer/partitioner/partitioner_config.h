#pragma once
// The producer settings that shape partitioning, with the clients' defaults.
// Field names follow the config names (given verbatim in each comment); the
// scenario loader maps the config strings onto these fields.
#include <cstdint>

namespace ksim::producer {

struct PartitionerConfig {
  // `batch.size` (Java, default 16384): KIP-794's built-in partitioner switches
  // its sticky partition after this many bytes went to it. Must be >= 1.
  int32_t batch_size = 16384;
  // `partitioner.ignore.keys` (Java 3.3+, default false): keyed records use the
  // sticky path too. No effect on partitioners other than the built-in one.
  bool partitioner_ignore_keys = false;
  // `partitioner.adaptive.partitioning.enable` (Java 3.3+, default true): the
  // sticky switch prefers partitions with shorter queues; see builtin_partitioner.h
  // for what ksim can and cannot reproduce.
  bool partitioner_adaptive_partitioning_enable = true;
  // `partitioner.availability.timeout.ms` (Java 3.3+, default 0 = off): with
  // adaptive partitioning, a partition whose leader could not take produce
  // requests for this long is left out of the sticky choice. Must be >= 0.
  int64_t partitioner_availability_timeout_ms = 0;
  // `sticky.partitioning.linger.ms` (librdkafka, default 10, range 0..900000):
  // how long librdkafka keeps a sticky partition for null keys; 0 disables
  // sticky partitioning (null keys then go to the partitioner itself).
  int64_t sticky_partitioning_linger_ms = 10;
};

}  // namespace ksim::producer
