#include "core/log/partition_log.h"

#include <algorithm>
#include <cstdio>
#include <string>

#include "core/base/assert.h"
#include "core/log/batch_codec.h"

namespace ksim {

PartitionLog::PartitionLog(Storage& storage, TopicPartition tp, LogConfig config)
    : storage_(storage), tp_(std::move(tp)), config_(config) {
  segments_.emplace_back(Offset(0), segment_file(Offset(0)));
}

std::string PartitionLog::segment_file(Offset base) const {
  char name[32];
  std::snprintf(name, sizeof name, "%020lld.log", static_cast<long long>(base.value));
  return dir() + "/" + name;
}

Offset PartitionLog::log_end_offset() const { return segments_.back().next_offset(); }

void PartitionLog::roll_if_needed(int64_t incoming_bytes) {
  const LogSegment& active = segments_.back();
  if (!active.empty() && active.size_bytes() + incoming_bytes > config_.segment_bytes) {
    const Offset base = log_end_offset();
    segments_.emplace_back(base, segment_file(base));
  }
}

void PartitionLog::append_batch(RecordBatch batch) {
  KSIM_ASSERT(!batch.records.empty());
  KSIM_ASSERT_MSG(batch.base_offset == log_end_offset(),
                  tp_.str() << ": append at " << batch.base_offset.value << " but LEO is " << log_end_offset().value);
  roll_if_needed(batch.size_bytes());
  LogSegment& active = segments_.back();
  storage_.append(active.file_name(), encode_batch(batch));
  active.append(std::move(batch), config_.index_interval_bytes);
  producer_state_.on_append(active.batches().back());
}

void PartitionLog::rebuild_producer_state() {
  // UnifiedLog.rebuildProducerState without snapshots: replay the whole log.
  producer_state_.clear(log_start_offset_);
  for (const LogSegment& seg : segments_)
    for (const RecordBatch& b : seg.batches()) producer_state_.on_append(b);
}

const RecordBatch& PartitionLog::append_as_leader(RecordBatch batch, LeaderEpoch leader_epoch) {
  batch.base_offset = log_end_offset();
  batch.partition_leader_epoch = leader_epoch;
  if (epoch_cache_.assign(leader_epoch, batch.base_offset)) persist_epoch_cache(/*sync=*/true, "assigned");
  append_batch(std::move(batch));
  return segments_.back().batches().back();
}

void PartitionLog::append_as_follower(const RecordBatch& batch) {
  if (batch.partition_leader_epoch.value >= 0 && epoch_cache_.assign(batch.partition_leader_epoch, batch.base_offset))
    persist_epoch_cache(/*sync=*/true, "assigned");
  append_batch(batch);
}

void PartitionLog::assign_epoch_start(LeaderEpoch epoch) {
  if (epoch_cache_.assign(epoch, log_end_offset())) persist_epoch_cache(/*sync=*/true, "assigned");
}

LogReadResult PartitionLog::read(Offset from, Offset max_offset, int64_t max_bytes, bool min_one_batch) const {
  LogReadResult out;
  auto lookup = locate(from);
  if (!lookup || !lookup->batch) return out;
  for (size_t s = lookup->segment; s < segments_.size(); ++s) {
    const auto& batches = segments_[s].batches();
    for (size_t b = (s == lookup->segment ? *lookup->batch : 0); b < batches.size(); ++b) {
      const RecordBatch& batch = batches[b];
      if (batch.last_offset() >= max_offset) return out;
      const int64_t bytes = batch.size_bytes();
      if (out.bytes + bytes > max_bytes && !(min_one_batch && out.batches.empty())) return out;
      out.batches.push_back(batch);
      out.bytes += bytes;
    }
  }
  return out;
}

std::optional<OffsetLookup> PartitionLog::locate(Offset offset) const {
  if (offset < log_start_offset_ || offset >= log_end_offset()) return std::nullopt;
  // The last segment whose base offset is <= offset.
  auto it = std::upper_bound(segments_.begin(), segments_.end(), offset,
                             [](Offset o, const LogSegment& seg) { return o < seg.base_offset(); });
  KSIM_ASSERT(it != segments_.begin());
  const size_t index = static_cast<size_t>(it - segments_.begin()) - 1;
  OffsetLookup found = segments_[index].lookup(offset);
  found.segment = index;
  return found;
}

const RecordBatch* PartitionLog::batch_at(Offset offset) const {
  auto found = locate(offset);
  if (!found || !found->batch) return nullptr;
  return &segments_[found->segment].batches()[*found->batch];
}

void PartitionLog::truncate_epoch_cache_from_end() {
  const size_t epochs_before = epoch_cache_.entries().size();
  epoch_cache_.truncate_from_end(log_end_offset());
  // Kafka flushes this change asynchronously (truncateFromEndAsyncFlush).
  if (epoch_cache_.entries().size() != epochs_before) persist_epoch_cache(/*sync=*/false, "truncated");
}

std::vector<RecordBatch> PartitionLog::truncate_to(Offset offset) {
  std::vector<RecordBatch> removed;
  if (offset >= log_end_offset()) {
    // UnifiedLog.truncateTo: nothing to remove, but the epoch cache is still
    // cut at the LEO. A broker that became leader assigned its epoch a start
    // offset at its LEO; demoted before it appended anything, it would keep
    // that epoch as its latest, send it as LastFetchedEpoch, and be told it
    // diverges on every fetch: it would never rejoin the ISR.
    truncate_epoch_cache_from_end();
    return removed;
  }
  KSIM_ASSERT_MSG(offset >= log_start_offset_, "truncation below the log start offset");
  auto found = locate(offset);
  KSIM_ASSERT(found && found->batch);
  // Whole segments after the one holding `offset` go first (collected in order).
  std::vector<RecordBatch> tail;
  while (segments_.size() > found->segment + 1) {
    LogSegment& last = segments_.back();
    std::vector<RecordBatch> batches(last.batches().begin(), last.batches().end());
    tail.insert(tail.begin(), std::make_move_iterator(batches.begin()), std::make_move_iterator(batches.end()));
    storage_.remove(last.file_name());
    segments_.pop_back();
  }
  LogSegment& seg = segments_[found->segment];
  removed = seg.truncate_batches_from(*found->batch);
  storage_.truncate(seg.file_name(), *found->batch);
  removed.insert(removed.end(), std::make_move_iterator(tail.begin()), std::make_move_iterator(tail.end()));

  const Offset leo = log_end_offset();
  appended_from_ = std::min(appended_from_, leo);
  truncate_epoch_cache_from_end();
  if (high_watermark_ > leo) high_watermark_ = leo;
  rebuild_producer_state();
  return removed;
}

void PartitionLog::set_high_watermark(Offset hw) {
  KSIM_ASSERT_MSG(hw >= log_start_offset_ && hw <= log_end_offset(),
                  tp_.str() << ": HW " << hw.value << " outside [" << log_start_offset_.value << ", "
                            << log_end_offset().value << "]");
  high_watermark_ = hw;
}

void PartitionLog::checkpoint_high_watermark() {
  storage_.replace(hw_file(), {std::to_string(high_watermark_.value)});
  storage_.fsync(hw_file());
}

Offset PartitionLog::checkpointed_high_watermark() const {
  const auto& entries = storage_.read(hw_file());
  if (entries.empty()) return Offset(0);
  return Offset(std::stoll(entries.back()));
}

std::optional<LeaderEpoch> PartitionLog::latest_epoch() const {
  auto latest = epoch_cache_.latest();
  if (!latest) return std::nullopt;
  return latest->epoch;
}

EpochEndOffset PartitionLog::end_offset_for_epoch(LeaderEpoch epoch) const {
  return epoch_cache_.end_offset_for(epoch, log_end_offset());
}

EpochEndOffset PartitionLog::end_offset_for_epoch_v0(LeaderEpoch epoch) const {
  return epoch_cache_.end_offset_for_v0(epoch, log_end_offset());
}

void PartitionLog::persist_epoch_cache(bool sync, std::string_view reason) {
  std::vector<std::string> lines;
  for (const EpochEntry& e : epoch_cache_.entries())
    lines.push_back(std::to_string(e.epoch.value) + " " + std::to_string(e.start_offset.value));
  storage_.replace(epoch_file(), std::move(lines));
  if (sync) storage_.fsync(epoch_file());
  if (epoch_cache_observer_) epoch_cache_observer_(epoch_cache_, reason);
}

Offset PartitionLog::flushed_offset() const {
  for (const LogSegment& seg : segments_) {
    const size_t durable = storage_.durable_entries(seg.file_name());
    if (durable < seg.batches().size()) return seg.batches()[durable].base_offset;
  }
  return log_end_offset();
}

void PartitionLog::flush() {
  for (const LogSegment& seg : segments_)
    if (storage_.exists(seg.file_name())) storage_.fsync(seg.file_name());
}

int64_t PartitionLog::size_bytes() const {
  int64_t total = 0;
  for (const LogSegment& seg : segments_) total += seg.size_bytes();
  return total;
}

RecoveryResult PartitionLog::recover() {
  KSIM_ASSERT_MSG(segments_.size() == 1 && segments_[0].empty(), "recover() on a log that is in use");
  RecoveryResult result;
  const std::string prefix = dir() + "/";
  std::vector<std::string> files;
  for (const std::string& name : storage_.list())
    if (name.rfind(prefix, 0) == 0 && name.size() > 4 && name.compare(name.size() - 4, 4, ".log") == 0)
      files.push_back(name);  // list() is sorted; 20-digit names sort by base offset

  segments_.clear();
  bool broken = false;
  for (const std::string& file : files) {
    const Offset base(std::stoll(file.substr(prefix.size(), 20)));
    if (broken) {
      result.entries_discarded += static_cast<int64_t>(storage_.read(file).size());
      storage_.remove(file);
      continue;
    }
    if (segments_.empty()) log_start_offset_ = base;
    if (!segments_.empty() && base != log_end_offset()) {
      // A gap between segments: everything from here on is unusable.
      broken = true;
      result.entries_discarded += static_cast<int64_t>(storage_.read(file).size());
      storage_.remove(file);
      continue;
    }
    segments_.emplace_back(base, file);
    const auto entries = storage_.read(file);  // copy: truncation below edits storage
    size_t good = 0;
    for (const std::string& entry : entries) {
      auto batch = decode_batch(entry);
      if (!batch || batch->base_offset != segments_.back().next_offset()) break;
      segments_.back().append(std::move(*batch), config_.index_interval_bytes);
      ++good;
    }
    if (good < entries.size()) {
      result.entries_discarded += static_cast<int64_t>(entries.size() - good);
      storage_.truncate(file, good);
      broken = true;
    }
    result.batches_recovered += static_cast<int64_t>(good);
  }
  if (segments_.empty()) segments_.emplace_back(log_start_offset_, segment_file(log_start_offset_));
  rebuild_producer_state();

  // The epoch cache checkpoint may be stale either way: ahead of what
  // survived of the log, or behind it (a truncation's removal of epochs was
  // flushed, the truncation of the log was not).
  epoch_cache_.clear();
  for (const std::string& line : storage_.read(epoch_file())) {
    long long epoch = 0, start = 0;
    if (std::sscanf(line.c_str(), "%lld %lld", &epoch, &start) == 2)
      epoch_cache_.assign(LeaderEpoch(static_cast<int32_t>(epoch)), Offset(start));
  }
  const std::vector<EpochEntry> checkpointed = epoch_cache_.entries();
  // LogSegment.recover: a recovered batch newer than the latest epoch adds its epoch.
  bool assigned = false;
  for (const LogSegment& seg : segments_)
    for (const RecordBatch& b : seg.batches()) {
      const auto latest = epoch_cache_.latest();
      if (b.partition_leader_epoch.value >= 0 && (!latest || b.partition_leader_epoch > latest->epoch))
        assigned |= epoch_cache_.assign(b.partition_leader_epoch, b.base_offset);
    }
  // LogLoader: then cut back to the recovered LEO (truncateFromEndAsyncFlush).
  epoch_cache_.truncate_from_end(log_end_offset());
  if (epoch_cache_.entries() != checkpointed)
    persist_epoch_cache(/*sync=*/assigned, "recovered");
  else if (epoch_cache_observer_)
    epoch_cache_observer_(epoch_cache_, "recovered");

  high_watermark_ = std::min(checkpointed_high_watermark(), log_end_offset());
  high_watermark_ = std::max(high_watermark_, log_start_offset_);
  appended_from_ = log_end_offset();
  result.log_end_offset = log_end_offset();
  result.high_watermark = high_watermark_;
  return result;
}

void PartitionLog::check_invariants() const {
  const Offset leo = log_end_offset();
  KSIM_ASSERT_MSG(log_start_offset_ <= high_watermark_ && high_watermark_ <= leo,
                  tp_.str() << ": need start " << log_start_offset_.value << " <= HW " << high_watermark_.value
                            << " <= LEO " << leo.value);
  for (size_t i = 1; i < segments_.size(); ++i)
    KSIM_ASSERT_MSG(segments_[i].base_offset() == segments_[i - 1].next_offset(), tp_.str() << ": segment gap");
  epoch_cache_.check_invariants();
  producer_state_.check_invariants();
  KSIM_ASSERT_MSG(producer_state_.map_end_offset() == leo,
                  tp_.str() << ": producer state ends at " << producer_state_.map_end_offset().value << ", LEO "
                            << leo.value);
  if (auto latest = epoch_cache_.latest()) KSIM_ASSERT(latest->start_offset <= leo);
  // The newest batch, if this process appended it, is covered by its own epoch
  // in the cache (invariant 4; a cheap spot check).
  const LogSegment& active = segments_.back();
  if (!active.empty() && active.batches().back().partition_leader_epoch.value >= 0 &&
      active.batches().back().base_offset >= appended_from_) {
    const RecordBatch& last = active.batches().back();
    KSIM_ASSERT_MSG(epoch_cache_.epoch_for_offset(last.base_offset) == last.partition_leader_epoch,
                    tp_.str() << ": batch at " << last.base_offset.value << " has epoch "
                              << last.partition_leader_epoch.value << " but the epoch cache disagrees");
  }
}

}  // namespace ksim
