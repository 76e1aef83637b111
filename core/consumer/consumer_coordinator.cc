#include "core/consumer/consumer_coordinator.h"

#include <algorithm>
#include <memory>
#include <set>

#include "core/base/assert.h"

namespace ksim {

std::string_view to_string(MemberState s) {
  switch (s) {
    case MemberState::unjoined: return "UNJOINED";
    case MemberState::preparing_rebalance: return "PREPARING_REBALANCE";
    case MemberState::completing_rebalance: return "COMPLETING_REBALANCE";
    case MemberState::stable: return "STABLE";
  }
  return "?";
}

namespace {

bool is_coordinator_error(Errc e) {
  return e == Errc::coordinator_not_available || e == Errc::not_coordinator || e == Errc::network_exception ||
         e == Errc::request_timed_out;
}

std::vector<TopicPartition> minus(const std::vector<TopicPartition>& a, const std::vector<TopicPartition>& b) {
  std::set<TopicPartition> sb(b.begin(), b.end());
  std::vector<TopicPartition> out;
  for (const auto& tp : a)
    if (!sb.count(tp)) out.push_back(tp);
  return out;
}

}  // namespace

ConsumerCoordinator::ConsumerCoordinator(Env& env, RequestTracker& tracker, const ConsumerConfig& config,
                                         SubscriptionState& subscriptions, ConsumerMetadata& metadata, Timers timers,
                                         Callbacks callbacks)
    : env_(env),
      tracker_(tracker),
      config_(config),
      subscriptions_(subscriptions),
      metadata_(metadata),
      timers_(timers),
      cb_(std::move(callbacks)),
      group_id_(config.group_id.value_or("")),
      last_poll_(env.now()),
      last_heartbeat_ok_(env.now()) {}

void ConsumerCoordinator::set_state(MemberState next) {
  // The legal transitions (AbstractCoordinator.MemberState):
  //   UNJOINED -> PREPARING_REBALANCE           JoinGroup sent
  //   PREPARING_REBALANCE -> COMPLETING_REBALANCE  JoinGroup answered
  //   COMPLETING_REBALANCE -> STABLE             SyncGroup answered
  //   any -> UNJOINED                            failure, leave, reset
  const bool ok = next == MemberState::unjoined ||
                  (state_ == MemberState::unjoined && next == MemberState::preparing_rebalance) ||
                  (state_ == MemberState::preparing_rebalance && next == MemberState::completing_rebalance) ||
                  (state_ == MemberState::completing_rebalance && next == MemberState::stable);
  KSIM_ASSERT_MSG(ok, "illegal member transition " << to_string(state_) << " -> " << to_string(next));
  state_ = next;
}

void ConsumerCoordinator::fatal(Errc error) {
  failed_ = true;
  rejoin_needed_ = false;
  set_state(MemberState::unjoined);
  if (cb_.on_fatal) cb_.on_fatal(error);
}

// --- coordinator discovery -------------------------------------------------------

void ConsumerCoordinator::find_coordinator() {
  if (!has_group() || find_in_flight_ || retry_armed_ || coordinator_) return;
  find_in_flight_ = true;
  FindCoordinatorRequest req;
  req.key = group_id_;
  tracker_.send(metadata_.any_broker(), std::move(req), millis(config_.request_timeout_ms),
                [this](const Message* response, Errc) {
                  find_in_flight_ = false;
                  const auto* r = response ? &std::get<FindCoordinatorResponse>(*response) : nullptr;
                  if (r && r->error == Errc::none) {
                    coordinator_ = r->node;
                    last_heartbeat_ok_ = env_.now();
                    // Commits that waited for a coordinator go now.
                    std::vector<PendingCommit> waiting;
                    waiting.swap(waiting_for_coordinator_);
                    for (auto& c : waiting) send_commit(std::move(c));
                    if (cb_.on_progress) cb_.on_progress();
                    return;
                  }
                  // COORDINATOR_NOT_AVAILABLE (no leader for __consumer_offsets
                  // yet), a timeout, a lost connection: retry after the backoff.
                  retry_armed_ = true;
                  env_.set_timer(millis(config_.retry_backoff_ms), timers_.retry);
                });
}

void ConsumerCoordinator::mark_coordinator_unknown() {
  if (!coordinator_) return;
  coordinator_.reset();
  find_coordinator();
}

void ConsumerCoordinator::on_coordinator_connection_lost(NodeId peer) {
  if (coordinator_ && *coordinator_ == peer) mark_coordinator_unknown();
}

// --- poll ----------------------------------------------------------------------------

bool ConsumerCoordinator::poll() {
  last_poll_ = env_.now();
  poll_timer_expired_ = false;
  if (failed_) return false;
  if (!has_group()) return true;
  arm_poll_timeout();
  if (subscriptions_.user_assigned()) {
    find_coordinator();  // for commits and OffsetFetch
    return true;
  }
  if (!coordinator_) {
    find_coordinator();
    return false;
  }
  // A subscribed topic missing from the metadata: ask again (the broker
  // answers UNKNOWN_TOPIC_OR_PARTITION for it, an InvalidMetadataException,
  // so Metadata.handleMetadataResponse requests an update; refresh() keeps
  // retry.backoff.ms between requests). But join once there is metadata at
  // all: Kafka's ConsumerCoordinator.poll waits for fresh metadata only for a
  // pattern subscription. The leader's assignor skips a topic without
  // metadata (AbstractPartitionAssignor.assign); once the topic exists the
  // leader's metadata snapshot changes and it rejoins (see below).
  bool unknown_topic = false;
  for (const auto& t : subscriptions_.subscribed_topics()) unknown_topic |= !metadata_.has_topic(t);
  if (unknown_topic) {
    metadata_.request_update();
    metadata_.refresh();
  }
  if (!metadata_.ever_updated()) {
    metadata_.request_update();
    metadata_.refresh();
    return false;
  }
  if (pending_assignment_) {
    std::vector<TopicPartition> assigned = std::move(*pending_assignment_);
    pending_assignment_.reset();
    on_join_complete(assigned);
  }
  if (assignment_snapshot_ && state_ == MemberState::stable && !rejoin_needed_ &&
      *assignment_snapshot_ != metadata_snapshot()) {
    // Only the leader watches: partitions were added (or a topic went away).
    rejoin_needed_ = true;
    rejoin_reason_ = "cached metadata has changed";
  }
  if (rejoin_needed_ && !join_in_flight_ && !retry_armed_ && state_ != MemberState::completing_rebalance) {
    if (join_prepare_needed_) {
      join_prepare_needed_ = false;
      on_join_prepare();
    }
    send_join_group();
  }
  return state_ == MemberState::stable && !rejoin_needed_;
}

void ConsumerCoordinator::on_join_prepare() {
  const std::vector<TopicPartition> owned = subscriptions_.assigned();
  if (generation_.value < 0 || member_id_.empty()) {
    // The generation is gone: nothing can be committed any more.
    if (!owned.empty()) {
      subscriptions_.revoke(owned);
      if (cb_.on_revoked) cb_.on_revoked(owned, /*lost=*/true);
    }
    return;
  }
  std::vector<TopicPartition> revoked;
  if (config_.rebalance_protocol() == group::RebalanceProtocol::kEager) {
    revoked = owned;
    last_assignment_ = owned;
    last_assignment_generation_ = generation_;
  } else {
    const auto& topics = subscriptions_.subscribed_topics();
    for (const auto& tp : owned)
      if (!std::binary_search(topics.begin(), topics.end(), tp.topic)) revoked.push_back(tp);
  }
  // The revocation callback sees the partitions still assigned (it commits
  // their positions); they leave the subscription state after it.
  if (!revoked.empty() && cb_.on_revoked) cb_.on_revoked(revoked, /*lost=*/false);
  subscriptions_.revoke(revoked);
}

void ConsumerCoordinator::send_join_group() {
  KSIM_ASSERT(coordinator_);
  if (state_ != MemberState::unjoined) set_state(MemberState::unjoined);
  set_state(MemberState::preparing_rebalance);
  JoinGroupRequest req;
  req.group_id = group_id_;
  req.session_timeout_ms = config_.session_timeout_ms;
  req.rebalance_timeout_ms = config_.max_poll_interval_ms;
  req.member_id = member_id_;
  req.group_instance_id = config_.group_instance_id;
  req.reason = std::move(rejoin_reason_);
  rejoin_reason_.clear();
  ConsumerSubscription sub;
  sub.topics = subscriptions_.subscribed_topics();
  if (config_.rebalance_protocol() == group::RebalanceProtocol::kCooperative) {
    sub.owned_partitions = subscriptions_.assigned();
    sub.generation = generation_;
  } else {
    sub.owned_partitions = last_assignment_;
    sub.generation = last_assignment_generation_;
  }
  for (const auto* a : config_.assignors) {
    const std::string name(a->protocol_name());
    bool dup = false;
    for (const auto& p : req.protocols) dup |= p.name == name;
    if (!dup) req.protocols.push_back(JoinGroupProtocol{name, sub});
  }
  send_rebalance_request(std::move(req), [this](const Message& m) { on_join_response(std::get<JoinGroupResponse>(m)); });
}

void ConsumerCoordinator::send_rebalance_request(Message request, std::function<void(const Message&)> on_response) {
  join_in_flight_ = true;
  // JoinGroup and SyncGroup may wait at the coordinator for the whole
  // rebalance timeout (the member's max.poll.interval.ms).
  const Duration timeout = millis(config_.request_timeout_ms) + millis(config_.max_poll_interval_ms) + seconds(5);
  tracker_.send(*coordinator_, std::move(request), timeout,
                [this, on_response = std::move(on_response)](const Message* response, Errc error) {
                  join_in_flight_ = false;
                  if (failed_) return;
                  if (!response) {
                    join_failed(error);
                    return;
                  }
                  on_response(*response);
                }, Channel::coordinator);
}

void ConsumerCoordinator::join_failed(Errc error) {
  if (state_ != MemberState::unjoined) set_state(MemberState::unjoined);
  rejoin_needed_ = true;
  switch (error) {
    case Errc::unknown_member_id:
      reset_generation(/*reset_member_id=*/true);
      break;
    case Errc::illegal_generation:
      reset_generation(/*reset_member_id=*/false);
      break;
    case Errc::fenced_instance_id:
    case Errc::group_max_size_reached:  // GroupMaxSizeReachedException out of poll()
    case Errc::inconsistent_group_protocol:
    case Errc::invalid_session_timeout:
    case Errc::group_id_not_found:
      fatal(error);
      return;
    default:
      if (is_coordinator_error(error)) mark_coordinator_unknown();
      break;
  }
  // The application thread retries at its next poll (after retry.backoff.ms).
  retry_armed_ = true;
  env_.set_timer(millis(config_.retry_backoff_ms), timers_.retry);
}

void ConsumerCoordinator::on_join_response(const JoinGroupResponse& r) {
  if (r.error == Errc::member_id_required) {
    // KIP-394: the coordinator handed out a member id; join again with it.
    member_id_ = r.member_id;
    set_state(MemberState::unjoined);
    send_join_group();
    return;
  }
  if (r.error != Errc::none) {
    join_failed(r.error);
    return;
  }
  member_id_ = r.member_id;
  generation_ = r.generation_id;
  protocol_name_ = r.protocol_name;
  set_state(MemberState::completing_rebalance);
  // The heartbeat thread is enabled once the member has joined.
  last_heartbeat_ok_ = env_.now();
  arm_heartbeat(millis(config_.heartbeat_interval_ms));
  const bool leader = r.leader == member_id_;
  if (leader) {
    // ConsumerCoordinator.onLeaderElected: the group's topics, and the
    // assignment snapshot (also when a returning static leader skips the
    // assignment, KIP-814).
    std::set<std::string> topics;
    for (const auto& m : r.members) topics.insert(m.metadata.topics.begin(), m.metadata.topics.end());
    if (r.members.empty())
      topics.insert(subscriptions_.subscribed_topics().begin(), subscriptions_.subscribed_topics().end());
    group_topics_.assign(topics.begin(), topics.end());
    assignment_snapshot_ = metadata_snapshot();
  } else {
    // Only the leader is responsible for monitoring metadata changes.
    assignment_snapshot_.reset();
  }
  if (leader && !r.skip_assignment) {
    send_sync_group(run_assignor(r));
  } else {
    send_sync_group({});
  }
}

std::vector<SyncGroupAssignment> ConsumerCoordinator::run_assignor(const JoinGroupResponse& r) const {
  const group::Assignor* assignor = nullptr;
  for (const auto* a : config_.assignors)
    if (a->protocol_name() == r.protocol_name) {
      assignor = a;
      break;
    }
  KSIM_ASSERT_MSG(assignor, "the coordinator chose protocol " << r.protocol_name << " that the leader did not offer");
  group::GroupSubscription g;
  for (const auto& m : r.members) {
    group::MemberSubscription ms;
    ms.member_id = m.member_id;
    ms.group_instance_id = m.group_instance_id;
    ms.topics = m.metadata.topics;
    for (const auto& tp : m.metadata.owned_partitions) ms.owned.push_back(group::TopicPartition{tp.topic, tp.partition});
    if (m.metadata.generation.value >= 0) ms.generation = m.metadata.generation;
    for (const auto& t : m.metadata.topics)
      if (auto n = metadata_.partition_count(t)) g.partitions_per_topic[t] = *n;
    g.members.push_back(std::move(ms));
  }
  const group::AssignmentResult result = assignor->assign(g);
  std::vector<SyncGroupAssignment> out;
  for (const auto& [member, parts] : result.assignment) {
    SyncGroupAssignment a;
    a.member_id = member;
    for (const auto& tp : parts) a.assignment.partitions.push_back(TopicPartition{tp.topic, tp.partition});
    out.push_back(std::move(a));
  }
  return out;
}

void ConsumerCoordinator::send_sync_group(std::vector<SyncGroupAssignment> assignments) {
  if (!coordinator_) {
    join_failed(Errc::coordinator_not_available);
    return;
  }
  SyncGroupRequest req;
  req.group_id = group_id_;
  req.generation_id = generation_;
  req.member_id = member_id_;
  req.group_instance_id = config_.group_instance_id;
  req.protocol_name = protocol_name_;
  req.assignments = std::move(assignments);
  send_rebalance_request(std::move(req), [this](const Message& m) { on_sync_response(std::get<SyncGroupResponse>(m)); });
}

void ConsumerCoordinator::on_sync_response(const SyncGroupResponse& r) {
  if (r.error != Errc::none) {
    join_failed(r.error);
    return;
  }
  if (state_ != MemberState::completing_rebalance) return;  // reset meanwhile (e.g. the heartbeat saw an error)
  set_state(MemberState::stable);
  rejoin_needed_ = false;
  join_prepare_needed_ = true;
  pending_assignment_ = r.assignment.partitions;
  if (cb_.on_progress) cb_.on_progress();
}

std::map<std::string, int32_t> ConsumerCoordinator::metadata_snapshot() const {
  std::map<std::string, int32_t> out;
  for (const auto& t : group_topics_)
    if (auto n = metadata_.partition_count(t)) out[t] = *n;
  return out;
}

void ConsumerCoordinator::on_join_complete(const std::vector<TopicPartition>& assigned_in) {
  std::vector<TopicPartition> assigned = assigned_in;
  std::sort(assigned.begin(), assigned.end());
  const std::vector<TopicPartition> owned = subscriptions_.assigned();
  const std::vector<TopicPartition> revoked = minus(owned, assigned);
  const std::vector<TopicPartition> added = minus(assigned, owned);
  if (!revoked.empty()) {
    // COOPERATIVE: give up what moves, then rebalance again so its new owner
    // gets it (KIP-429).
    if (cb_.on_revoked) cb_.on_revoked(revoked, /*lost=*/false);
    rejoin_needed_ = true;
  }
  subscriptions_.assign_from_group(assigned);
  last_assignment_ = assigned;
  last_assignment_generation_ = generation_;
  if (cb_.on_assigned) cb_.on_assigned(added);
}

void ConsumerCoordinator::reset_generation(bool reset_member_id) {
  generation_ = GenerationId(-1);
  pending_assignment_.reset();
  if (reset_member_id) member_id_.clear();
  protocol_name_.clear();
  if (state_ != MemberState::unjoined) set_state(MemberState::unjoined);
  rejoin_needed_ = true;
  join_prepare_needed_ = true;
}

// --- heartbeats and the poll timer ------------------------------------------------

void ConsumerCoordinator::arm_heartbeat(Duration after) {
  if (heartbeat_timer_.valid()) env_.cancel_timer(heartbeat_timer_);
  heartbeat_timer_ = env_.set_timer(after, timers_.heartbeat);
}

void ConsumerCoordinator::arm_poll_timeout() {
  if (poll_timer_.valid()) env_.cancel_timer(poll_timer_);
  poll_timer_ = env_.set_timer(millis(config_.max_poll_interval_ms), timers_.poll_timeout);
}

void ConsumerCoordinator::heartbeat_tick() {
  heartbeat_timer_ = TimerId{};
  if (failed_ || state_ == MemberState::unjoined || state_ == MemberState::preparing_rebalance) return;
  const SimTime now = env_.now();
  if (!coordinator_) {
    find_coordinator();
    arm_heartbeat(millis(config_.retry_backoff_ms));
    return;
  }
  if (now - last_heartbeat_ok_ >= millis(config_.session_timeout_ms)) {
    // No heartbeat got through for a whole session: the coordinator may be gone.
    mark_coordinator_unknown();
    arm_heartbeat(millis(config_.retry_backoff_ms));
    return;
  }
  if (now - last_poll_ >= millis(config_.max_poll_interval_ms)) {
    maybe_leave_group("consumer poll timeout has expired.");
    return;
  }
  if (heartbeat_in_flight_) {
    arm_heartbeat(millis(config_.retry_backoff_ms));
    return;
  }
  heartbeat_in_flight_ = true;
  HeartbeatRequest req;
  req.group_id = group_id_;
  req.generation_id = generation_;
  req.member_id = member_id_;
  req.group_instance_id = config_.group_instance_id;
  const GenerationId sent_generation = generation_;
  tracker_.send(*coordinator_, std::move(req), millis(config_.request_timeout_ms),
                [this, sent_generation](const Message* response, Errc error) {
                  heartbeat_in_flight_ = false;
                  if (failed_) return;
                  const Errc e = response ? std::get<HeartbeatResponse>(*response).error : error;
                  switch (e) {
                    case Errc::none:
                      last_heartbeat_ok_ = env_.now();
                      break;
                    case Errc::rebalance_in_progress:
                      // Keep heartbeating through the rebalance; rejoin at the next poll.
                      last_heartbeat_ok_ = env_.now();
                      if (state_ == MemberState::stable) rejoin_needed_ = true;
                      break;
                    case Errc::illegal_generation:
                    case Errc::unknown_member_id:
                      if (sent_generation == generation_) reset_generation(e == Errc::unknown_member_id);
                      break;
                    case Errc::fenced_instance_id:
                      fatal(e);
                      return;
                    default:
                      if (is_coordinator_error(e)) mark_coordinator_unknown();
                      break;
                  }
                  if (cb_.on_progress) cb_.on_progress();
                }, Channel::coordinator);
  arm_heartbeat(millis(config_.heartbeat_interval_ms));
}

void ConsumerCoordinator::maybe_leave_group(const std::string& reason) {
  // Since 2.3 only dynamic members send LeaveGroup (KIP-345); a static member
  // is removed by its session timeout.
  if (!config_.group_instance_id && coordinator_ && state_ != MemberState::unjoined && !member_id_.empty()) {
    LeaveGroupRequest req;
    req.group_id = group_id_;
    req.members.push_back(LeaveGroupMember{member_id_, std::nullopt, reason});
    tracker_.send(*coordinator_, std::move(req), millis(config_.request_timeout_ms), [](const Message*, Errc) {},
                  Channel::coordinator);
  }
  reset_generation(/*reset_member_id=*/true);
}

void ConsumerCoordinator::close() {
  if (!has_group() || subscriptions_.user_assigned()) return;
  maybe_leave_group("the consumer is being closed");
  if (heartbeat_timer_.valid()) env_.cancel_timer(heartbeat_timer_);
  if (poll_timer_.valid()) env_.cancel_timer(poll_timer_);
  failed_ = true;  // nothing more happens in this consumer
  rejoin_needed_ = false;
}

void ConsumerCoordinator::on_timer(TimerTag tag) {
  if (tag == timers_.heartbeat) {
    heartbeat_tick();
  } else if (tag == timers_.poll_timeout) {
    poll_timer_ = TimerId{};
    if (failed_ || env_.now() - last_poll_ < millis(config_.max_poll_interval_ms)) return;
    poll_timer_expired_ = true;
    // The heartbeat thread notices on its next wake-up; do it now.
    if (state_ != MemberState::unjoined) maybe_leave_group("consumer poll timeout has expired.");
  } else if (tag == timers_.retry) {
    retry_armed_ = false;
    if (!coordinator_) find_coordinator();
    if (cb_.on_progress) cb_.on_progress();
  }
}

// --- commits ----------------------------------------------------------------------

void ConsumerCoordinator::commit(std::map<TopicPartition, PartitionPosition> offsets,
                                 std::function<void(const std::vector<CommitOutcome>&)> done) {
  KSIM_ASSERT(has_group());
  PendingCommit c{std::move(offsets), std::move(done), env_.now() + millis(60000)};  // default.api.timeout.ms
  if (c.offsets.empty()) {
    finish_commit(c, {});
    return;
  }
  if (!subscriptions_.user_assigned() && state_ != MemberState::stable) {
    // ConsumerCoordinator.sendOffsetCommitRequest: not in an active group.
    const std::string error = state_ == MemberState::unjoined && generation_.value < 0 ? "COMMIT_FAILED"
                                                                                         : "REBALANCE_IN_PROGRESS";
    std::vector<CommitOutcome> out;
    for (const auto& [tp, pos] : c.offsets) out.push_back({tp, pos.offset, error});
    finish_commit(c, out);
    return;
  }
  ++commits_in_flight_;
  if (!coordinator_) {
    waiting_for_coordinator_.push_back(std::move(c));
    find_coordinator();
    return;
  }
  send_commit(std::move(c));
}

void ConsumerCoordinator::send_commit(PendingCommit c) {
  KSIM_ASSERT(coordinator_);
  OffsetCommitRequest req;
  req.group_id = group_id_;
  if (!subscriptions_.user_assigned()) {
    req.generation_id = generation_;
    req.member_id = member_id_;
    req.group_instance_id = config_.group_instance_id;
  }
  for (const auto& [tp, pos] : c.offsets) req.partitions.push_back(OffsetCommitPartition{tp, pos.offset, pos.epoch, ""});
  auto shared = std::make_shared<PendingCommit>(std::move(c));
  tracker_.send(*coordinator_, std::move(req), millis(config_.request_timeout_ms),
                [this, shared](const Message* response, Errc error) {
                  std::vector<CommitOutcome> out;
                  Errc worst = Errc::none;
                  if (!response) {
                    worst = error;
                  } else {
                    for (const auto& p : std::get<OffsetCommitResponse>(*response).partitions) {
                      auto it = shared->offsets.find(p.tp);
                      if (it == shared->offsets.end()) continue;
                      out.push_back({p.tp, it->second.offset, std::string(error_name(p.error))});
                      if (p.error != Errc::none) worst = p.error;
                    }
                  }
                  if (worst == Errc::coordinator_load_in_progress || is_coordinator_error(worst)) {
                    if (worst != Errc::coordinator_load_in_progress) mark_coordinator_unknown();
                    if (env_.now() < shared->deadline && !failed_) {
                      // commitSync retries retriable errors until its timeout.
                      if (coordinator_) send_commit(std::move(*shared));
                      else waiting_for_coordinator_.push_back(std::move(*shared));
                      return;
                    }
                    if (!response) {
                      for (const auto& [tp, pos] : shared->offsets) out.push_back({tp, pos.offset, std::string(error_name(worst))});
                    }
                  }
                  switch (worst) {
                    case Errc::unknown_member_id:
                    case Errc::illegal_generation:
                      if (!subscriptions_.user_assigned()) reset_generation(worst == Errc::unknown_member_id);
                      break;
                    case Errc::rebalance_in_progress:
                      rejoin_needed_ = true;
                      break;
                    case Errc::fenced_instance_id:
                      --commits_in_flight_;
                      finish_commit(*shared, out);
                      fatal(worst);
                      return;
                    default:
                      break;
                  }
                  --commits_in_flight_;
                  finish_commit(*shared, out);
                }, Channel::coordinator);
}

void ConsumerCoordinator::finish_commit(const PendingCommit& c, const std::vector<CommitOutcome>& outcomes) {
  if (c.done) c.done(outcomes);
}

// --- committed offsets -----------------------------------------------------------------

void ConsumerCoordinator::refresh_committed_offsets() {
  if (!has_group() || offset_fetch_in_flight_ || !coordinator_) {
    if (has_group() && !coordinator_) find_coordinator();
    if (!has_group()) {
      // No group: nothing is committed anywhere; go straight to auto.offset.reset.
      for (const auto& tp : subscriptions_.assigned())
        if (auto* e = subscriptions_.entry(tp); e->awaiting == SubscriptionState::Awaiting::committed_offset)
          e->awaiting = SubscriptionState::Awaiting::reset;
    }
    return;
  }
  if (!subscriptions_.user_assigned() && state_ != MemberState::stable) return;
  OffsetFetchRequest req;
  req.group_id = group_id_;
  for (const auto& tp : subscriptions_.assigned()) {
    auto* e = subscriptions_.entry(tp);
    if (e->awaiting == SubscriptionState::Awaiting::committed_offset) req.partitions.push_back(tp);
  }
  if (req.partitions.empty()) return;
  offset_fetch_in_flight_ = true;
  tracker_.send(*coordinator_, std::move(req), millis(config_.request_timeout_ms),
                [this](const Message* response, Errc error) {
                  offset_fetch_in_flight_ = false;
                  const auto* r = response ? &std::get<OffsetFetchResponse>(*response) : nullptr;
                  const Errc e = r ? r->error : error;
                  if (e != Errc::none) {
                    if (is_coordinator_error(e)) mark_coordinator_unknown();
                    retry_armed_ = true;
                    env_.set_timer(millis(config_.retry_backoff_ms), timers_.retry);
                    return;
                  }
                  for (const auto& p : r->partitions) {
                    auto* entry = subscriptions_.entry(p.tp);
                    if (!entry || entry->awaiting != SubscriptionState::Awaiting::committed_offset) continue;
                    if (p.error != Errc::none) continue;  // asked again on the next poll
                    if (p.committed_offset.value >= 0)
                      subscriptions_.set_position(p.tp, PartitionPosition{p.committed_offset, p.committed_leader_epoch});
                    else
                      entry->awaiting = SubscriptionState::Awaiting::reset;  // nothing committed
                  }
                  if (cb_.on_progress) cb_.on_progress();
                }, Channel::coordinator);
}

void ConsumerCoordinator::check_invariants() const {
  KSIM_ASSERT(commits_in_flight_ >= 0);
  if (state_ == MemberState::stable || state_ == MemberState::completing_rebalance) {
    KSIM_ASSERT(generation_.value >= 0);
    KSIM_ASSERT(!member_id_.empty());
  }
}

}  // namespace ksim
