#include "core/consumer/consumer_workload.h"

namespace ksim {

Duration ProcessingTime::draw(Rng& rng) const {
  switch (kind) {
    case Kind::fixed: return fixed;
    case Kind::uniform: return rng.duration_between(min, max);
    case Kind::exponential: return mean.us > 0 ? rng.exponential(mean) : Duration{0};
  }
  return Duration{0};
}

std::string ProcessingTime::str() const {
  switch (kind) {
    case Kind::fixed: return std::to_string(fixed.ms()) + " ms";
    case Kind::uniform: return "uniform " + std::to_string(min.ms()) + ".." + std::to_string(max.ms()) + " ms";
    case Kind::exponential: return "exponential, mean " + std::to_string(mean.ms()) + " ms";
  }
  return "?";
}

std::string_view to_string(CommitPolicy p) {
  switch (p) {
    case CommitPolicy::none: return "none";
    case CommitPolicy::after_poll: return "after_poll";
    case CommitPolicy::before_processing: return "before_processing";
    case CommitPolicy::per_record: return "per_record";
  }
  return "?";
}

std::optional<CommitPolicy> parse_commit_policy(std::string_view s) {
  if (s == "none" || s == "auto") return CommitPolicy::none;
  if (s == "after_poll") return CommitPolicy::after_poll;
  if (s == "before_processing") return CommitPolicy::before_processing;
  if (s == "per_record") return CommitPolicy::per_record;
  return std::nullopt;
}

}  // namespace ksim
