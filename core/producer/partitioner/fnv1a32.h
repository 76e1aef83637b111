#pragma once
// 32-bit FNV-1a (Fowler, Noll, Vo): the hash of Go's hash/fnv New32a, which
// sarama's HashPartitioner (its default partitioner) applies to a record's key,
// and which librdkafka's fnv1a partitioners reproduce for sarama compatibility.
// What each client then does with the 32 bits differs; see key_hash_partition.h.
#include <cstdint>
#include <string_view>

namespace ksim::producer {

// FNV-1a 32 parameters from the FNV reference (offset basis, FNV prime).
inline constexpr uint32_t kFnv32OffsetBasis = 0x811c9dc5U;
inline constexpr uint32_t kFnv32Prime = 0x01000193U;

// FNV-1a over `bytes`: for each byte, xor it in, then multiply by the prime
// (mod 2^32). Equals Go's fnv.New32a() fed `bytes`, then Sum32().
uint32_t fnv1a32(std::string_view bytes);

}  // namespace ksim::producer
