#include "core/log/leader_epoch_cache.h"

#include "core/base/assert.h"

namespace ksim {

bool LeaderEpochCache::assign(LeaderEpoch epoch, Offset start_offset) {
  KSIM_ASSERT(epoch.value >= 0 && start_offset.value >= 0);
  if (!entries_.empty() && entries_.back().epoch == epoch && entries_.back().start_offset <= start_offset)
    return false;
  while (!entries_.empty() && (entries_.back().epoch >= epoch || entries_.back().start_offset >= start_offset))
    entries_.pop_back();
  entries_.push_back({epoch, start_offset});
  return true;
}

EpochEndOffset LeaderEpochCache::end_offset_for(LeaderEpoch requested, Offset log_end_offset) const {
  if (requested.value < 0) return {};
  if (!entries_.empty() && entries_.back().epoch == requested) return {requested, log_end_offset};
  const EpochEntry* higher = nullptr;
  const EpochEntry* floor = nullptr;
  for (const EpochEntry& e : entries_) {
    if (e.epoch <= requested) floor = &e;
    if (e.epoch > requested && !higher) higher = &e;
  }
  if (!higher) return {};                                    // newer than anything known
  if (!floor) return {requested, higher->start_offset};      // older than anything known
  return {floor->epoch, higher->start_offset};
}

EpochEndOffset LeaderEpochCache::end_offset_for_v0(LeaderEpoch requested, Offset log_end_offset) const {
  if (requested.value < 0 || entries_.empty()) return {};
  if (entries_.back().epoch == requested) return {requested, log_end_offset};
  if (requested < entries_.front().epoch) return {};
  for (const EpochEntry& e : entries_)
    if (e.epoch > requested) return {requested, e.start_offset};
  return {};
}

void LeaderEpochCache::truncate_from_end(Offset end_offset) {
  while (!entries_.empty() && entries_.back().start_offset >= end_offset) entries_.pop_back();
}

void LeaderEpochCache::truncate_from_start(Offset start_offset) {
  size_t keep_from = 0;
  for (size_t i = 0; i < entries_.size(); ++i)
    if (entries_[i].start_offset <= start_offset) keep_from = i;
  if (entries_.empty() || entries_[keep_from].start_offset > start_offset) return;
  entries_.erase(entries_.begin(), entries_.begin() + static_cast<std::ptrdiff_t>(keep_from));
  entries_.front().start_offset = start_offset;
}

std::optional<EpochEntry> LeaderEpochCache::latest() const {
  if (entries_.empty()) return std::nullopt;
  return entries_.back();
}

std::optional<LeaderEpoch> LeaderEpochCache::epoch_for_offset(Offset offset) const {
  std::optional<LeaderEpoch> found;
  for (const EpochEntry& e : entries_) {
    if (e.start_offset > offset) break;
    found = e.epoch;
  }
  return found;
}

void LeaderEpochCache::check_invariants() const {
  for (size_t i = 1; i < entries_.size(); ++i) {
    KSIM_ASSERT_MSG(entries_[i - 1].epoch < entries_[i].epoch, "leader epochs must increase in the epoch cache");
    KSIM_ASSERT_MSG(entries_[i - 1].start_offset < entries_[i].start_offset,
                    "epoch start offsets must increase in the epoch cache");
  }
}

}  // namespace ksim
