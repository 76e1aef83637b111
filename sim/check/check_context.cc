#include "sim/check/check_context.h"

namespace ksim::check {

CheckContext::CheckContext(const History& h) : history(h), committed(h) {
  committed_logs.reserve(h.partitions.size());
  for (const auto& p : h.partitions) committed_logs.push_back(p.committed_log());
}

}  // namespace ksim::check
