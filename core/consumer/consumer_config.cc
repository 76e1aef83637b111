#include "core/consumer/consumer_config.h"

#include <charconv>

#include "core/base/suggest.h"
#include "core/group/assignor/assignor_registry.h"

namespace ksim {

std::string_view to_string(OffsetResetStrategy s) {
  switch (s) {
    case OffsetResetStrategy::latest: return "latest";
    case OffsetResetStrategy::earliest: return "earliest";
    case OffsetResetStrategy::none: return "none";
  }
  return "?";
}

ConsumerConfig::ConsumerConfig() {
  assignors.push_back(group::find_assignor("range").assignor);
  assignors.push_back(group::find_assignor("cooperative-sticky").assignor);
}

group::RebalanceProtocol ConsumerConfig::rebalance_protocol() const {
  for (const auto* a : assignors)
    if (a->protocol() == group::RebalanceProtocol::kEager) return group::RebalanceProtocol::kEager;
  return assignors.empty() ? group::RebalanceProtocol::kEager : group::RebalanceProtocol::kCooperative;
}

std::string ConsumerConfig::validate() const {
  if (assignors.empty()) return "partition.assignment.strategy: at least one assignor is needed";
  if (session_timeout_ms <= 0) return "session.timeout.ms must be > 0";
  if (heartbeat_interval_ms <= 0) return "heartbeat.interval.ms must be > 0";
  if (heartbeat_interval_ms >= session_timeout_ms)
    return "heartbeat.interval.ms (" + std::to_string(heartbeat_interval_ms) +
           ") must be lower than session.timeout.ms (" + std::to_string(session_timeout_ms) + ")";
  if (max_poll_interval_ms <= 0) return "max.poll.interval.ms must be > 0";
  if (max_poll_records <= 0) return "max.poll.records must be > 0";
  if (auto_commit_interval_ms <= 0) return "auto.commit.interval.ms must be > 0";
  if (fetch_min_bytes < 0) return "fetch.min.bytes must be >= 0";
  if (fetch_max_wait_ms < 0) return "fetch.max.wait.ms must be >= 0";
  if (max_partition_fetch_bytes <= 0) return "max.partition.fetch.bytes must be > 0";
  if (fetch_max_bytes <= 0) return "fetch.max.bytes must be > 0";
  if (request_timeout_ms <= 0) return "request.timeout.ms must be > 0";
  if (retry_backoff_ms < 0) return "retry.backoff.ms must be >= 0";
  if (metadata_max_age_ms <= 0) return "metadata.max.age.ms must be > 0";
  if (reconnect_backoff_ms < 0) return "reconnect.backoff.ms must be >= 0";
  if (reconnect_backoff_max_ms < 0) return "reconnect.backoff.max.ms must be >= 0";
  if (group_instance_id && group_instance_id->empty()) return "group.instance.id must not be empty";
  if (group_id && group_id->empty()) return "group.id must not be empty";
  return "";
}

namespace {

const std::vector<std::string_view> kKeys = {
    "group.id", "group.instance.id", "partition.assignment.strategy", "session.timeout.ms",
    "heartbeat.interval.ms", "max.poll.interval.ms", "max.poll.records", "enable.auto.commit",
    "auto.commit.interval.ms", "auto.offset.reset", "fetch.min.bytes", "fetch.max.wait.ms",
    "max.partition.fetch.bytes", "fetch.max.bytes", "request.timeout.ms", "retry.backoff.ms",
    "metadata.max.age.ms", "reconnect.backoff.ms", "reconnect.backoff.max.ms"};

std::string parse_int(std::string_view key, std::string_view value, int32_t& out) {
  int64_t v = 0;
  auto [p, ec] = std::from_chars(value.data(), value.data() + value.size(), v);
  if (ec != std::errc() || p != value.data() + value.size() || v < INT32_MIN || v > INT32_MAX)
    return std::string(key) + ": \"" + std::string(value) + "\" is not a 32-bit integer";
  out = static_cast<int32_t>(v);
  return "";
}

std::string_view trim(std::string_view s) {
  while (!s.empty() && s.front() == ' ') s.remove_prefix(1);
  while (!s.empty() && s.back() == ' ') s.remove_suffix(1);
  return s;
}

}  // namespace

const std::vector<std::string_view>& consumer_config_keys() { return kKeys; }

std::string set_consumer_config(ConsumerConfig& c, std::string_view key, std::string_view value) {
  if (key == "group.id") {
    c.group_id = std::string(value);
    return value.empty() ? "group.id must not be empty" : "";
  }
  if (key == "group.instance.id") {
    c.group_instance_id = std::string(value);
    return value.empty() ? "group.instance.id must not be empty" : "";
  }
  if (key == "partition.assignment.strategy") {
    std::vector<const group::Assignor*> list;
    size_t start = 0;
    while (start <= value.size()) {
      size_t comma = value.find(',', start);
      if (comma == std::string_view::npos) comma = value.size();
      const std::string_view name = trim(value.substr(start, comma - start));
      if (!name.empty()) {
        group::AssignorLookup found = group::find_assignor(name);
        if (!found.assignor) return "partition.assignment.strategy: " + found.error;
        list.push_back(found.assignor);
      }
      start = comma + 1;
    }
    if (list.empty()) return "partition.assignment.strategy: at least one assignor is needed";
    c.assignors = std::move(list);
    return "";
  }
  if (key == "enable.auto.commit") {
    if (value != "true" && value != "false") return "enable.auto.commit: expected true or false, got \"" + std::string(value) + "\"";
    c.enable_auto_commit = value == "true";
    return "";
  }
  if (key == "auto.offset.reset") {
    if (value == "latest") c.auto_offset_reset = OffsetResetStrategy::latest;
    else if (value == "earliest") c.auto_offset_reset = OffsetResetStrategy::earliest;
    else if (value == "none") c.auto_offset_reset = OffsetResetStrategy::none;
    else return "auto.offset.reset: expected latest, earliest or none, got \"" + std::string(value) + "\"";
    return "";
  }
  struct IntKey {
    std::string_view name;
    int32_t ConsumerConfig::*field;
  };
  static const IntKey kInts[] = {
      {"session.timeout.ms", &ConsumerConfig::session_timeout_ms},
      {"heartbeat.interval.ms", &ConsumerConfig::heartbeat_interval_ms},
      {"max.poll.interval.ms", &ConsumerConfig::max_poll_interval_ms},
      {"max.poll.records", &ConsumerConfig::max_poll_records},
      {"auto.commit.interval.ms", &ConsumerConfig::auto_commit_interval_ms},
      {"fetch.min.bytes", &ConsumerConfig::fetch_min_bytes},
      {"fetch.max.wait.ms", &ConsumerConfig::fetch_max_wait_ms},
      {"max.partition.fetch.bytes", &ConsumerConfig::max_partition_fetch_bytes},
      {"fetch.max.bytes", &ConsumerConfig::fetch_max_bytes},
      {"request.timeout.ms", &ConsumerConfig::request_timeout_ms},
      {"retry.backoff.ms", &ConsumerConfig::retry_backoff_ms},
      {"metadata.max.age.ms", &ConsumerConfig::metadata_max_age_ms},
      {"reconnect.backoff.ms", &ConsumerConfig::reconnect_backoff_ms},
      {"reconnect.backoff.max.ms", &ConsumerConfig::reconnect_backoff_max_ms},
  };
  for (const IntKey& k : kInts)
    if (k.name == key) return parse_int(key, value, c.*k.field);
  return "unknown consumer config \"" + std::string(key) + "\"" + did_you_mean(key, kKeys);
}

}  // namespace ksim
