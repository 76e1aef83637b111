#include "scenario_lib/format/scenario_loader.h"

#include <algorithm>
#include <cmath>
#include <fstream>
#include <map>
#include <set>
#include <sstream>

#include "core/protocol/message.h"
#include "scenario_lib/format/config_keys.h"
#include "scenario_lib/format/key_pattern.h"
#include "scenario_lib/format/producer_config_keys.h"
#include "scenario_lib/format/consumer_section.h"
#include "scenario_lib/format/json_value.h"
#include "scenario_lib/format/override.h"
#include "core/base/suggest.h"
#include "sim/check/registry.h"
#include "sim/fault/fault_kind.h"

namespace ksim::scenarios {
namespace {

using Keys = std::initializer_list<std::string_view>;

constexpr int64_t kMaxRunMs = 7LL * 24 * 3600 * 1000;  // a week of virtual time
constexpr int32_t kMaxBrokers = 100;
// Counts and sizes (scenarios/README.md, Limits): far above any lesson or
// incident replay, low enough that loading and running stay quick.
constexpr size_t kMaxTopics = 1000;
constexpr size_t kMaxClients = 1000;
constexpr size_t kMaxFaults = 10000;
constexpr size_t kMaxExpectations = 10000;
constexpr size_t kMaxNameBytes = 1000;          // the scenario's name
constexpr size_t kMaxDescriptionBytes = 100000;
// Errors shown: the first ones and a count of the rest.
constexpr size_t kMaxErrorsShown = 20;

template <class V>
struct MessageNames;
template <class... Ts>
struct MessageNames<std::variant<Ts...>> {
  static std::vector<std::string> get() { return {std::string(Ts::kName)...}; }
};

std::string join_path(const std::string& path, std::string_view key) {
  return path.empty() ? std::string(key) : path + "." + std::string(key);
}
std::string index_path(const std::string& path, size_t i) { return path + "[" + std::to_string(i) + "]"; }

std::string list_text(const std::vector<std::string>& items) {
  std::string out;
  for (const auto& s : items) out += (out.empty() ? "" : ", ") + s;
  return out;
}
std::string list_text(std::span<const std::string_view> items) {
  std::string out;
  for (const auto& s : items) out += (out.empty() ? "" : ", ") + std::string(s);
  return out;
}

// Splits "orders-0" at its last dash.
bool split_partition(const std::string& s, std::string& topic, int64_t& partition) {
  const size_t dash = s.rfind('-');
  if (dash == std::string::npos || dash == 0 || dash + 1 == s.size()) return false;
  partition = 0;
  for (size_t i = dash + 1; i < s.size(); ++i) {
    if (s[i] < '0' || s[i] > '9' || partition > 1000000) return false;
    partition = partition * 10 + (s[i] - '0');
  }
  topic = s.substr(0, dash);
  return true;
}

// "broker-7" -> 7, else -1.
int64_t broker_number(const std::string& s) {
  if (s.rfind("broker-", 0) != 0 || s.size() == 7) return -1;
  int64_t n = 0;
  for (size_t i = 7; i < s.size(); ++i) {
    if (s[i] < '0' || s[i] > '9' || n > 1000000) return -1;
    n = n * 10 + (s[i] - '0');
  }
  return n;
}

bool legal_topic_name(const std::string& s) {
  if (s.empty() || s.size() > 249 || s == "." || s == "..") return false;
  for (char c : s)
    if (!std::isalnum(static_cast<unsigned char>(c)) && c != '.' && c != '_' && c != '-') return false;
  return true;
}

bool legal_client_id(const std::string& s) {
  if (s.empty() || s.size() > 64) return false;
  for (char c : s)
    if (!std::isalnum(static_cast<unsigned char>(c)) && c != '.' && c != '_' && c != '-') return false;
  return true;
}

// --- the loader ---------------------------------------------------------------

class Loader {
 public:
  explicit Loader(Scenario& s) : s_(s) {}

  void load(const Json& root);
  std::vector<InputError> take_errors() { return std::move(errors_); }

 private:

  void error(const std::string& path, std::string message, std::string hint = {}) {
    errors_.push_back({path, std::move(message), std::move(hint)});
  }

  // Reports keys of `obj` outside `known`, with a suggestion.
  void check_keys(const Json& obj, const std::string& path, std::span<const std::string_view> known);
  void check_keys(const Json& obj, const std::string& path, Keys known) {
    check_keys(obj, path, std::span<const std::string_view>(known.begin(), known.size()));
  }
  const Json* field(const Json& obj, std::string_view key) const {
    const auto it = obj.find(std::string(key));
    return it == obj.end() ? nullptr : &*it;
  }
  bool expect_object(const Json& v, const std::string& path) {
    if (v.is_object()) return true;
    error(path, "expected an object, got " + json_brief(v));
    return false;
  }
  bool expect_array(const Json& v, const std::string& path) {
    if (v.is_array()) return true;
    error(path, "expected a list, got " + json_brief(v));
    return false;
  }
  // A list of at most `most` entries; a longer one is one error, not checked further.
  bool expect_array(const Json& v, const std::string& path, size_t most, std::string_view what) {
    if (!expect_array(v, path)) return false;
    if (v.size() <= most) return true;
    error(path, std::to_string(v.size()) + " " + std::string(what) + "; a scenario has at most " +
                    std::to_string(most) + " (scenarios/README.md, Limits)");
    return false;
  }
  std::optional<int64_t> integer(const Json& obj, const std::string& path, std::string_view key, int64_t lo, int64_t hi,
                                 bool required, const std::string& unit = "");
  std::optional<std::string> string(const Json& obj, const std::string& path, std::string_view key, bool required);

  void load_cluster(const Json& v, const std::string& path);
  template <class C>
  void load_config_map(const Json& v, const std::string& path, std::span<const ConfigKey<C>> keys, C& config,
                       std::vector<std::string>& keys_set, std::string_view other_section,
                       std::vector<std::string_view> other_names);
  void load_topics(const Json& v, const std::string& path);
  void load_topic(const Json& v, const std::string& path);
  std::optional<int32_t> broker_ref(const Json& v, const std::string& path);
  void load_clients(const Json& v, const std::string& path);
  void load_client(const Json& v, const std::string& path);
  void load_probe_producer_config(const Json& cfg, const std::string& cp, ClientSpec& c);
  void load_kafka_producer_config(const Json* cfg, const std::string& cp, ClientSpec& c);
  void load_workload(const Json& v, const std::string& path, Workload& w);
  void load_faults(const Json& v, const std::string& path);
  void load_fault(const Json& v, const std::string& path);
  void finish_faults();
  std::optional<Trigger> load_trigger(const Json& v, const std::string& path);
  friend class FaultEntryReader;
  std::optional<FaultTarget> target(const Json& v, const std::string& path, TargetUse use);
  std::optional<std::pair<FaultTarget, FaultTarget>> link(const Json& v, const std::string& path);
  std::optional<MessageSelector> selector(const Json& v, const std::string& path, int64_t& nth, int64_t& count,
                                          int64_t default_count);
  std::optional<TopicPartition> partition_ref(const Json& v, const std::string& path);
  std::optional<std::string> client_ref(const Json& v, const std::string& path);
  void load_expectations(const Json& v, const std::string& path);
  void load_expectation(const Json& v, const std::string& path);
  bool load_check_expectation(const Json& v, const std::string& path, std::string_view kind, Expectation& e);
  bool load_leader_expectation(const Json& v, const std::string& path, std::string_view kind, Expectation& e);
  bool load_isr_expectation(const Json& v, const std::string& path, std::string_view kind, Expectation& e);
  bool load_offset_expectation(const Json& v, const std::string& path, std::string_view kind, Expectation& e);
  bool load_running_expectation(const Json& v, const std::string& path, std::string_view kind, Expectation& e);
  bool load_group_state_expectation(const Json& v, const std::string& path, std::string_view kind, Expectation& e);
  bool load_group_expectation(const Json& v, const std::string& path, std::string_view kind, Expectation& e);
  bool load_client_count_expectation(const Json& v, const std::string& path, std::string_view kind, Expectation& e);
  // `lowest`: the least value the quantity can have (0 for offsets and counts,
  // -1 for an epoch, generation or committed offset that can be "none").
  bool compare(const Json& obj, const std::string& path, Expectation& e, int64_t lowest);
  std::optional<std::string> group_ref(const Json& v, const std::string& path);
  std::string nodes_text() const;

