#include "core/net/request_tracker.h"

#include <vector>

#include "core/base/assert.h"

namespace ksim {

int32_t correlation_id_of(const Message& m) {
  return std::visit(
      [](const auto& alt) -> int32_t {
        if constexpr (requires { alt.correlation_id; }) return alt.correlation_id;
        return -1;
      },
      m);
}

void set_correlation_id(Message& m, int32_t id) {
  std::visit(
      [id](auto& alt) {
        if constexpr (requires { alt.correlation_id; }) alt.correlation_id = id;
      },
      m);
}

bool is_response(const Message& m) {
  const std::string_view name = message_name(m);
  return name.size() > 8 && name.substr(name.size() - 8) == "Response";
}

int32_t RequestTracker::send(NodeId to, Message request, Duration timeout, Handler handler) {
  KSIM_ASSERT(!is_response(request));
  const int32_t id = next_correlation_id_++;
  set_correlation_id(request, id);
  const TimerId timer = env_.set_timer(timeout, timer_tag_);
  pending_.emplace(id, Pending{to, timer, std::move(handler)});
  by_timer_.emplace(timer.value, id);
  env_.send(to, std::move(request));
  return id;
}

bool RequestTracker::on_response(NodeId from, const Message& response) {
  const int32_t id = correlation_id_of(response);
  auto it = pending_.find(id);
  if (it == pending_.end()) return false;
  KSIM_ASSERT_MSG(it->second.to == from, "response from a node the request was not sent to");
  Pending p = std::move(it->second);
  pending_.erase(it);
  by_timer_.erase(p.timer.value);
  env_.cancel_timer(p.timer);
  p.handler(&response, Errc::none);
  return true;
}

void RequestTracker::on_timer(TimerId timer) {
  auto t = by_timer_.find(timer.value);
  if (t == by_timer_.end()) return;
  const int32_t id = t->second;
  by_timer_.erase(t);
  auto it = pending_.find(id);
  KSIM_ASSERT(it != pending_.end());
  Pending p = std::move(it->second);
  pending_.erase(it);
  p.handler(nullptr, Errc::request_timed_out);
}

void RequestTracker::on_connection_lost(NodeId peer) {
  std::vector<int32_t> failed;
  for (const auto& [id, p] : pending_)
    if (p.to == peer) failed.push_back(id);
  for (int32_t id : failed) {
    auto it = pending_.find(id);
    if (it == pending_.end()) continue;  // a handler may have failed others already
    Pending p = std::move(it->second);
    pending_.erase(it);
    by_timer_.erase(p.timer.value);
    env_.cancel_timer(p.timer);
    p.handler(nullptr, Errc::network_exception);
  }
}

size_t RequestTracker::outstanding_to(NodeId peer) const {
  size_t n = 0;
  for (const auto& [id, p] : pending_) n += p.to == peer;
  return n;
}

}  // namespace ksim
