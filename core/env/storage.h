#pragma once
// Storage: a node's durable files, as the node sees them through the OS.
//
// A file is an ordered list of entries (one append = one entry; a log segment
// appends one record batch per entry). Writes land in the page cache first: the
// node reads them back at once, a process crash keeps them, and they become
// durable when the OS writes them back (after the disk's write-back delay) or
// when the node calls fsync. A power loss throws away whatever was not yet
// durable. Kafka relies on exactly this (log.flush.* defaults to never), which is
// what KIP-101's second scenario and KIP-966 are about.
#include <cstddef>
#include <string>
#include <string_view>
#include <vector>

namespace ksim {

class Storage {
 public:
  virtual ~Storage() = default;

  // Appends one entry at the end of `file`, creating the file if needed.
  virtual void append(std::string_view file, std::string entry) = 0;
  // Keeps the first `entries` entries of `file` (no-op if it has fewer).
  virtual void truncate(std::string_view file, size_t entries) = 0;
  // Replaces the whole content of `file` (checkpoint files such as
  // leader-epoch-checkpoint or replication-offset-checkpoint).
  virtual void replace(std::string_view file, std::vector<std::string> entries) = 0;
  virtual void remove(std::string_view file) = 0;
  // Makes the current content of `file` durable now.
  virtual void fsync(std::string_view file) = 0;

  // The content as the node sees it (page cache included); empty if absent.
  virtual const std::vector<std::string>& read(std::string_view file) const = 0;
  virtual bool exists(std::string_view file) const = 0;
  // All file names, sorted.
  virtual std::vector<std::string> list() const = 0;
  // How many leading entries of `file` are already durable as they are now.
  virtual size_t durable_entries(std::string_view file) const = 0;
};

}  // namespace ksim
