#include "core/net/request_tracker.h"

#include <algorithm>
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

int32_t RequestTracker::send(NodeId to, Message request, Duration timeout, Handler handler, Channel channel) {
  KSIM_ASSERT(!is_response(request));
  const int32_t id = next_correlation_id_++;
  set_correlation_id(request, id);
  const TimerId timer = env_.set_timer(timeout, timer_tag_);
  pending_.push_back(Pending{id, to, channel, timer, std::move(handler)});
  env_.send(to, std::move(request));
  return id;
}

RequestTracker::Pending RequestTracker::take(std::vector<Pending>::iterator it) {
  Pending p = std::move(*it);
  pending_.erase(it);
  return p;
}

bool RequestTracker::on_response(NodeId from, const Message& response) {
  const int32_t id = correlation_id_of(response);
  auto it = std::lower_bound(pending_.begin(), pending_.end(), id,
                             [](const Pending& p, int32_t wanted) { return p.correlation_id < wanted; });
  if (it == pending_.end() || it->correlation_id != id) return false;
  KSIM_ASSERT_MSG(it->to == from, "response from a node the request was not sent to");
  Pending p = take(it);
  env_.cancel_timer(p.timer);
  p.handler(&response, Errc::none);
  return true;
}

void RequestTracker::on_timer(TimerId timer) {
  auto it = std::find_if(pending_.begin(), pending_.end(), [&](const Pending& p) { return p.timer == timer; });
  if (it == pending_.end()) return;
  // NetworkClient.handleTimedOutRequests closes the connection, and
  // processTimeoutDisconnection completes all its requests as timed out.
  fail_all_to(it->to, it->channel, Errc::request_timed_out);
}

void RequestTracker::on_connection_lost(NodeId peer) { fail_all_to(peer, std::nullopt, Errc::network_exception); }

void RequestTracker::fail_all_to(NodeId peer, std::optional<Channel> channel, Errc error) {
  auto on_it = [&](const Pending& p) { return p.to == peer && (!channel || p.channel == *channel); };
  std::vector<int32_t> failed;
  for (const Pending& p : pending_)
    if (on_it(p)) failed.push_back(p.correlation_id);
  for (int32_t id : failed) {
    // A handler may have failed others already, or sent new requests (which
    // go on a new connection and are not failed here).
    auto it = std::find_if(pending_.begin(), pending_.end(), [&](const Pending& p) { return p.correlation_id == id; });
    if (it == pending_.end()) continue;
    Pending p = take(it);
    env_.cancel_timer(p.timer);
    p.handler(nullptr, error);
  }
}

size_t RequestTracker::outstanding_to(NodeId peer) const {
  size_t n = 0;
  for (const Pending& p : pending_) n += p.to == peer;
  return n;
}

}  // namespace ksim
