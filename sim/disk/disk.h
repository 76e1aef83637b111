#pragma once
// Disk: one node's durable storage over a simulated page cache (see
// core/env/storage.h for what a node may rely on).
//
// Each file has the content the node sees (`current`) and the content that
// would survive a power cut (`durable`). A write makes the file dirty; the OS
// writes a dirty file back `writeback_delay` after it became dirty (Linux's
// dirty_expire_centisecs, 30 s by default), or at once on fsync. Kafka itself
// never fsyncs by default (log.flush.interval.messages is Long.MAX_VALUE).
//
// Invariant: durable[0, synced) == current[0, synced). After a truncation below
// `synced`, durable keeps the old tail until the next write-back: a power cut
// in between brings the truncated records back, as it would on a real disk.
#include <cstdint>
#include <map>
#include <string>
#include <vector>

#include "core/base/ids.h"
#include "core/base/time.h"
#include "core/env/storage.h"
#include "core/trace/trace_event.h"

namespace ksim {

struct DiskOptions {
  // How long a write stays only in the page cache before the OS writes it back.
  Duration writeback_delay = seconds(30);
};

// What a Disk needs from the simulation around it.
class DiskHost {
 public:
  virtual ~DiskHost() = default;
  virtual SimTime now() const = 0;
  virtual void schedule_writeback(NodeId node, uint64_t file_index, uint64_t generation, SimTime at) = 0;
  virtual void trace_from(NodeId node, trace::Payload event) = 0;
};

class Disk final : public Storage {
 public:
  Disk(NodeId node, DiskOptions options, DiskHost& host) : node_(node), options_(options), host_(host) {}

  void append(std::string_view file, std::string entry) override;
  void truncate(std::string_view file, size_t entries) override;
  void replace(std::string_view file, std::vector<std::string> entries) override;
  void remove(std::string_view file) override;
  void fsync(std::string_view file) override;
  const std::vector<std::string>& read(std::string_view file) const override;
  bool exists(std::string_view file) const override;
  std::vector<std::string> list() const override;
  size_t durable_entries(std::string_view file) const override;

  // The OS write-back scheduled for `file_index` at `generation` is due.
  void on_writeback(uint64_t file_index, uint64_t generation);
  // Power loss: every file goes back to its durable content.
  void lose_power();

  const DiskOptions& options() const { return options_; }
  void set_options(DiskOptions options) { options_ = options; }
  // Whether any file holds writes that a power cut would lose.
  bool has_unflushed_writes() const;

 private:
  struct File {
    std::string name;
    std::vector<std::string> current;
    std::vector<std::string> durable;
    size_t synced = 0;
    bool exists = false;          // as the node sees it
    bool durable_exists = false;  // as a power cut would leave it
    bool writeback_pending = false;
    uint64_t generation = 0;      // invalidates stale write-back events
  };

  File& file_for_write(std::string_view name);
  const File* find(std::string_view name) const;
  void mark_dirty(File& f, uint64_t index);
  void flush(File& f, bool fsync);
  static bool is_dirty(const File& f);

  NodeId node_;
  DiskOptions options_;
  DiskHost& host_;
  std::vector<File> files_;                                 // never shrinks: indices are stable
  std::map<std::string, uint64_t, std::less<>> by_name_;   // sorted, so list() is deterministic
};

}  // namespace ksim