  Scenario& s_;
  std::vector<InputError> errors_;
  bool topics_ok_ = true;   // topics parsed without error (later references can be checked)
  // The most partitions an add_partitions fault gives each topic: references to
  // partitions that exist only after it (expectations, fault targets) are valid.
  std::map<std::string, int64_t> grown_partitions_;
  bool clients_ok_ = true;
  std::vector<std::string> client_ids_;  // every id declared, even of clients with errors
  // What fault kinds keep across entries (FaultReader::names).
  std::map<std::string, FaultReader::Named, std::less<>> fault_names_;
};

void Loader::check_keys(const Json& obj, const std::string& path, std::span<const std::string_view> known) {
  for (auto it = obj.begin(); it != obj.end(); ++it) {
    if (std::find(known.begin(), known.end(), it.key()) != known.end()) continue;
    const std::string meant = suggest(it.key(), known);
    if (meant.empty())
      error(join_path(path, it.key()), "unknown key (known: " + list_text(known) + ")");
    else
      error(join_path(path, it.key()), "unknown key", "did you mean \"" + meant + "\"?");
  }
}

std::optional<int64_t> Loader::integer(const Json& obj, const std::string& path, std::string_view key, int64_t lo,
                                       int64_t hi, bool required, const std::string& unit) {
  const Json* v = field(obj, key);
  const std::string p = join_path(path, key);
  if (!v) {
    if (required) error(p, "required: " + std::string(unit.empty() ? "an integer" : unit));
    return std::nullopt;
  }
  const auto x = v->is_number() ? json_int(*v) : std::nullopt;
  std::string range = hi == INT64_MAX ? ">= " + std::to_string(lo) : "from " + std::to_string(lo) + " to " + std::to_string(hi);
  if (!x) {
    error(p, "expected an integer " + range + ", got " + json_brief(*v));
    return std::nullopt;
  }
  if (*x < lo || *x > hi) {
    error(p, "expected an integer " + range + ", got " + std::to_string(*x));
    return std::nullopt;
  }
  return x;
}

std::optional<std::string> Loader::string(const Json& obj, const std::string& path, std::string_view key, bool required) {
  const Json* v = field(obj, key);
  if (!v) {
    if (required) error(join_path(path, key), "required: a string");
    return std::nullopt;
  }
  if (!v->is_string()) {
    error(join_path(path, key), "expected a string, got " + json_brief(*v));
    return std::nullopt;
  }
  return v->get<std::string>();
}

std::string Loader::nodes_text() const {
  std::string out = "nodes: controller, ";
  out += s_.brokers == 1 ? "broker-1" : "broker-1..broker-" + std::to_string(s_.brokers);
  for (const auto& c : client_ids_) out += ", " + c;
  return out;
}

void Loader::load(const Json& root) {
  if (!root.is_object()) {
    error("", "a scenario is a JSON object, got " + json_brief(root));
    return;
  }
  check_keys(root, "",
             {"$schema", "name", "description", "seed", "cluster", "topics", "clients", "faults", "run_until_ms", "expect"});
  if (auto name = string(root, "", "name", true)) {
    if (name->empty()) error("name", "must not be empty: it is the scenario's one-line title");
    if (name->size() > kMaxNameBytes)
      error("name", std::to_string(name->size()) + " bytes; a scenario's one-line title is at most " +
                        std::to_string(kMaxNameBytes));
    else
      s_.name = *name;
  }
  if (auto d = string(root, "", "description", false)) {
    if (d->size() > kMaxDescriptionBytes)
      error("description", std::to_string(d->size()) + " bytes; at most " + std::to_string(kMaxDescriptionBytes));
    else
      s_.description = *d;
  }
  if (const Json* seed = field(root, "seed")) {
    if (seed->is_number_unsigned() || (seed->is_number_integer() && seed->get<int64_t>() >= 0)) {
      s_.seed = seed->get<uint64_t>();
    } else {
      error("seed", "expected an integer >= 0, got " + json_brief(*seed));
    }
  }
  if (auto until = integer(root, "", "run_until_ms", 1, kMaxRunMs, true, "how long to run, in virtual ms"))
    s_.run_until_ms = *until;

  if (const Json* c = field(root, "cluster")) load_cluster(*c, "cluster");
  if (const Json* t = field(root, "topics")) load_topics(*t, "topics");
  if (const Json* f = field(root, "faults"); f && f->is_array())
    for (const Json& x : *f)
      if (x.is_object() && x.contains("add_partitions") && x["add_partitions"].is_string() &&
          x.contains("partitions") && x["partitions"].is_number_integer()) {
        int64_t& most = grown_partitions_[x["add_partitions"].get<std::string>()];
        most = std::max(most, x["partitions"].get<int64_t>());
      }
  if (const Json* c = field(root, "clients")) load_clients(*c, "clients");
  if (const Json* f = field(root, "faults")) load_faults(*f, "faults");
  if (const Json* e = field(root, "expect")) load_expectations(*e, "expect");

  finish_faults();
}

// --- cluster ----------------------------------------------------------------------

void Loader::load_cluster(const Json& v, const std::string& path) {
  if (!expect_object(v, path)) return;
  check_keys(v, path, {"brokers", "racks", "network", "disk", "broker", "controller"});
  if (auto b = integer(v, path, "brokers", 1, kMaxBrokers, false)) s_.brokers = static_cast<int32_t>(*b);
  if (const Json* racks = field(v, "racks")) {
    const std::string p = join_path(path, "racks");
    if (expect_array(*racks, p)) {
      if (racks->size() != static_cast<size_t>(s_.brokers))
        error(p, "expected one broker.rack per broker (" + std::to_string(s_.brokers) + "), got " +
                     std::to_string(racks->size()));
      for (size_t i = 0; i < racks->size(); ++i) {
        if (!(*racks)[i].is_string()) {
          error(index_path(p, i), "expected a rack name, got " + json_brief((*racks)[i]));
          continue;
        }
        s_.racks.push_back((*racks)[i].get<std::string>());
      }
    }
  }
  if (const Json* net = field(v, "network")) {
    const std::string p = join_path(path, "network");
    if (expect_object(*net, p)) {
      check_keys(*net, p, {"latency_ms", "disconnect_detection_ms"});
      if (const Json* lat = field(*net, "latency_ms")) {
        const std::string lp = join_path(p, "latency_ms");
        std::optional<double> lo, hi;
        if (lat->is_number()) {
          lo = hi = lat->get<double>();
        } else if (lat->is_array() && lat->size() == 2 && (*lat)[0].is_number() && (*lat)[1].is_number()) {
          lo = (*lat)[0].get<double>();
          hi = (*lat)[1].get<double>();
        }
        if (!lo || *lo < 0 || *hi < *lo || *hi > 60000) {
          error(lp, "expected [min, max] one-way latency in ms with 0 <= min <= max <= 60000 (or one number), got " +
                        json_brief(*lat));
        } else {
          s_.latency_min = micros(static_cast<int64_t>(std::llround(*lo * 1000)));
          s_.latency_max = micros(static_cast<int64_t>(std::llround(*hi * 1000)));
        }
      }
      if (auto d = integer(*net, p, "disconnect_detection_ms", 0, 600000, false)) s_.disconnect_detection = millis(*d);
    }
  }
  if (const Json* disk = field(v, "disk")) {
    const std::string p = join_path(path, "disk");
    if (expect_object(*disk, p)) {
      check_keys(*disk, p, {"writeback_delay_ms", "per_broker"});
      if (auto d = integer(*disk, p, "writeback_delay_ms", 0, kMaxRunMs, false)) s_.writeback_delay = millis(*d);
      if (const Json* per = field(*disk, "per_broker")) {
        const std::string pp = join_path(p, "per_broker");
        if (expect_object(*per, pp)) {
          for (auto it = per->begin(); it != per->end(); ++it) {
            const std::string bp = join_path(pp, it.key());
            const int64_t id = broker_number(it.key());
            if (id < 1 || id > s_.brokers) {
              error(bp, "unknown broker \"" + it.key() + "\" (brokers: broker-1..broker-" + std::to_string(s_.brokers) + ")");
              continue;
            }
            if (!expect_object(it.value(), bp)) continue;
            check_keys(it.value(), bp, {"writeback_delay_ms"});
            if (auto d = integer(it.value(), bp, "writeback_delay_ms", 0, kMaxRunMs, true))
              s_.writeback_delay_per_broker[static_cast<int32_t>(id)] = millis(*d);
          }
        }
      }
    }
  }
  if (const Json* b = field(v, "broker"))
    load_config_map<BrokerConfig>(*b, join_path(path, "broker"), broker_config_keys(), s_.broker, s_.broker_keys_set,
                                  "cluster.controller", config_key_names(controller_config_keys()));
  if (const Json* c = field(v, "controller"))
    load_config_map<ControllerConfig>(*c, join_path(path, "controller"), controller_config_keys(), s_.controller,
                                      s_.controller_keys_set, "cluster.broker", config_key_names(broker_config_keys()));
  // One Kafka setting read by both roles: apply it to both.
  for (const char* shared : {"min.insync.replicas", "unclean.leader.election.enable"}) {
    const bool in_broker = std::count(s_.broker_keys_set.begin(), s_.broker_keys_set.end(), shared) > 0;
    const bool in_controller = std::count(s_.controller_keys_set.begin(), s_.controller_keys_set.end(), shared) > 0;
    const auto* bk = find_config_key(broker_config_keys(), shared);
    const auto* ck = find_config_key(controller_config_keys(), shared);
    if (in_broker && in_controller && bk->get(s_.broker) != ck->get(s_.controller)) {
      error(join_path(join_path(path, "controller"), shared),
            "differs from cluster.broker." + std::string(shared) +
                "; in Kafka it is one server setting read by brokers and the controller: give it once");
    } else if (in_broker) {
      ck->set(s_.controller, Json(bk->get(s_.broker)));
    } else if (in_controller) {
      bk->set(s_.broker, Json(ck->get(s_.controller)));
    }
  }
  // A follower whose fetch is answered at once, over a link of no latency,
  // fetches again at the same instant forever: virtual time never passes
  // (issue 16). On a real clock each round trip takes time; here it must.
  if (s_.latency_min.us == 0 && s_.broker.replica_fetch_wait_max_ms == 0 && s_.brokers > 1)
    error(join_path(join_path(path, "broker"), "replica.fetch.wait.max.ms"),
          "0 with a network latency_ms of 0 makes followers fetch again at the same virtual instant forever "
          "(a zero-time livelock); give one of them a value above 0");
}

template <class C>
void Loader::load_config_map(const Json& v, const std::string& path, std::span<const ConfigKey<C>> keys, C& config,
                             std::vector<std::string>& keys_set, std::string_view other_section,
                             std::vector<std::string_view> other_names) {
  if (!expect_object(v, path)) return;
  const std::vector<std::string_view> names = config_key_names(keys);
  for (auto it = v.begin(); it != v.end(); ++it) {
    const std::string p = join_path(path, it.key());
    const ConfigKey<C>* key = find_config_key(keys, it.key());
    if (!key) {
      if (std::find(other_names.begin(), other_names.end(), it.key()) != other_names.end()) {
        error(p, "is a " + std::string(other_section.substr(other_section.find('.') + 1)) + " setting; put it in " +
                     std::string(other_section));
      } else {
        const std::string hint = did_you_mean(it.key(), std::span<const std::string_view>(names));
        error(p, "unknown setting" + (hint.empty() ? " (known: " + list_text(names) + ")" : hint));
      }
      continue;
    }
    const std::string problem = key->set(config, it.value());
    if (!problem.empty()) {
      error(p, problem);
      continue;
    }
    keys_set.push_back(it.key());
  }
}

// --- topics -------------------------------------------------------------------------

void Loader::load_topics(const Json& v, const std::string& path) {
  if (!expect_array(v, path, kMaxTopics, "topics")) {
    topics_ok_ = false;
    return;
  }
  for (size_t i = 0; i < v.size(); ++i) load_topic(v[i], index_path(path, i));
}

std::optional<int32_t> Loader::broker_ref(const Json& v, const std::string& path) {
  int64_t id = -1;
  if (v.is_number_integer()) id = v.get<int64_t>();
  else if (v.is_string()) id = broker_number(v.get<std::string>());
  else {
    error(path, "expected a broker id (1) or name (\"broker-1\"), got " + json_brief(v));
    return std::nullopt;
  }
  if (id < 1 || id > s_.brokers) {
    error(path, "no broker " + json_brief(v) + ": the cluster has " + std::to_string(s_.brokers) + " broker" +
                    (s_.brokers == 1 ? " (broker-1)" : "s (broker-1..broker-" + std::to_string(s_.brokers) + ")"));
    return std::nullopt;
  }
  return static_cast<int32_t>(id);
}

void Loader::load_topic(const Json& v, const std::string& path) {
  const size_t errors_before = errors_.size();
  if (!expect_object(v, path)) {
    topics_ok_ = false;
    return;
  }
  check_keys(v, path, {"name", "partitions", "replication_factor", "assignment", "config"});
  InitialTopic t;
  if (auto name = string(v, path, "name", true)) {
    if (!legal_topic_name(*name)) {
      error(join_path(path, "name"), "\"" + *name + "\" is not a legal Kafka topic name (letters, digits, '.', '_', '-')");
    } else if (s_.topic(*name)) {
      error(join_path(path, "name"), "a topic named \"" + *name + "\" is already defined");
    }
    t.name = *name;
  }
  auto partitions = integer(v, path, "partitions", 1, 10000, false);
  auto rf = integer(v, path, "replication_factor", 1, kMaxBrokers, false);
  if (rf && *rf > s_.brokers)
    error(join_path(path, "replication_factor"), std::to_string(*rf) + " is more than the " +
                                                     std::to_string(s_.brokers) + " broker" + (s_.brokers == 1 ? "" : "s"));
  if (const Json* a = field(v, "assignment")) {
    const std::string ap = join_path(path, "assignment");
    if (expect_array(*a, ap)) {
      if (a->empty()) error(ap, "expected one list of brokers per partition, got an empty list");
      if (partitions && !a->empty() && static_cast<int64_t>(a->size()) != *partitions)
        error(ap, "has " + std::to_string(a->size()) + " partitions but partitions is " + std::to_string(*partitions));
      for (size_t p = 0; p < a->size(); ++p) {
        const std::string pp = index_path(ap, p);
        const Json& replicas = (*a)[p];
        if (!expect_array(replicas, pp)) continue;
        std::vector<int32_t> ids;
        for (size_t r = 0; r < replicas.size(); ++r) {
          auto id = broker_ref(replicas[r], index_path(pp, r));
          if (!id) continue;
          if (std::find(ids.begin(), ids.end(), *id) != ids.end())
            error(index_path(pp, r), "broker-" + std::to_string(*id) + " is listed twice");
          ids.push_back(*id);
        }
        if (replicas.empty()) error(pp, "a partition needs at least one replica");
        const size_t want = rf ? static_cast<size_t>(*rf) : (*a)[0].is_array() ? (*a)[0].size() : 0;
        if (!replicas.empty() && replicas.size() != want)
          error(pp, "has " + std::to_string(replicas.size()) + " replicas but " +
                        (rf ? "replication_factor is " + std::to_string(*rf) : "partition 0 has " + std::to_string(want)));
        t.assignment.push_back(ids);
      }
      if (!a->empty()) {
        partitions = static_cast<int64_t>(a->size());
        if (!rf && (*a)[0].is_array()) rf = static_cast<int64_t>((*a)[0].size());
      }
    }
  }
  t.partitions = static_cast<int32_t>(partitions.value_or(s_.controller.num_partitions));
  t.replication_factor = static_cast<int16_t>(rf.value_or(s_.controller.default_replication_factor));
  if (!rf && t.replication_factor > s_.brokers)
    error(join_path(path, "replication_factor"), "not given, and default.replication.factor (" +
                                                     std::to_string(t.replication_factor) + ") is more than the brokers");
  if (const Json* c = field(v, "config")) {
    const std::string cp = join_path(path, "config");
    if (expect_object(*c, cp)) {
      const std::vector<std::string_view> names = config_key_names(topic_config_keys());
      for (auto it = c->begin(); it != c->end(); ++it) {
        const std::string p = join_path(cp, it.key());
        const auto* key = find_config_key(topic_config_keys(), it.key());
        if (!key) {
          const std::string hint = did_you_mean(it.key(), std::span<const std::string_view>(names));
          error(p, "unknown topic setting" + (hint.empty() ? " (known: " + list_text(names) + ")" : hint));
          continue;
        }
        if (std::string problem = key->set(t, it.value()); !problem.empty()) error(p, problem);
      }
    }
  }
  if (errors_.size() != errors_before) topics_ok_ = false;
  if (!t.name.empty() && !s_.topic(t.name)) s_.topics.push_back(std::move(t));
}

// --- clients --------------------------------------------------------------------------

void Loader::load_clients(const Json& v, const std::string& path) {
  if (!expect_array(v, path, kMaxClients, "clients")) {
    clients_ok_ = false;
    return;
  }
  for (size_t i = 0; i < v.size(); ++i) load_client(v[i], index_path(path, i));
}

void Loader::load_client(const Json& v, const std::string& path) {
  if (!expect_object(v, path)) {
    clients_ok_ = false;
    return;
  }
  ClientSpec c;
  if (auto id = string(v, path, "id", true)) {
    const std::string ip = join_path(path, "id");
    if (!legal_client_id(*id)) {
      error(ip, "\"" + *id + "\" is not a usable node name (letters, digits, '.', '_', '-'; at most 64)");
    } else if (*id == "controller" || broker_number(*id) >= 0) {
      error(ip, "\"" + *id + "\" is a cluster node's name; call clients p1, c1, ...");
    } else if (std::find(client_ids_.begin(), client_ids_.end(), *id) != client_ids_.end()) {
      error(ip, "a client with id \"" + *id + "\" is already defined");
    }
    c.id = *id;
    client_ids_.push_back(*id);
  } else {
    clients_ok_ = false;
  }
  static constexpr std::string_view kSupported[] = {"producer", "probe-producer", "consumer"};
  static constexpr std::string_view kLater[] = {"share-consumer", "admin"};
  auto type = string(v, path, "type", true);
  if (!type) {
    return;
  } else if (std::find(std::begin(kLater), std::end(kLater), *type) != std::end(kLater)) {
    error(join_path(path, "type"), "\"" + *type + "\" clients are not supported yet (supported: producer, probe-producer, consumer)");
    return;
  } else if (*type == "consumer") {
    // The consumer's section lives in scenario_lib/format/consumer_section.cc.
    check_keys(v, path, {"id", "type", "config", "workload"});
    c.type = "consumer";
    ConsumerClientSpec spec;
    load_consumer_client(v, path, s_, spec, errors_);
    c.consumer = std::move(spec);
    if (!c.id.empty() && !s_.client(c.id)) s_.clients.push_back(std::move(c));
    return;
  } else if (std::find(std::begin(kSupported), std::end(kSupported), *type) == std::end(kSupported)) {
    std::vector<std::string_view> all(std::begin(kSupported), std::end(kSupported));
    all.insert(all.end(), std::begin(kLater), std::end(kLater));
    error(join_path(path, "type"), "unknown client type \"" + *type + "\"" + did_you_mean(*type, std::span<const std::string_view>(all)) +
                                       " (supported: producer, probe-producer, consumer)");
    return;
  }
  c.type = *type;
  check_keys(v, path, {"id", "type", "config", "workload"});
  const Json* cfg = field(v, "config");
  const std::string cp = join_path(path, "config");
  if (c.probe()) {
    if (cfg && expect_object(*cfg, cp)) load_probe_producer_config(*cfg, cp, c);
  } else {
    load_kafka_producer_config(cfg && expect_object(*cfg, cp) ? cfg : nullptr, cp, c);
  }
  if (const Json* w = field(v, "workload")) {
    Workload wl;
    load_workload(*w, join_path(path, "workload"), wl);
    c.workload = wl;
  }
  if (!c.id.empty() && !s_.client(c.id)) s_.clients.push_back(std::move(c));
}

void Loader::load_probe_producer_config(const Json& cfg, const std::string& cp, ClientSpec& c) {
  const std::vector<std::string_view> names = config_key_names(producer_config_keys());
  const auto unsupported = unsupported_producer_config_keys();
  for (auto it = cfg.begin(); it != cfg.end(); ++it) {
    const std::string p = join_path(cp, it.key());
    const auto* key = find_config_key(producer_config_keys(), it.key());
    if (!key) {
      if (std::find(unsupported.begin(), unsupported.end(), it.key()) != unsupported.end()) {
        error(p, "not supported by the probe producer (it sends one record per request, no batching or "
                 "idempotence; use type \"producer\"; supported: " + list_text(std::span<const std::string_view>(names)) + ")");
      } else {
        const std::string hint = did_you_mean(it.key(), std::span<const std::string_view>(names));
        error(p, "unknown producer setting" +
                     (hint.empty() ? " (supported: " + list_text(std::span<const std::string_view>(names)) + ")" : hint));
      }
      continue;
    }
    if (std::string problem = key->set(c.producer, it.value()); !problem.empty()) {
      error(p, problem);
      continue;
    }
    if (key->name == "bootstrap.servers")
      for (int32_t id : c.producer.bootstrap_servers)
        if (id < 1 || id > s_.brokers)
          error(p, "no broker-" + std::to_string(id) + ": the cluster has brokers broker-1..broker-" +
                       std::to_string(s_.brokers));
  }
}

// --- the real producer's config (client type "producer", core/producer/) -------------------

void Loader::load_kafka_producer_config(const Json* cfg, const std::string& cp, ClientSpec& c) {
  const auto keys = kafka_producer_config_keys();
  const std::vector<std::string_view> names = config_key_names(keys);
  const auto unsupported = unsupported_kafka_producer_config_keys();
  const size_t errors_before = errors_.size();
  if (cfg) {
    for (auto it = cfg->begin(); it != cfg->end(); ++it) {
      const std::string p = join_path(cp, it.key());
      const auto* key = find_config_key(keys, it.key());
      if (!key) {
        if (std::find(unsupported.begin(), unsupported.end(), it.key()) != unsupported.end()) {
          error(p, "not supported by ksim's producer yet (supported: " + list_text(std::span<const std::string_view>(names)) + ")");
        } else {
          const std::string hint = did_you_mean(it.key(), std::span<const std::string_view>(names));
          error(p, "unknown producer setting" +
                       (hint.empty() ? " (supported: " + list_text(std::span<const std::string_view>(names)) + ")" : hint));
        }
        continue;
      }
      if (std::string problem = key->set(c.kafka, it.value()); !problem.empty()) {
        error(p, problem);
        continue;
      }
      c.kafka_keys_set.push_back(std::string(key->name));
      if (key->name == "bootstrap.servers")
        for (int32_t id : c.kafka.bootstrap_servers)
          if (id < 1 || id > s_.brokers)
            error(p, "no broker-" + std::to_string(id) + ": the cluster has brokers broker-1..broker-" +
                         std::to_string(s_.brokers));
    }
  }
  if (errors_.size() != errors_before) return;
  // The cross-setting rules, as Java's ProducerConfig applies them.
  producer::ProducerConfig probe = c.kafka.config;
  probe.bootstrap = {NodeId(0)};
  const producer::ProducerConfigResult r = producer::validate_producer_config(probe);
  if (!r.ok()) error(cp, r.error);
  // Kafka allows both 0 (ProducerConfig: atLeast(0)), but a request that times
  // out at once and is retried at once never lets virtual time pass: the
  // producer would loop at one instant, growing its buffers (issue 16).
  if (r.ok() && c.kafka.config.request_timeout_ms == 0 && c.kafka.config.retry_backoff_ms == 0)
    error(join_path(cp, "request.timeout.ms"),
          "0 with retry.backoff.ms 0 retries at the same virtual instant forever (a zero-time livelock); "
          "give one of them a value above 0");
}

void Loader::load_workload(const Json& v, const std::string& path, Workload& w) {
  if (!expect_object(v, path)) return;
  check_keys(v, path, {"topic", "partition", "messages", "rate_per_s", "start_ms", "value_bytes", "key", "sync",
                       "resend_on_failure"});
  if (auto topic = string(v, path, "topic", true)) {
    w.topic = *topic;
    const InitialTopic* t = s_.topic(*topic);
    if (!t && topics_ok_) {
      std::vector<std::string> names;
      for (const auto& x : s_.topics) names.push_back(x.name);
      error(join_path(path, "topic"), "unknown topic \"" + *topic + "\"" + did_you_mean(*topic, names) +
                                          (names.empty() ? " (the scenario defines no topics)" : " (topics: " + list_text(names) + ")"));
    }
    if (auto p = integer(v, path, "partition", 0, 100000, false)) {
      w.partition = static_cast<int32_t>(*p);
      w.partition_set = true;
      if (t && *p >= t->partitions)
        error(join_path(path, "partition"), "topic " + *topic + " has " + std::to_string(t->partitions) +
                                                " partition" + (t->partitions == 1 ? " (0)" : "s (0.." + std::to_string(t->partitions - 1) + ")"));
    }
  }
  if (auto m = integer(v, path, "messages", 0, 10000000, true, "how many records to send")) w.messages = *m;
  if (const Json* r = field(v, "rate_per_s")) {
    if (!r->is_number() || r->get<double>() <= 0 || r->get<double>() > 1e6) {
      error(join_path(path, "rate_per_s"), "expected a number of sends per second, > 0 and <= 1000000, got " + json_brief(*r));
    } else {
      w.rate_per_s = r->get<double>();
    }
  }
  if (auto s = integer(v, path, "start_ms", 0, kMaxRunMs, false)) {
    w.start_ms = *s;
    if (s_.run_until_ms > 0 && *s > s_.run_until_ms)
      error(join_path(path, "start_ms"), std::to_string(*s) + " is after run_until_ms (" + std::to_string(s_.run_until_ms) + ")");
  } else {
    w.start_ms = 2500;
  }
  if (auto b = integer(v, path, "value_bytes", 0, 1 << 20, false)) w.value_bytes = static_cast<int32_t>(*b);
  // The real producer's application options (scenarios/README.md, "workload").
  if (const Json* k = field(v, "key")) {
    if (k->is_null()) {
      w.key.reset();
    } else if (!k->is_string()) {
      error(join_path(path, "key"), "expected a key pattern such as \"user-{i % 10}\" or null, got " + json_brief(*k));
    } else if (std::string problem = check_key_pattern(k->get<std::string>()); !problem.empty()) {
      error(join_path(path, "key"), problem);
    } else {
      w.key = k->get<std::string>();
    }
  }
  if (const Json* y = field(v, "sync")) {
    const auto b = json_bool(*y);
    if (!b) {
      error(join_path(path, "sync"), "expected true (wait for each send) or false, got " + json_brief(*y));
    } else {
      w.sync = *b;
    }
  }
  if (auto r = integer(v, path, "resend_on_failure", 0, 1000, false)) w.resend_on_failure = static_cast<int32_t>(*r);
}

// --- references -------------------------------------------------------------------------

std::optional<TopicPartition> Loader::partition_ref(const Json& v, const std::string& path) {
  if (!v.is_string()) {
    error(path, "expected a partition such as \"orders-0\", got " + json_brief(v));
    return std::nullopt;
  }
  const std::string s = v.get<std::string>();
  std::string topic;
  int64_t p = 0;
  if (!split_partition(s, topic, p)) {
    error(path, "expected a partition as TOPIC-PARTITION, e.g. \"orders-0\", got \"" + s + "\"");
    return std::nullopt;
  }
  const InitialTopic* t = s_.topic(topic);
  if (!t) {
    if (topics_ok_) {
      std::vector<std::string> names;
      for (const auto& x : s_.topics) names.push_back(x.name + "-" + std::to_string(p));
      std::string hint = did_you_mean(s, names);
      error(path, "unknown topic \"" + topic + "\" in \"" + s + "\"" + hint);
    }
    return std::nullopt;
  }
  const auto grown = grown_partitions_.find(topic);
  if (p >= t->partitions && (grown == grown_partitions_.end() || p >= grown->second)) {
    error(path, "topic " + topic + " has " + std::to_string(t->partitions) + " partition" +
                    (t->partitions == 1 ? " (" + topic + "-0)" : "s (" + topic + "-0.." + topic + "-" + std::to_string(t->partitions - 1) + ")") +
                    (grown == grown_partitions_.end() ? std::string()
                                                      : ", " + std::to_string(grown->second) + " after add_partitions"));
    return std::nullopt;
  }
  return TopicPartition{topic, PartitionId(static_cast<int32_t>(p))};
}

std::optional<std::string> Loader::client_ref(const Json& v, const std::string& path) {
  if (!v.is_string()) {
    error(path, "expected a client id such as \"p1\", got " + json_brief(v));
    return std::nullopt;
  }
  const std::string id = v.get<std::string>();
  const bool declared = std::find(client_ids_.begin(), client_ids_.end(), id) != client_ids_.end();
  if (declared && !s_.client(id)) return std::nullopt;  // its own entry has the error
  if (!declared) {
    if (clients_ok_) {
      std::vector<std::string> ids;
      for (const auto& c : s_.clients) ids.push_back(c.id);
      error(path, "unknown client \"" + id + "\"" + did_you_mean(id, ids) +
                      (ids.empty() ? " (the scenario has no clients)" : " (clients: " + list_text(ids) + ")"));
    }
    return std::nullopt;
  }
  return id;
}

// A consumer group named by some consumer client's group.id.
std::optional<std::string> Loader::group_ref(const Json& v, const std::string& path) {
  if (!v.is_string() || v.get<std::string>().empty()) {
    error(path, "expected a consumer group id such as \"g1\", got " + json_brief(v));
    return std::nullopt;
  }
  const std::string id = v.get<std::string>();
  std::vector<std::string> groups;
  for (const auto& c : s_.clients)
    if (c.consumer && c.consumer->config.group_id &&
        std::find(groups.begin(), groups.end(), *c.consumer->config.group_id) == groups.end())
      groups.push_back(*c.consumer->config.group_id);
  if (clients_ok_ && std::find(groups.begin(), groups.end(), id) == groups.end()) {
    error(path, "no consumer client has group.id \"" + id + "\"" + did_you_mean(id, groups) +
                    (groups.empty() ? " (the scenario has no consumer groups)" : " (groups: " + list_text(groups) + ")"));
    return std::nullopt;
  }
  return id;
}

std::optional<FaultTarget> Loader::target(const Json& v, const std::string& path, TargetUse use) {
  if (!v.is_string()) {
    error(path, "expected a node (\"broker-2\", \"controller\", a client id) or a role (\"leader(orders-0)\", "
                "\"follower(orders-0)\"), got " + json_brief(v));
    return std::nullopt;
  }
  const std::string s = v.get<std::string>();
  const size_t open = s.find('(');
  if (open != std::string::npos) {
    const std::string role = s.substr(0, open);
    static constexpr std::string_view kRoles[] = {"leader", "follower", "coordinator"};
    const bool known = role == "leader" || role == "follower" || role == "coordinator";
    if (s.back() != ')' || !known) {
      error(path, "unknown role \"" + s + "\"" +
                      (!known ? did_you_mean(role, std::span<const std::string_view>(kRoles)) : "") +
                      " (roles: leader(TOPIC-PARTITION), follower(TOPIC-PARTITION), coordinator(GROUP))");
      return std::nullopt;
    }
    if (role == "coordinator") {
      const std::string group = s.substr(open + 1, s.size() - open - 2);
      if (group.empty()) {
        error(path, "coordinator() needs a group id, e.g. \"coordinator(g1)\"");
        return std::nullopt;
      }
      return FaultTarget::coordinator_of(group);
    }
    auto tp = partition_ref(Json(s.substr(open + 1, s.size() - open - 2)), path);
    if (!tp) return std::nullopt;
    return role == "leader" ? FaultTarget::leader_of(*tp) : FaultTarget::follower_of(*tp);
  }
  const int64_t b = broker_number(s);
  if (b >= 0) {
    if (b < 1 || b > s_.brokers) {
      error(path, "unknown node \"" + s + "\": the cluster has " + std::to_string(s_.brokers) + " broker" +
                      (s_.brokers == 1 ? "" : "s") + " (" + nodes_text() + ")");
      return std::nullopt;
    }
    return FaultTarget::named(s);
  }
  if (s == "controller") {
    if (use == TargetUse::broker) {
      error(path, "the controller has no controlled shutdown; name a broker");
      return std::nullopt;
    }
    return FaultTarget::named(s);
  }
  const bool declared = std::find(client_ids_.begin(), client_ids_.end(), s) != client_ids_.end();
  if (declared) {
    const ClientSpec* client = s_.client(s);
    const bool consumer = client && client->type == "consumer";  // a consumer's process can also pause
    const bool allowed =
        use == TargetUse::any || use == TargetUse::process || (consumer && use == TargetUse::not_client);
    if (!allowed) {
      error(path, "\"" + s + "\" is a client: clients can crash and restart (and take network faults), " +
                      "consumers can also pause; only brokers and the controller lose power or shut down");
      return std::nullopt;
    }
    return FaultTarget::named(s);
  }
  if (clients_ok_) {
    std::vector<std::string> names = s_.node_names();
    names.insert(names.end(), client_ids_.begin(), client_ids_.end());
    error(path, "unknown node \"" + s + "\"" + did_you_mean(s, names) + " (" + nodes_text() + ")");
  }
  return std::nullopt;
}

std::optional<std::pair<FaultTarget, FaultTarget>> Loader::link(const Json& v, const std::string& path) {
  if (!v.is_array() || v.size() != 2) {
    error(path, "expected a link as two nodes, e.g. [\"broker-1\", \"broker-2\"], got " + json_brief(v));
    return std::nullopt;
  }
  auto a = target(v[0], index_path(path, 0), TargetUse::any);
  auto b = target(v[1], index_path(path, 1), TargetUse::any);
  if (!a || !b) return std::nullopt;
  if (*a == *b) {
    error(path, "a link joins two different nodes; both ends are " + a->str());
    return std::nullopt;
  }
  return std::pair{*a, *b};
}

std::optional<MessageSelector> Loader::selector(const Json& v, const std::string& path, int64_t& nth, int64_t& count,
                                                int64_t default_count) {
  if (!expect_object(v, path)) return std::nullopt;
  check_keys(v, path, {"type", "from", "to", "nth", "count"});
  MessageSelector m;
  bool ok = true;
  if (auto type = string(v, path, "type", false)) {
    const auto names = message_type_names();
    if (std::find(names.begin(), names.end(), *type) == names.end()) {
      error(join_path(path, "type"), "unknown message type \"" + *type + "\"" + did_you_mean(*type, names) +
                                         " (types: " + list_text(names) + ")");
      ok = false;
    }
    m.type = *type;
  }
  for (const char* end : {"from", "to"}) {
    if (const Json* t = field(v, end)) {
      auto target_ = target(*t, join_path(path, end), TargetUse::any);
      if (!target_) ok = false;
      (std::string_view(end) == "from" ? m.from : m.to) = target_;
    }
  }
  nth = integer(v, path, "nth", 1, INT64_MAX, false).value_or(1);
  count = default_count;
  if (const Json* c = field(v, "count")) {
    if (*c == "all") {
      count = -1;
    } else if (auto x = integer(v, path, "count", 1, INT64_MAX, false)) {
      count = *x;
    } else {
      ok = false;
    }
  }
  if (!ok) return std::nullopt;
  return m;
}

// --- faults -------------------------------------------------------------------------------

void Loader::load_faults(const Json& v, const std::string& path) {
  if (!expect_array(v, path, kMaxFaults, "faults")) return;
  for (size_t i = 0; i < v.size(); ++i) load_fault(v[i], index_path(path, i));
}

std::optional<Trigger> Loader::load_trigger(const Json& v, const std::string& path) {
  const Json* at = field(v, "at_ms");
  const Json* when = field(v, "when");
  if (at && when) {
    error(path, "give either at_ms or when, not both");
    return std::nullopt;
  }
  if (!at && !when) {
    error(path, "no trigger: give at_ms (virtual time) or when ({\"hw\": ...}, {\"leader_changes\": ...}, {\"acked\": ...})");
    return std::nullopt;
  }
  Trigger t;
  if (at) {
    if (field(v, "after_ms")) error(join_path(path, "after_ms"), "after_ms goes with when; with at_ms, add it to at_ms");
    auto ms = integer(v, path, "at_ms", 0, kMaxRunMs, true);
    if (!ms) return std::nullopt;
    if (s_.run_until_ms > 0 && *ms > s_.run_until_ms) {
      error(join_path(path, "at_ms"), std::to_string(*ms) + " is after run_until_ms (" + std::to_string(s_.run_until_ms) +
                                          "): it would never fire");
      return std::nullopt;
    }
    t.kind = Trigger::Kind::at;
    t.at_ms = *ms;
    return t;
  }
  const std::string wp = join_path(path, "when");
  if (auto after = integer(v, path, "after_ms", 0, kMaxRunMs, false)) t.after_ms = *after;
  if (!expect_object(*when, wp)) return std::nullopt;
  check_keys(*when, wp, {"hw", "leader_changes", "acked"});
  if (when->size() != 1) {
    if (when->empty()) error(wp, "expected one condition: hw, leader_changes or acked");
    else if (when->size() > 1) error(wp, "expected one condition, got " + std::to_string(when->size()));
    return std::nullopt;
  }
  if (const Json* hw = field(*when, "hw")) {
    const std::string hp = join_path(wp, "hw");
    if (!expect_object(*hw, hp)) return std::nullopt;
    check_keys(*hw, hp, {"partition", "reaches"});
    const Json* p = field(*hw, "partition");
    if (!p) error(join_path(hp, "partition"), "required: a partition such as \"orders-0\"");
    auto tp = p ? partition_ref(*p, join_path(hp, "partition")) : std::nullopt;
    auto reaches = integer(*hw, hp, "reaches", 1, INT64_MAX, true, "the offset the HW must reach");
    if (!tp || !reaches) return std::nullopt;
    t.kind = Trigger::Kind::hw_reaches;
    t.tp = *tp;
    t.count = *reaches;
    return t;
  }
  if (const Json* lc = field(*when, "leader_changes")) {
    auto tp = partition_ref(*lc, join_path(wp, "leader_changes"));
    if (!tp) return std::nullopt;
    t.kind = Trigger::Kind::leader_changes;
    t.tp = *tp;
    return t;
  }
  if (const Json* acked = field(*when, "acked")) {
    const std::string ap = join_path(wp, "acked");
    if (!expect_object(*acked, ap)) return std::nullopt;
    check_keys(*acked, ap, {"client", "count"});
    const Json* c = field(*acked, "client");
    if (!c) error(join_path(ap, "client"), "required: a client id such as \"p1\"");
    auto client = c ? client_ref(*c, join_path(ap, "client")) : std::nullopt;
    auto count = integer(*acked, ap, "count", 1, INT64_MAX, true, "how many acks");
    if (!client || !count) return std::nullopt;
    t.kind = Trigger::Kind::acked;
    t.client = *client;
    t.count = *count;
    return t;
  }
  return std::nullopt;
}

// One fault entry as the kinds read it (sim/fault/fault_kind.h): the loader's
// paths, messages and name checks.
class FaultEntryReader final : public FaultReader {
 public:
  FaultEntryReader(Loader& loader, const Json& entry, std::string path, std::string_view kind)
      : l_(loader), entry_(entry), path_(std::move(path)), kind_(kind) {}

