#include "core/controller/controller_config.h"

#include <algorithm>
#include <charconv>
#include <optional>

namespace ksim {
namespace {

constexpr const char* kMinIsr = "min.insync.replicas";
constexpr const char* kUnclean = "unclean.leader.election.enable";

std::optional<int32_t> parse_int(const std::string& s) {
  int32_t v = 0;
  const auto [end, ec] = std::from_chars(s.data(), s.data() + s.size(), v);
  if (ec != std::errc() || end != s.data() + s.size()) return std::nullopt;
  return v;
}

std::optional<bool> parse_bool(const std::string& s) {
  // Kafka's ConfigDef BOOLEAN accepts "true"/"false" in any case.
  std::string lower = s;
  std::transform(lower.begin(), lower.end(), lower.begin(), [](unsigned char c) { return std::tolower(c); });
  if (lower == "true") return true;
  if (lower == "false") return false;
  return std::nullopt;
}

}  // namespace

bool effective_unclean_leader_election(const MetadataImage& image, const ControllerConfig& config,
                                       const std::string& topic) {
  const std::string fallback = config.unclean_leader_election_enable ? "true" : "false";
  return parse_bool(image.topic_config(topic, kUnclean, fallback)).value_or(config.unclean_leader_election_enable);
}

int32_t effective_min_isr(const MetadataImage& image, const ControllerConfig& config, const std::string& topic) {
  const int32_t min_isr = parse_int(image.topic_config(topic, kMinIsr, std::to_string(config.min_insync_replicas)))
                              .value_or(config.min_insync_replicas);
  const PartitionRecord* p0 = image.partition(TopicPartition{topic, PartitionId(0)});
  if (!p0) return min_isr;
  return std::min(min_isr, static_cast<int32_t>(p0->replicas.size()));
}

std::string validate_topic_config(const std::string& name, const std::string& value) {
  if (name == kMinIsr) {
    const auto v = parse_int(value);
    if (!v || *v < 1) return "Invalid value " + value + " for configuration " + name + ": must be an integer >= 1";
  } else if (name == kUnclean) {
    if (!parse_bool(value)) return "Invalid value " + value + " for configuration " + name + ": must be true or false";
  }
  return {};
}

}  // namespace ksim
