#include "sim/disk/disk.h"

#include "core/base/assert.h"

namespace ksim {
namespace {
const std::vector<std::string> kEmpty;
}

Disk::File& Disk::file_for_write(std::string_view name) {
  auto it = by_name_.find(name);
  uint64_t index;
  if (it == by_name_.end()) {
    index = files_.size();
    files_.push_back(File{});
    files_.back().name = std::string(name);
    by_name_.emplace(std::string(name), index);
  } else {
    index = it->second;
  }
  File& f = files_[index];
  f.exists = true;
  return f;
}

const Disk::File* Disk::find(std::string_view name) const {
  auto it = by_name_.find(name);
  return it == by_name_.end() ? nullptr : &files_[it->second];
}

bool Disk::is_dirty(const File& f) {
  return f.exists != f.durable_exists || f.synced != f.current.size() || f.durable.size() != f.synced;
}

void Disk::mark_dirty(File& f, uint64_t index) {
  if (f.writeback_pending || !is_dirty(f)) return;
  f.writeback_pending = true;
  host_.schedule_writeback(node_, index, f.generation, host_.now() + options_.writeback_delay);
}

void Disk::append(std::string_view name, std::string entry) {
  File& f = file_for_write(name);
  f.current.push_back(std::move(entry));
  mark_dirty(f, by_name_.find(name)->second);
}

void Disk::truncate(std::string_view name, size_t entries) {
  File& f = file_for_write(name);
  if (entries >= f.current.size()) return;
  f.current.resize(entries);
  if (f.synced > entries) f.synced = entries;
  mark_dirty(f, by_name_.find(name)->second);
}

void Disk::replace(std::string_view name, std::vector<std::string> entries) {
  File& f = file_for_write(name);
  f.current = std::move(entries);
  f.synced = 0;
  mark_dirty(f, by_name_.find(name)->second);
}

void Disk::remove(std::string_view name) {
  auto it = by_name_.find(name);
  if (it == by_name_.end()) return;
  File& f = files_[it->second];
  f.current.clear();
  f.synced = 0;
  f.exists = false;
  mark_dirty(f, it->second);
}

void Disk::flush(File& f, bool fsync) {
  if (!is_dirty(f)) return;
  f.durable.resize(f.synced);
  f.durable.insert(f.durable.end(), f.current.begin() + static_cast<std::ptrdiff_t>(f.synced), f.current.end());
  f.synced = f.current.size();
  f.durable_exists = f.exists;
  host_.trace_from(node_, trace::DiskFlushed{f.name, static_cast<int64_t>(f.durable.size()), fsync});
}

void Disk::fsync(std::string_view name) {
  auto it = by_name_.find(name);
  if (it == by_name_.end()) return;
  File& f = files_[it->second];
  flush(f, /*fsync=*/true);
  // A write-back still scheduled finds nothing to do; let it lapse.
  f.writeback_pending = false;
  ++f.generation;
}

void Disk::on_writeback(uint64_t file_index, uint64_t generation) {
  KSIM_ASSERT(file_index < files_.size());
  File& f = files_[file_index];
  if (generation != f.generation || !f.writeback_pending) return;
  f.writeback_pending = false;
  flush(f, /*fsync=*/false);
}

void Disk::lose_power() {
  for (File& f : files_) {
    ++f.generation;
    f.writeback_pending = false;
    if (!is_dirty(f)) continue;
    const auto before = static_cast<int64_t>(f.current.size());
    f.current = f.durable;
    f.synced = f.durable.size();
    f.exists = f.durable_exists;
    host_.trace_from(node_, trace::DiskLost{f.name, before, static_cast<int64_t>(f.current.size())});
  }
}

bool Disk::has_unflushed_writes() const {
  for (const File& f : files_)
    if (is_dirty(f)) return true;
  return false;
}

const std::vector<std::string>& Disk::read(std::string_view name) const {
  const File* f = find(name);
  return f && f->exists ? f->current : kEmpty;
}

bool Disk::exists(std::string_view name) const {
  const File* f = find(name);
  return f && f->exists;
}

std::vector<std::string> Disk::list() const {
  std::vector<std::string> names;
  for (const auto& [name, index] : by_name_)
    if (files_[index].exists) names.push_back(name);
  return names;
}

size_t Disk::durable_entries(std::string_view name) const {
  const File* f = find(name);
  return f ? f->synced : 0;
}

}  // namespace ksim
