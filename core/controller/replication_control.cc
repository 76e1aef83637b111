#include "core/controller/replication_control.h"

#include <algorithm>
#include <optional>
#include <set>

#include "core/base/assert.h"
#include "core/base/contains.h"
#include "core/controller/replica_placer.h"

namespace ksim {
namespace {

std::vector<int32_t> without(const std::vector<int32_t>& v, int32_t a, int32_t b) {
  std::vector<int32_t> out;
  for (int32_t x : v)
    if (x != a && x != b) out.push_back(x);
  return out;
}

}  // namespace

// --- topics -----------------------------------------------------------------

namespace {

// ReplicationControlManager.validateManualPartitionAssignment: every broker
// registered, no broker twice, one replication factor throughout (that of
// `expected_rf` when given, else the first list's).
std::optional<std::string> validate_manual_assignment(const MetadataImage& image,
                                                      const std::vector<std::vector<int32_t>>& assignment,
                                                      std::optional<size_t> expected_rf) {
  for (const auto& replicas : assignment) {
    if (replicas.empty()) return "The manual partition assignment includes an empty replica list.";
    std::set<int32_t> seen;
    for (int32_t b : replicas) {
      if (!image.broker(BrokerId(b)))
        return "The manual partition assignment includes broker " + std::to_string(b) +
               ", but no such broker is registered.";
      if (!seen.insert(b).second)
        return "The manual partition assignment includes the broker " + std::to_string(b) + " more than once.";
    }
    const size_t rf = expected_rf.value_or(assignment[0].size());
    if (replicas.size() != rf)
      return "The manual partition assignment includes a partition with " + std::to_string(replicas.size()) +
             " replica(s), but this is not consistent with previous partitions, which have " + std::to_string(rf) +
             " replica(s).";
  }
  return std::nullopt;
}

}  // namespace

ReplicationControl::CreateTopicResult ReplicationControl::create_topic(
    const std::string& name, int32_t partitions, int32_t replication_factor,
    const std::vector<std::vector<int32_t>>& assignment, const std::map<std::string, std::string>& configs,
    Rng& rng) const {
  CreateTopicResult result;
  auto fail = [&](Errc e, std::string message) {
    result.error = e;
    result.message = std::move(message);
    result.records.clear();
    result.assignment.clear();
    return result;
  };
  if (name.empty()) return fail(Errc::invalid_request, "Topic name is empty.");
  if (image_.topic(name)) return fail(Errc::topic_already_exists, "Topic '" + name + "' already exists.");
  for (const auto& [key, value] : configs) {
    std::string problem = validate_topic_config(key, value);
    if (!problem.empty()) return fail(Errc::invalid_config, problem);
  }

  if (!assignment.empty()) {
    if (auto problem = validate_manual_assignment(image_, assignment, std::nullopt))
      return fail(Errc::invalid_replica_assignment, *problem);
    result.assignment = assignment;
  } else {
    const int32_t rf = replication_factor == -1 ? config_.default_replication_factor : replication_factor;
    const int32_t n = partitions == -1 ? config_.num_partitions : partitions;
    if (rf <= 0)
      return fail(Errc::invalid_replication_factor,
                  "Replication factor must be larger than 0, or -1 to use the default value.");
    if (n <= 0) return fail(Errc::invalid_partitions, "Number of partitions was set to an invalid non-positive value.");
    std::vector<PlacementBroker> usable;
    for (const auto& [id, info] : image_.brokers())
      if (image_.is_active(info.id)) usable.push_back({id, info.rack});
    ReplicaPlacement placement = place_replicas(std::move(usable), n, rf, rng);
    if (placement.error != Errc::none)
      return fail(placement.error,
                  "Unable to replicate the partition " + std::to_string(rf) + " time(s): " + placement.message);
    result.assignment = std::move(placement.assignment);
  }

  result.records.push_back({TopicRecord{name, static_cast<int32_t>(result.assignment.size()), configs}, "created"});
  const TopicName topic_name(name);  // one name for all the topic's records (topic_name.h)
  for (size_t p = 0; p < result.assignment.size(); ++p) {
    const auto& replicas = result.assignment[p];
    PartitionRecord record;
    record.topic = topic_name;
    record.partition = PartitionId(static_cast<int32_t>(p));
    record.replicas = replicas;
    for (int32_t b : replicas)
      if (image_.is_active(BrokerId(b))) record.isr.push_back(b);
    if (record.isr.empty())
      return fail(assignment.empty() ? Errc::invalid_replication_factor : Errc::invalid_replica_assignment,
                  "All brokers specified for partition " + std::to_string(p) +
                      " are fenced or in controlled shutdown.");
    record.leader = BrokerId(record.isr[0]);
    record.leader_epoch = LeaderEpoch(0);
    record.partition_epoch = 0;
    result.records.push_back({std::move(record), "created"});
  }
  return result;
}

ReplicationControl::CreatePartitionsResult ReplicationControl::create_partitions(
    const std::string& name, int32_t count, const std::vector<std::vector<int32_t>>& assignment) const {
  CreatePartitionsResult result;
  auto fail = [&](Errc e, std::string message) {
    result = CreatePartitionsResult{};
    result.error = e;
    result.message = std::move(message);
    return result;
  };
  const TopicRecord* topic = image_.topic(name);
  const PartitionRecord* first = image_.partition({name, PartitionId(0)});
  if (!topic || !first) return fail(Errc::unknown_topic_or_partition, "This server does not host this topic-partition.");
  const int32_t current = topic->partitions;
  if (count == current) return fail(Errc::invalid_partitions, "Topic already has " + std::to_string(current) + " partition(s).");
  if (count < current)
    return fail(Errc::invalid_partitions, "The topic " + name + " currently has " + std::to_string(current) +
                                              " partition(s); " + std::to_string(count) + " would not be an increase.");
  const int32_t additional = count - current;
  const auto rf = static_cast<int32_t>(first->replicas.size());
  result.first_new = current;

  if (!assignment.empty()) {
    if (static_cast<int32_t>(assignment.size()) != additional)
      return fail(Errc::invalid_replica_assignment, "Attempted to add " + std::to_string(additional) +
                                                        " additional partition(s), but only " +
                                                        std::to_string(assignment.size()) +
                                                        " assignment(s) were specified.");
    if (auto problem = validate_manual_assignment(image_, assignment, static_cast<size_t>(rf)))
      return fail(Errc::invalid_replica_assignment, *problem);
    result.assignment = assignment;
  } else {
    std::vector<PlacementBroker> usable;
    for (const auto& [id, info] : image_.brokers())
      if (image_.is_active(info.id)) usable.push_back({id, info.rack});
    std::vector<int32_t> ids;
    for (const auto& b : usable) ids.push_back(b.id);
    std::sort(ids.begin(), ids.end());
    const auto at = std::lower_bound(ids.begin(), ids.end(), first->replicas[0]);
    PlacementStart start;
    start.start_index = start.replica_shift = at == ids.end() ? 0 : static_cast<int32_t>(at - ids.begin());
    start.first_partition = current;
    ReplicaPlacement placement = place_replicas(std::move(usable), additional, rf, start);
    if (placement.error != Errc::none)
      return fail(placement.error,
                  "Unable to replicate the partition " + std::to_string(rf) + " time(s): " + placement.message);
    result.assignment = std::move(placement.assignment);
  }

  for (size_t i = 0; i < result.assignment.size(); ++i) {
    PartitionRecord record;
    record.topic = first->topic;  // shares the topic's name
    record.partition = PartitionId(current + static_cast<int32_t>(i));
    record.replicas = result.assignment[i];
    for (int32_t b : record.replicas)
      if (image_.is_active(BrokerId(b))) record.isr.push_back(b);
    if (record.isr.empty())
      return fail(assignment.empty() ? Errc::invalid_replication_factor : Errc::invalid_replica_assignment,
                  assignment.empty()
                      ? "Unable to replicate the partition " + std::to_string(rf) +
                            " time(s): All brokers are currently fenced or in controlled shutdown."
                      : "All brokers specified in the manual partition assignment for partition " +
                            std::to_string(record.partition.value) + " are fenced or in controlled shutdown.");
    record.leader = BrokerId(record.isr[0]);
    record.leader_epoch = LeaderEpoch(0);
    record.partition_epoch = 0;
    result.records.push_back({std::move(record), "created"});
  }
  return result;
}

// --- broker lifecycle ---------------------------------------------------------

void ReplicationControl::handle_broker_fenced(BrokerId broker, const std::string& reason,
                                              ControllerRecords& out) const {
  const BrokerInfo* info = image_.broker(broker);
  KSIM_ASSERT_MSG(info, "fencing unregistered broker " << broker.value);
  generate_leader_and_isr_updates(broker.value, -1, -1, partitions_with_broker_in_isr(broker.value), Cause::fenced,
                                  out);
  if (!info->fenced)
    out.push_back({BrokerRegistrationChangeRecord{broker, info->epoch, true, info->in_controlled_shutdown}, reason});
}

void ReplicationControl::handle_broker_unfenced(BrokerId broker, ControllerRecords& out) const {
  const BrokerInfo* info = image_.broker(broker);
  KSIM_ASSERT_MSG(info, "unfencing unregistered broker " << broker.value);
  out.push_back({BrokerRegistrationChangeRecord{broker, info->epoch, false, info->in_controlled_shutdown}, "caught_up"});
  // The image still shows the broker fenced: count it acceptable explicitly,
  // unless it stays in controlled shutdown (fenced by SHUTDOWN_NOW, then
  // unfenced by a broker that kept heartbeating): it will not be active after
  // this write, so it must not lead. Kafka would elect it here.
  const int32_t to_add = info->in_controlled_shutdown ? -1 : broker.value;
  generate_leader_and_isr_updates(-1, to_add, -1, partitions_with_no_leader(), Cause::unfenced, out);
}

void ReplicationControl::handle_broker_in_controlled_shutdown(BrokerId broker, ControllerRecords& out) const {
  const BrokerInfo* info = image_.broker(broker);
  KSIM_ASSERT_MSG(info, "controlled shutdown of unregistered broker " << broker.value);
  if (!info->in_controlled_shutdown)
    out.push_back({BrokerRegistrationChangeRecord{broker, info->epoch, info->fenced, true}, "controlled_shutdown"});
  generate_leader_and_isr_updates(broker.value, -1, -1, partitions_with_broker_in_isr(broker.value),
                                  Cause::controlled_shutdown, out);
}

void ReplicationControl::handle_broker_unclean_shutdown(BrokerId broker, ControllerRecords& out) const {
  if (!config_.elr_enabled()) return;
  generate_leader_and_isr_updates(-1, -1, broker.value, partitions_with_broker_in_isr(broker.value),
                                  Cause::unclean_shutdown, out);
  generate_leader_and_isr_updates(-1, -1, broker.value, partitions_with_broker_in_elr(broker.value),
                                  Cause::unclean_shutdown, out);
}

void ReplicationControl::generate_leader_and_isr_updates(int32_t broker_to_remove, int32_t broker_to_add,
                                                         int32_t broker_with_unclean_shutdown,
                                                         const std::vector<TopicPartition>& parts, Cause cause,
                                                         ControllerRecords& out) const {
  // A broker being removed is never acceptable (it may still look active in
  // the image); a broker being added is acceptable although the image still
  // shows it fenced (ReplicationControlManager.generateLeaderAndIsrUpdates).
  auto acceptable = [&](int32_t r) {
    return r != broker_to_remove && r != broker_with_unclean_shutdown &&
           (r == broker_to_add || image_.is_active(BrokerId(r)));
  };
  for (const TopicPartition& tp : parts) {
    const PartitionRecord* p = image_.partition(tp);
    KSIM_ASSERT(p);
    PartitionChangeBuilder builder(*p, acceptable, effective_min_isr(image_, config_, tp.topic));
    builder.set_elr_enabled(config_.elr_enabled()).set_election(election_for(tp.topic));
    if (broker_with_unclean_shutdown >= 0) builder.set_unclean_shutdown_replica(broker_with_unclean_shutdown);
    builder.set_target_isr(without(p->isr, broker_to_remove, broker_with_unclean_shutdown));
    if (auto change = builder.build()) out.push_back({change->record, reason_for(*change, *p, cause)});
  }
}

// --- AlterPartition -----------------------------------------------------------

ReplicationControl::AlterPartitionResult ReplicationControl::alter_partition(const AlterPartitionRequest& req) const {
  AlterPartitionResult result;
  AlterPartitionResponse& resp = result.response;
  resp.correlation_id = req.correlation_id;
  resp.topic = req.topic;
  resp.partition = req.partition;
  auto reject = [&](Errc e) {
    resp.error = e;
    return result;
  };

  // ClusterControlManager.checkBrokerEpoch, for the whole request.
  const BrokerInfo* sender = image_.broker(req.broker);
  if (!sender || sender->epoch != req.broker_epoch) return reject(Errc::stale_broker_epoch);

  const TopicPartition tp{req.topic, req.partition};
  const PartitionRecord* p = image_.partition(tp);
  if (!p) return reject(Errc::unknown_topic_or_partition);

  // validateAlterPartitionData, in Kafka's order. An epoch ahead of ours
  // means the sender talked to a newer controller: NOT_CONTROLLER.
  if (req.leader_epoch > p->leader_epoch) return reject(Errc::not_controller);
  if (req.partition_epoch > p->partition_epoch) return reject(Errc::not_controller);
  if (req.leader_epoch < p->leader_epoch) return reject(Errc::fenced_leader_epoch);
  if (req.broker != p->leader) return reject(Errc::invalid_request);
  if (req.partition_epoch < p->partition_epoch) return reject(Errc::invalid_update_version);
  std::set<int32_t> distinct;
  for (int32_t b : req.new_isr)
    if (!contains(p->replicas, b) || !distinct.insert(b).second) return reject(Errc::invalid_request);
  if (!contains(req.new_isr, p->leader.value)) return reject(Errc::invalid_request);
  for (int32_t b : req.new_isr)
    if (!image_.is_active(BrokerId(b))) return reject(Errc::ineligible_replica);

  PartitionChangeBuilder builder(
      *p, [&](int32_t r) { return image_.is_active(BrokerId(r)); }, effective_min_isr(image_, config_, tp.topic));
  builder.set_elr_enabled(config_.elr_enabled()).set_election(election_for(tp.topic)).set_target_isr(req.new_isr);
  PartitionRecord committed = *p;
  if (auto change = builder.build()) {
    result.records.push_back({change->record, reason_for(*change, *p, Cause::alter_partition)});
    committed = change->record;
    // Only a reassignment completing could move leadership here (Kafka answers
    // NEW_LEADER_ELECTED); ksim has none, but keep the answer honest.
    if (committed.leader != req.broker) return reject(Errc::new_leader_elected);
  }
  resp.leader = committed.leader;
  resp.leader_epoch = committed.leader_epoch;
  resp.isr = committed.isr;
  resp.partition_epoch = committed.partition_epoch;
  return result;
}

// --- preferred leaders --------------------------------------------------------

void ReplicationControl::elect_preferred(const TopicPartition& tp, ControllerRecords& out) const {
  const PartitionRecord* p = image_.partition(tp);
  KSIM_ASSERT(p);
  PartitionChangeBuilder builder(
      *p, [&](int32_t r) { return image_.is_active(BrokerId(r)); }, effective_min_isr(image_, config_, tp.topic));
  builder.set_elr_enabled(config_.elr_enabled()).set_election(Election::preferred);
  if (auto change = builder.build()) out.push_back({change->record, reason_for(*change, *p, Cause::preferred)});
}

void ReplicationControl::balance_partition_leaders(ControllerRecords& out) const {
  for (const auto& [tp, p] : image_.partitions()) {
    if (out.size() >= kMaxElectionsPerImbalance) return;
    if (p.leader.value != p.replicas[0]) elect_preferred(tp, out);
  }
}

void ReplicationControl::balance_partition_leaders_by_ratio(ControllerRecords& out) const {
  std::map<int32_t, std::vector<const PartitionRecord*>> by_preferred;
  for (const auto& [tp, p] : image_.partitions()) by_preferred[p.replicas[0]].push_back(&p);
  for (const auto& [preferred, parts] : by_preferred) {
    std::vector<const PartitionRecord*> not_preferred;
    for (const PartitionRecord* p : parts)
      if (p->leader.value != preferred) not_preferred.push_back(p);
    // Integer form of ratio > percentage / 100.
    const int64_t lhs = static_cast<int64_t>(not_preferred.size()) * 100;
    const int64_t rhs = static_cast<int64_t>(config_.leader_imbalance_per_broker_percentage) *
                        static_cast<int64_t>(parts.size());
    if (lhs <= rhs) continue;
    for (const PartitionRecord* p : not_preferred)
      if (contains(p->isr, preferred) && image_.is_active(BrokerId(preferred)))
        elect_preferred(TopicPartition{p->topic, p->partition}, out);
  }
}

bool ReplicationControl::has_leaderships(BrokerId broker) const {
  for (const auto& [tp, p] : image_.partitions())
    if (p.leader == broker) return true;
  return false;
}

bool ReplicationControl::leaders_imbalanced() const {
  for (const auto& [tp, p] : image_.partitions())
    if (p.leader.value != p.replicas[0]) return true;
  return false;
}

// --- helpers ------------------------------------------------------------------

std::vector<TopicPartition> ReplicationControl::partitions_with_broker_in_isr(int32_t broker) const {
  std::vector<TopicPartition> out;
  for (const auto& [tp, p] : image_.partitions())
    if (contains(p.isr, broker)) out.push_back(tp);
  return out;
}

std::vector<TopicPartition> ReplicationControl::partitions_with_broker_in_elr(int32_t broker) const {
  std::vector<TopicPartition> out;
  for (const auto& [tp, p] : image_.partitions())
    if (contains(p.elr, broker)) out.push_back(tp);
  return out;
}

std::vector<TopicPartition> ReplicationControl::partitions_with_no_leader() const {
  std::vector<TopicPartition> out;
  for (const auto& [tp, p] : image_.partitions())
    if (p.leader == kNoBroker) out.push_back(tp);
  return out;
}

Election ReplicationControl::election_for(const std::string& topic) const {
  return effective_unclean_leader_election(image_, config_, topic) ? Election::unclean : Election::online;
}

std::string ReplicationControl::reason_for(const PartitionChange& change, const PartitionRecord& before, Cause cause) {
  if (change.leader_changed) {
    if (change.record.leader == kNoBroker) return "no_leader";
    if (change.unclean) return "unclean_election";
    if (cause == Cause::preferred) return "preferred_election";
    if (cause == Cause::controlled_shutdown) return "controlled_shutdown";
    if (change.elected_from_elr) return "elr_election";
    return "election";
  }
  switch (cause) {
    case Cause::fenced: return "broker_fenced";
    case Cause::controlled_shutdown: return "controlled_shutdown";
    case Cause::unclean_shutdown: return "unclean_shutdown";
    case Cause::alter_partition:
      if (change.record.isr.size() > before.isr.size()) return "isr_expand";
      if (change.record.isr.size() < before.isr.size()) return "isr_shrink";
      return "isr_change";
    case Cause::unfenced:
    case Cause::preferred:
      break;
  }
  return "election";
}

}  // namespace ksim
