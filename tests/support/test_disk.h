#pragma once
// TestDisk: a sim Disk without a simulation around it, for unit tests of core
// components that persist (the partition log). Write-back never happens by
// itself; tests call power_loss() or fsync through Storage.
#include "sim/disk/disk.h"

namespace ksim::test {

class TestDisk final : private DiskHost {
 public:
  TestDisk() : disk_(NodeId(0), DiskOptions{}, static_cast<DiskHost&>(*this)) {}
  Storage& storage() { return disk_; }
  Disk& disk() { return disk_; }
  // Writes everything back, as the OS would eventually.
  void write_back_all() {
    for (const auto& [index, generation] : pending_) disk_.on_writeback(index, generation);
    pending_.clear();
  }
  void power_loss() {
    pending_.clear();
    disk_.lose_power();
  }

 private:
  SimTime now() const override { return SimTime::zero(); }
  void schedule_writeback(NodeId, uint64_t file_index, uint64_t generation, SimTime) override {
    pending_.emplace_back(file_index, generation);
  }
  void trace_from(NodeId, trace::Payload) override {}

  Disk disk_;
  std::vector<std::pair<uint64_t, uint64_t>> pending_;
};

}  // namespace ksim::test
