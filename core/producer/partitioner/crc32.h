#pragma once
// CRC-32 (IEEE 802.3, reflected polynomial 0xEDB88320, initial value and final
// xor 0xFFFFFFFF): the checksum zlib's crc32() and Go's hash/crc32 IEEE compute.
// librdkafka's `consistent` and `consistent_random` partitioners send a keyed
// record to rd_crc32(key) % partition_cnt, and sarama's ConsistentCRCHashPartitioner
// copies that. (Not Kafka's record-batch CRC, which is CRC-32C.)
#include <cstdint>
#include <string_view>

namespace ksim::producer {

uint32_t crc32_ieee(std::string_view bytes);

}  // namespace ksim::producer