  const Json& entry() const override { return entry_; }
  const std::string& path() const override { return path_; }
  const Json& arg() const override { return entry_.at(std::string(kind_)); }
  std::string arg_path() const override { return join_path(path_, kind_); }
  std::string key_path(std::string_view key) const override { return join_path(path_, key); }
  void error(const std::string& path, std::string message) override { l_.error(path, std::move(message)); }
  std::optional<int64_t> integer(std::string_view key, int64_t lo, int64_t hi, bool required,
                                 const std::string& unit) override {
    return l_.integer(entry_, path_, key, lo, hi, required, unit);
  }
  std::optional<std::string> string(std::string_view key, bool required) override {
    return l_.string(entry_, path_, key, required);
  }
  bool expect_array(const Json& v, const std::string& path) override { return l_.expect_array(v, path); }
  std::string brief(const Json& v) const override { return json_brief(v); }
  std::optional<FaultTarget> target(const Json& v, const std::string& path, TargetUse use) override {
    return l_.target(v, path, use);
  }
  std::optional<std::pair<FaultTarget, FaultTarget>> link(const Json& v, const std::string& path) override {
    return l_.link(v, path);
  }
  std::optional<MessageSelector> selector(const Json& v, const std::string& path, int64_t& nth, int64_t& count,
                                          int64_t default_count) override {
    return l_.selector(v, path, nth, count, default_count);
  }
  const InitialTopic* topic(const std::string& name) const override {
    for (const InitialTopic& t : l_.s_.topics)
      if (t.name == name) return &t;
    return nullptr;
  }
  std::vector<std::string> topic_names() const override {
    std::vector<std::string> names;
    for (const InitialTopic& t : l_.s_.topics) names.push_back(t.name);
    return names;
  }
  bool is_consumer_client(const std::string& id) const override {
    const ClientSpec* client = l_.s_.client(id);
    return client && client->type == "consumer";
  }
  Named& names(std::string_view space) override {
    auto it = l_.fault_names_.find(space);
    if (it == l_.fault_names_.end()) it = l_.fault_names_.emplace(std::string(space), Named{}).first;
    return it->second;
  }

