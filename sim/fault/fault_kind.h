#pragma once
// The fault registry: every fault kind, each defined once in its own file
// under sim/fault/kinds/ as a FaultKind (name, the keys it adds to a scenario
// entry, how to read it, how the explorer draws it). The scenario loader, the
// applier, the run report, `ksim explore --faults` and the JSON Schema test
// (tests/scenarios/fault_registry_test.cc) all derive from this list. Adding
// a kind: one file in kinds/, one line in fault_registry.cc, and its test.
//
// The loader and the explorer sit above sim/, so a kind reaches them through
// two interfaces they implement: FaultReader (read one scenario entry, with
// the loader's paths, error messages and name checks) and FaultDraw (the
// explorer's random choices for one fault window).
#include <cstdint>
#include <nlohmann/json.hpp>
#include <optional>
#include <span>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "core/controller/controller_config.h"
#include "sim/fault/fault.h"

namespace ksim {

class Rng;

// The longest duration a fault may give: a week of virtual time, the longest
// run a scenario may ask for.
inline constexpr int64_t kMaxFaultMs = 7LL * 24 * 3600 * 1000;

// What a target may name. process: crash and restart, which clients take too
// (a producer restart is a new instance with a new producer id).
enum class TargetUse : uint8_t { any, not_client, process, broker };

// One fault entry of a scenario being read, as the loader offers it to the
// kind's reader: the entry, its path ("faults[2]"), the kind's own argument
// (entry[kind]), and checks that report errors at a JSON path.
class FaultReader {
 public:
  using Json = nlohmann::json;
  virtual ~FaultReader() = default;

  virtual const Json& entry() const = 0;
  virtual const std::string& path() const = 0;  // "faults[2]"
  virtual const Json& arg() const = 0;          // entry()[kind]
  virtual std::string arg_path() const = 0;     // "faults[2].crash"
  virtual std::string key_path(std::string_view key) const = 0;  // "faults[2].duration_ms"

  virtual void error(const std::string& path, std::string message) = 0;
  // entry()[key] as an integer in [lo, hi]; an error if given and wrong, or
  // if required and missing. `unit` says what it is ("a duration in ms").
  virtual std::optional<int64_t> integer(std::string_view key, int64_t lo, int64_t hi, bool required,
                                         const std::string& unit = "") = 0;
  virtual std::optional<std::string> string(std::string_view key, bool required) = 0;
  virtual bool expect_array(const Json& v, const std::string& path) = 0;
  // A short rendering of a value for a message: "\"7\"", "[1,2]", "an object".
  virtual std::string brief(const Json& v) const = 0;

  // A node or a role, checked against the scenario's nodes.
  virtual std::optional<FaultTarget> target(const Json& v, const std::string& path, TargetUse use) = 0;
  // Two different nodes: ["broker-1", "broker-2"].
  virtual std::optional<std::pair<FaultTarget, FaultTarget>> link(const Json& v, const std::string& path) = 0;
  // {"type", "from", "to", "nth", "count"}; nth defaults to 1, count to
  // default_count (-1: every one, also written "all").
  virtual std::optional<MessageSelector> selector(const Json& v, const std::string& path, int64_t& nth, int64_t& count,
                                                  int64_t default_count) = 0;
  // A topic of the scenario by name, or nullptr; the names, for messages.
  virtual const InitialTopic* topic(const std::string& name) const = 0;
  virtual std::vector<std::string> topic_names() const = 0;
  virtual bool is_consumer_client(const std::string& id) const = 0;

  // Names a kind keeps across the entries of one file, with the path of
  // each: hold ids, the topics create_topic creates, the ids releases name.
  // Checked once every entry is read (FaultKind::finish).
  using Named = std::vector<std::pair<std::string, std::string>>;  // name, path
  virtual Named& names(std::string_view space) = 0;
};

// The explorer's random choices for one fault of a schedule
// (explore/schedule_generator.h): the window, the scenario's nodes and
// partitions, and where the drawn faults go. All from the seed's own Rng.
class FaultDraw {
 public:
  virtual ~FaultDraw() = default;
  virtual Rng& rng() = 0;
  virtual int64_t start_ms() const = 0;     // the window: [start_ms, end_ms)
  virtual int64_t end_ms() const = 0;
  virtual int64_t duration_ms() const = 0;  // end_ms - start_ms
  virtual int32_t brokers() const = 0;
  virtual const std::vector<std::string>& clients() const = 0;
  virtual bool has_partitions() const = 0;
  // A broker by role (most often), by name, or the controller; *by_role says
  // which, since a role's node is known only when the fault fires.
  virtual FaultTarget process_target(bool* by_role) = 0;
  virtual TopicPartition partition() = 0;
  virtual std::string broker() = 0;  // "broker-2"
  // Two different nodes, at least one of them a broker.
  virtual std::pair<FaultTarget, FaultTarget> link() = 0;
  // A hold id unique in the schedule: "hold-1", "hold-2", ...
  virtual std::string next_hold_id() = 0;
  virtual void add(int64_t at_ms, FaultAction action) = 0;
};

struct FaultKind {
  std::string_view name;  // the scenario key: "crash"
  // Keys of a scenario entry this kind adds beside its own (pause's
  // "duration_ms"); several kinds may share one.
  std::vector<std::string_view> extra_keys = {};
  // Reads the entry; nullopt after reporting errors through the reader.
  std::optional<FaultAction> (*read)(FaultReader& in) = nullptr;
  // Cross-entry checks once the whole file is read (release names a hold).
  void (*finish)(FaultReader& in) = nullptr;

  // The explorer: draws one fault window (the fault and what ends it), or
  // nullptr when `ksim explore --faults` cannot draw this kind. An instant
  // fault (a lost ack) has no window and is not counted against
  // --max-concurrent-faults.
  void (*draw)(FaultDraw& d) = nullptr;
  bool instant = false;
  // Whether a scenario has what the kind needs (a client, a partition).
  bool (*drawable_in)(const FaultDraw& d) = nullptr;
};

// Every kind, in the order scenarios/README.md lists them.
std::span<const FaultKind* const> fault_kinds();
const FaultKind* find_fault_kind(std::string_view name);
// The kinds `ksim explore --faults` can draw, in registry order.
std::vector<const FaultKind*> drawable_fault_kinds();

}  // namespace ksim
