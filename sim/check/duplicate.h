#pragma once
// duplicate: one produced record sits at two or more offsets of the committed
// logs: twice in one partition, or in two partitions.
//
// Definition. Over the committed logs of all partitions (history.h), a record
// id that appears at more than one (partition, offset) is one anomaly. This is
// what a producer's retry does without idempotence (enable.idempotence=false,
// or a producer restart, which gets a new producer id: KIP-98 only dedupes
// within one session). Examples are ordered by the partition and offset of the
// duplicate's first copy.
//
// Jepsen (duplicate-cases) counts a value read at more than one offset of one
// key, from the consumers' polls; ksim reads the final logs, and also reports a
// record copied into a second partition.
#include <span>
#include <vector>

#include "sim/check/check_result.h"
#include "sim/check/check_context.h"

namespace ksim::check {

CheckResult check_duplicate(const CheckContext& ctx);

// One copy of a record in a committed log.
struct RecordCopy {
  RecordId record;
  PartitionIndex partition;
  Offset offset;
  auto operator<=>(const RecordCopy&) const = default;
};

// Every duplicate check_duplicate counts (its result keeps only the first few
// as examples), in its order: duplicates[i] is the record at
// copies[first_copy[i] .. first_copy[i + 1]) (the last up to copies.size()),
// its copies in (partition, offset) order. The viewer marks each of these.
struct Duplicates {
  std::vector<RecordCopy> copies;
  std::vector<size_t> first_copy;
  size_t size() const { return first_copy.size(); }
  std::span<const RecordCopy> copies_of(size_t i) const {
    const size_t end = i + 1 < first_copy.size() ? first_copy[i + 1] : copies.size();
    return {copies.data() + first_copy[i], end - first_copy[i]};
  }
};
Duplicates find_duplicates(const CheckContext& ctx);

}  // namespace ksim::check