 private:
  Loader& l_;
  const Json& entry_;
  std::string path_;
  std::string_view kind_;
};

// The keys a fault entry may have: the trigger, the note, each kind's name and
// the keys the kinds add, in registry order.
const std::vector<std::string_view>& fault_entry_keys() {
  static const std::vector<std::string_view> keys = [] {
    std::vector<std::string_view> out{"at_ms", "when", "after_ms", "note"};
    for (const FaultKind* k : fault_kinds()) {
      out.push_back(k->name);
      for (auto extra : k->extra_keys)
        if (std::find(out.begin(), out.end(), extra) == out.end()) out.push_back(extra);
    }
    return out;
  }();
  return keys;
}

// Each key a kind adds, with the kinds that add it, in registry order.
using KeyOwners = std::vector<std::pair<std::string_view, std::vector<std::string_view>>>;
const KeyOwners& extra_key_owners() {
  static const KeyOwners owners = [] {
    KeyOwners out;
    for (const FaultKind* k : fault_kinds())
      for (auto key : k->extra_keys) {
        auto it = std::find_if(out.begin(), out.end(), [&](const auto& o) { return o.first == key; });
        if (it == out.end()) it = out.insert(out.end(), {key, {}});
        it->second.push_back(k->name);
      }
    return out;
  }();
  return owners;
}

void Loader::load_fault(const Json& v, const std::string& path) {
  if (!expect_object(v, path)) return;
  check_keys(v, path, std::span<const std::string_view>(fault_entry_keys()));
  std::vector<std::string_view> all, given;
  for (const FaultKind* k : fault_kinds()) {
    all.push_back(k->name);
    if (v.contains(std::string(k->name))) given.push_back(k->name);
  }
  if (given.empty()) {
    error(path, "no fault: give one of " + list_text(std::span<const std::string_view>(all)));
    return;
  }
  if (given.size() > 1) {
    error(path, "two faults in one entry (" + list_text(std::span<const std::string_view>(given)) +
                    "); give each its own entry");
    return;
  }
  const FaultKind& kind = *find_fault_kind(given[0]);
  // A kind's extra keys belong to it (and to the other kinds that add them).
  for (const auto& [key, owners] : extra_key_owners())
    if (v.contains(std::string(key)) && std::find(owners.begin(), owners.end(), kind.name) == owners.end())
      error(join_path(path, key), std::string(key) + " goes with " + list_text(std::span<const std::string_view>(owners)) +
                                      ", not with " + std::string(kind.name));

  FaultSpec f;
  f.path = path;
  auto trigger = load_trigger(v, path);
  if (auto note = string(v, path, "note", false)) f.note = *note;
  FaultEntryReader reader(*this, v, path, kind.name);
  auto action = kind.read(reader);
  if (trigger && action) {
    f.trigger = *trigger;
    f.action = *action;
    s_.faults.push_back(std::move(f));
  }
}

void Loader::finish_faults() {
  static const Json kNoEntry = Json::object();
  FaultEntryReader reader(*this, kNoEntry, "faults", "");
  for (const FaultKind* k : fault_kinds())
    if (k->finish) k->finish(reader);
}

// --- expectations ----------------------------------------------------------------------------

void Loader::load_expectations(const Json& v, const std::string& path) {
  if (!expect_array(v, path, kMaxExpectations, "expectations")) return;
  for (size_t i = 0; i < v.size(); ++i) load_expectation(v[i], index_path(path, i));
}

bool Loader::compare(const Json& obj, const std::string& path, Expectation& e, int64_t lowest) {
  static constexpr std::string_view kCompare[] = {"is", "at_least", "at_most"};
  std::vector<std::string_view> given;
  for (auto c : kCompare)
    if (obj.contains(std::string(c))) given.push_back(c);
  if (given.size() != 1) {
    error(path, given.empty() ? "expected one of is, at_least, at_most" : "give one of is, at_least, at_most, not several");
    return false;
  }
  // A value below what the quantity can be (an HW of -5) could only be judged
  // by accident: reject it rather than run.
  auto x = integer(obj, path, given[0], lowest, INT64_MAX, true);
  if (!x) return false;
  e.compare = given[0] == "is" ? Expectation::Compare::is
              : given[0] == "at_least" ? Expectation::Compare::at_least
                                        : Expectation::Compare::at_most;
  e.value = *x;
  return true;
}

void Loader::load_expectation(const Json& v, const std::string& path) {
  if (!expect_object(v, path)) return;
  static constexpr std::string_view kKinds[] = {"check", "leader", "leader_epoch", "isr", "hw", "leo",
                                                "running", "sent", "acked", "failed", "generation", "owner",
                                                "committed", "group_state"};
  std::vector<std::string_view> kinds;
  for (auto k : kKinds)
    if (v.contains(std::string(k))) kinds.push_back(k);
  if (kinds.size() != 1) {
    check_keys(v, path, {"check", "holds", "leader", "leader_epoch", "isr", "hw", "leo", "running", "sent", "acked",
                         "failed", "generation", "owner", "committed", "group_state", "members", "group", "broker", "error",
                         "is", "at_least",
                         "at_most", "at_ms", "note"});
    error(path, kinds.empty() ? "expected one of " + list_text(std::span<const std::string_view>(kKinds))
                              : "one expectation per entry, got " + list_text(std::span<const std::string_view>(kinds)));
    return;
  }
  const std::string_view kind = kinds[0];
  Expectation e;
  e.path = path;
  if (auto note = string(v, path, "note", false)) e.note = *note;
  if (kind != "check") {
    if (auto at = integer(v, path, "at_ms", 0, kMaxRunMs, false)) {
      if (s_.run_until_ms > 0 && *at > s_.run_until_ms)
        error(join_path(path, "at_ms"), std::to_string(*at) + " is after run_until_ms (" + std::to_string(s_.run_until_ms) + ")");
      e.at_ms = *at;
    }
  }
  bool ok = false;
  if (kind == "check") ok = load_check_expectation(v, path, kind, e);
  else if (kind == "leader") ok = load_leader_expectation(v, path, kind, e);
  else if (kind == "isr") ok = load_isr_expectation(v, path, kind, e);
  else if (kind == "leader_epoch" || kind == "hw" || kind == "leo") ok = load_offset_expectation(v, path, kind, e);
  else if (kind == "running") ok = load_running_expectation(v, path, kind, e);
  else if (kind == "group_state") ok = load_group_state_expectation(v, path, kind, e);
  else if (kind == "generation" || kind == "owner" || kind == "committed") ok = load_group_expectation(v, path, kind, e);
  else ok = load_client_count_expectation(v, path, kind, e);  // sent, acked, failed
  if (ok) s_.expect.push_back(std::move(e));
}

// A checker's verdict: {"check": "lost-write", "holds": true}.
bool Loader::load_check_expectation(const Json& v, const std::string& path, std::string_view kind, Expectation& e) {
  const std::string kp = join_path(path, kind);
  const Json& arg = v.at(std::string(kind));
  bool ok = true;
  check_keys(v, path, {"check", "holds", "note"});
  if (!arg.is_string()) {
    error(kp, "expected a checker name such as \"lost-write\", got " + json_brief(arg));
    ok = false;
  } else {
    const std::vector<std::string> name{arg.get<std::string>()};
    if (!check::unknown_checks(name).empty()) {
      std::vector<std::string> names;
      for (const auto& c : check::all_checkers()) names.emplace_back(c.name);
      error(kp, "unknown check \"" + name[0] + "\"" + did_you_mean(name[0], names) + " (checks: " + check::checker_names() + ")");
      ok = false;
    } else {
      e.check = std::string(check::find_checker(name[0])->name);
    }
  }
  const Json* holds = field(v, "holds");
  if (!holds || !holds->is_boolean()) {
    error(join_path(path, "holds"), holds ? "expected true or false, got " + json_brief(*holds)
                                          : "required: true (the checker finds nothing) or false (it finds an anomaly)");
    ok = false;
  } else {
    e.holds = holds->get<bool>();
  }
  e.kind = Expectation::Kind::check;
  return ok;
}

// Who leads a partition: a broker, or "none".
bool Loader::load_leader_expectation(const Json& v, const std::string& path, std::string_view kind, Expectation& e) {
  const std::string kp = join_path(path, kind);
  const Json& arg = v.at(std::string(kind));
  bool ok = true;
  check_keys(v, path, {"leader", "is", "at_ms", "note"});
  auto tp = partition_ref(arg, kp);
  const Json* is = field(v, "is");
  if (!is) {
    error(join_path(path, "is"), "required: a broker such as \"broker-2\", or \"none\" (offline)");
    ok = false;
  } else if (*is == "none") {
    e.leader = -1;
  } else if (auto b = broker_ref(*is, join_path(path, "is"))) {
    e.leader = *b;
  } else {
    ok = false;
  }
  if (!tp) ok = false;
  else e.tp = *tp;
  e.kind = Expectation::Kind::leader;
  return ok;
}

// A partition's ISR, as a set of brokers.
bool Loader::load_isr_expectation(const Json& v, const std::string& path, std::string_view kind, Expectation& e) {
  const std::string kp = join_path(path, kind);
  const Json& arg = v.at(std::string(kind));
  bool ok = true;
  check_keys(v, path, {"isr", "is", "at_ms", "note"});
  auto tp = partition_ref(arg, kp);
  const Json* is = field(v, "is");
  if (!is || !is->is_array()) {
    error(join_path(path, "is"), "required: a list of brokers, e.g. [\"broker-1\", \"broker-2\"]");
    ok = false;
  } else {
    for (size_t i = 0; i < is->size(); ++i) {
      if (auto b = broker_ref((*is)[i], index_path(join_path(path, "is"), i))) e.isr.push_back(*b);
      else ok = false;
    }
    std::sort(e.isr.begin(), e.isr.end());
  }
  if (!tp) ok = false;
  else e.tp = *tp;
  e.kind = Expectation::Kind::isr;
  return ok;
}

// A number of a partition: leader_epoch, hw (a broker's, else the leader's) or leo (a broker's).
bool Loader::load_offset_expectation(const Json& v, const std::string& path, std::string_view kind, Expectation& e) {
  const std::string kp = join_path(path, kind);
  const Json& arg = v.at(std::string(kind));
  bool ok = true;
  check_keys(v, path, {std::string_view(kind), "broker", "is", "at_least", "at_most", "at_ms", "note"});
  auto tp = partition_ref(arg, kp);
  if (!tp) ok = false;
  else e.tp = *tp;
  if (const Json* b = field(v, "broker")) {
    if (kind == "leader_epoch") {
      error(join_path(path, "broker"), "the leader epoch is the leader's; leave out broker");
      ok = false;
    } else if (auto id = broker_ref(*b, join_path(path, "broker"))) {
      e.broker = *id;
    } else {
      ok = false;
    }
  } else if (kind == "leo") {
    error(join_path(path, "broker"), "required: whose LEO, e.g. \"broker-1\"");
    ok = false;
  }
  if (!compare(v, path, e, kind == "leader_epoch" ? -1 : 0)) ok = false;
  e.kind = kind == "hw" ? Expectation::Kind::hw : kind == "leo" ? Expectation::Kind::leo : Expectation::Kind::leader_epoch;
  return ok;
}

// Whether a node runs.
bool Loader::load_running_expectation(const Json& v, const std::string& path, std::string_view kind, Expectation& e) {
  const std::string kp = join_path(path, kind);
  const Json& arg = v.at(std::string(kind));
  bool ok = true;
  check_keys(v, path, {"running", "is", "at_ms", "note"});
  auto t = target(arg, kp, TargetUse::any);
  if (!t || t->kind != FaultTarget::Kind::node) {
    if (t) error(kp, "name a node here, not a role");
    ok = false;
  } else {
    e.node = t->node;
  }
  const Json* is = field(v, "is");
  if (!is || !is->is_boolean()) {
    error(join_path(path, "is"), "required: true or false");
    ok = false;
  } else {
    e.running = is->get<bool>();
  }
  e.kind = Expectation::Kind::running;
  return ok;
}

// A group's state (Kafka's names), and consumers that must be members.
bool Loader::load_group_state_expectation(const Json& v, const std::string& path, std::string_view kind, Expectation& e) {
  const std::string kp = join_path(path, kind);
  const Json& arg = v.at(std::string(kind));
  bool ok = true;
  check_keys(v, path, {"group_state", "is", "members", "at_ms", "note"});
  if (auto g = group_ref(arg, kp)) e.group = *g;
  else ok = false;
  static constexpr std::string_view kStates[] = {"Empty", "PreparingRebalance", "CompletingRebalance", "Stable",
                                                 "Dead"};
  const Json* is = field(v, "is");
  if (!is || !is->is_string() ||
      std::find(std::begin(kStates), std::end(kStates), is->get<std::string>()) == std::end(kStates)) {
    error(join_path(path, "is"), "required: a group state, one of " +
                                     list_text(std::span<const std::string_view>(kStates)) +
                                     (is ? ", got " + json_brief(*is) : std::string()));
    ok = false;
  } else {
    e.group_state = is->get<std::string>();
  }
  if (const Json* m = field(v, "members")) {
    if (!m->is_array()) {
      error(join_path(path, "members"), "expected a list of consumer client ids, got " + json_brief(*m));
      ok = false;
    } else {
      for (size_t i = 0; i < m->size(); ++i) {
        const std::string mp = index_path(join_path(path, "members"), i);
        auto c = client_ref((*m)[i], mp);
        if (!c) {
          ok = false;
          continue;
        }
        const ClientSpec* spec = s_.client(*c);
        if (spec && (!spec->consumer || spec->consumer->config.group_id.value_or("") != e.group)) {
          error(mp, "\"" + *c + "\" is not a consumer of group \"" + e.group + "\"");
          ok = false;
        } else {
          e.members.push_back(*c);
        }
      }
    }
  }
  e.kind = Expectation::Kind::group_state;
  return ok;
}

// A group's generation, a partition's owner in it, or its committed offset.
bool Loader::load_group_expectation(const Json& v, const std::string& path, std::string_view kind, Expectation& e) {
  const std::string kp = join_path(path, kind);
  const Json& arg = v.at(std::string(kind));
  bool ok = true;
  if (kind == "generation") {
    check_keys(v, path, {"generation", "is", "at_least", "at_most", "at_ms", "note"});
    if (auto g = group_ref(arg, kp)) e.group = *g;
    else ok = false;
    if (!compare(v, path, e, -1)) ok = false;
    e.kind = Expectation::Kind::generation;
  } else {
    check_keys(v, path, {std::string_view(kind), "group", "is", "at_least", "at_most", "at_ms", "note"});
    auto tp = partition_ref(arg, kp);
    if (!tp) ok = false;
    else e.tp = *tp;
    const Json* g = field(v, "group");
    if (!g) {
      error(join_path(path, "group"), "required: the consumer group, e.g. \"g1\"");
      ok = false;
    } else if (auto id = group_ref(*g, join_path(path, "group"))) {
      e.group = *id;
    } else {
      ok = false;
    }
    if (kind == "committed") {
      if (!compare(v, path, e, -1)) ok = false;
      e.kind = Expectation::Kind::committed;
    } else {
      for (std::string_view c : {"at_least", "at_most"})
        if (v.contains(std::string(c))) {
          error(join_path(path, c), "an owner is a consumer; use \"is\"");
          ok = false;
        }
      const Json* is = field(v, "is");
      if (!is) {
        error(join_path(path, "is"), "required: a consumer client id such as \"c1\", or \"none\"");
        ok = false;
      } else if (*is == "none") {
        e.owner.clear();
      } else if (auto c = client_ref(*is, join_path(path, "is"))) {
        const ClientSpec* spec = s_.client(*c);
        if (spec && !spec->consumer) {
          error(join_path(path, "is"), "\"" + *c + "\" is a " + spec->type + ", not a consumer");
          ok = false;
        } else if (spec && spec->consumer->config.group_id.value_or("") != e.group && !e.group.empty()) {
          error(join_path(path, "is"), "consumer \"" + *c + "\" is not in group \"" + e.group + "\" (its group.id: \"" +
                                           spec->consumer->config.group_id.value_or("") + "\")");
          ok = false;
        } else {
          e.owner = *c;
        }
      } else {
        ok = false;
      }
      e.kind = Expectation::Kind::owner;
    }
  }
  return ok;
}

// A client's sends, acks or failures (narrowed to one error).
bool Loader::load_client_count_expectation(const Json& v, const std::string& path, std::string_view kind, Expectation& e) {
  const std::string kp = join_path(path, kind);
  const Json& arg = v.at(std::string(kind));
  bool ok = true;
  check_keys(v, path, {std::string_view(kind), "error", "is", "at_least", "at_most", "at_ms", "note"});
  auto c = client_ref(arg, kp);
  if (!c) ok = false;
  else e.node = *c;
  if (const Json* err = field(v, "error")) {
    if (kind != "failed") {
      error(join_path(path, "error"), "only a \"failed\" count can be narrowed to one error");
      ok = false;
    } else if (!err->is_string()) {
      error(join_path(path, "error"), "expected a Kafka error name such as \"NOT_ENOUGH_REPLICAS\", got " + json_brief(*err));
      ok = false;
    } else {
      e.error = err->get<std::string>();
    }
  }
  if (!compare(v, path, e, 0)) ok = false;
  e.kind = kind == "sent" ? Expectation::Kind::sent : kind == "acked" ? Expectation::Kind::acked : Expectation::Kind::failed;
  return ok;
}

std::string position(std::string_view text, size_t byte) { return text_position(text, byte); }

// Keeps the first kMaxErrorsShown errors and says how many more there were.
void cap_errors(std::vector<InputError>& errors) {
  if (errors.size() <= kMaxErrorsShown) return;
  const size_t more = errors.size() - kMaxErrorsShown;
  errors.resize(kMaxErrorsShown);
  errors.push_back({"", "... and " + std::to_string(more) + " more error" + (more == 1 ? "" : "s") + " (the first " +
                            std::to_string(kMaxErrorsShown) + " are shown)"});
}

}  // namespace

std::vector<std::string> message_type_names() { return MessageNames<Message>::get(); }

LoadResult load_scenario(std::string_view text, const std::string& source, std::span<const std::string> overrides) {
  LoadResult result;
  // Duplicate keys would silently keep the last value: find them while parsing.
  struct Frame {
    bool object = true;
    std::string key;
    int64_t index = -1;
    std::set<std::string> keys;
  };
  std::vector<Frame> frames;
  std::vector<InputError> duplicates;
  auto on_event = [&](int /*depth*/, Json::parse_event_t event, Json& parsed) {
    const bool starts_value = event == Json::parse_event_t::value || event == Json::parse_event_t::object_start ||
                              event == Json::parse_event_t::array_start;
    if (starts_value && !frames.empty() && !frames.back().object) ++frames.back().index;
    switch (event) {
      case Json::parse_event_t::object_start: frames.push_back(Frame{true, {}, -1, {}}); break;
      case Json::parse_event_t::array_start: frames.push_back(Frame{false, {}, -1, {}}); break;
      case Json::parse_event_t::object_end:
      case Json::parse_event_t::array_end: frames.pop_back(); break;
      case Json::parse_event_t::key: {
        Frame& f = frames.back();
        f.key = parsed.get<std::string>();
        if (!f.keys.insert(f.key).second) {
          std::string p;
          for (size_t i = 0; i + 1 < frames.size(); ++i)
            p = frames[i].object ? join_path(p, frames[i].key) : index_path(p, static_cast<size_t>(frames[i].index));
          duplicates.push_back({join_path(p, f.key), "duplicate key: JSON keeps only the last value; give it once"});
        }
        break;
      }
      default: break;
    }
    return true;
  };
  if (text.size() > kMaxScenarioBytes) {
    result.errors.push_back({"", source + ": " + std::to_string(text.size()) + " bytes; a scenario is at most " +
                                     std::to_string(kMaxScenarioBytes) + " bytes"});
    return result;
  }
  if (const auto deep = json_too_deep_at(text)) {
    result.errors.push_back({"", source + ": nested deeper than " + std::to_string(kMaxJsonDepth) +
                                     " lists/objects at " + position(text, *deep) +
                                     " (a scenario needs at most 5)"});
    return result;
  }
  Json root;
  try {
    root = Json::parse(text.begin(), text.end(), on_event, /*allow_exceptions=*/true, /*ignore_comments=*/false);
  } catch (const Json::out_of_range& e) {
    // A number beyond double's range (1e400): nlohmann says "number overflow
    // parsing '1e400'" with no position; find the number in the text.
    std::string what = e.what();
    std::string where;
    if (const size_t q = what.find('\''); q != std::string::npos) {
      const size_t q2 = what.find('\'', q + 1);
      const std::string number = what.substr(q + 1, q2 == std::string::npos ? std::string::npos : q2 - q - 1);
      if (const size_t at = text.find(number); !number.empty() && at != std::string_view::npos)
        where = " at " + position(text, at);
    }
    result.errors.push_back(
        {"", source + ": a number" + where + " is out of range (beyond a double's 1.8e308; no setting needs it)"});
    return result;
  } catch (const Json::parse_error& e) {
    std::string what = e.what();
    const size_t colon = what.find("] ");
    if (colon != std::string::npos) what = what.substr(colon + 2);
    // nlohmann says "parse error at line L, column C: ..."; the position is given once, below.
    if (const size_t at = what.find(": "); what.rfind("parse error", 0) == 0 && at != std::string::npos)
      what = what.substr(at + 2);
    result.errors.push_back({"", source + ": not valid JSON at " + position(text, e.byte == 0 ? 0 : e.byte - 1) + ": " + what});
    return result;
  }
  result.errors = std::move(duplicates);
  for (const std::string& o : overrides)
    if (auto err = apply_override(root, o)) result.errors.push_back(*err);
  if (!result.errors.empty()) {
    cap_errors(result.errors);
    return result;
  }

  Scenario s;
  s.source = source;
  Loader loader(s);
  loader.load(root);
  result.errors = loader.take_errors();
  cap_errors(result.errors);
  if (result.errors.empty()) {
    s.controller.initial_topics = s.topics;
    result.scenario = std::move(s);
  }
  return result;
}

LoadResult load_scenario_file(const std::string& path, std::span<const std::string> overrides) {
  std::ifstream in(path, std::ios::binary);
  if (!in) {
    LoadResult r;
    r.errors.push_back({"", "cannot read " + path});
    return r;
  }
  // Read at most one byte past the limit: `ksim run /dev/zero` must not fill memory.
  std::string text(kMaxScenarioBytes + 1, '\0');
  in.read(text.data(), static_cast<std::streamsize>(text.size()));
  text.resize(static_cast<size_t>(in.gcount()));
  if (text.size() > kMaxScenarioBytes) {
    LoadResult r;
    r.errors.push_back({"", path + ": larger than " + std::to_string(kMaxScenarioBytes) +
                                " bytes, the most a scenario may be (scenarios/README.md, Limits)"});
    return r;
  }
  return load_scenario(text, path, overrides);
}

}  // namespace ksim::scenarios
