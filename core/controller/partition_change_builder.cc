#include "core/controller/partition_change_builder.h"

#include <algorithm>
#include <set>

#include "core/base/assert.h"
#include "core/base/contains.h"

namespace ksim {
PartitionChangeBuilder::PartitionChangeBuilder(const PartitionRecord& partition, LeaderAcceptor is_acceptable_leader,
                                               int32_t min_isr)
    : partition_(partition),
      is_acceptable_leader_(std::move(is_acceptable_leader)),
      min_isr_(min_isr),
      target_isr_(partition.isr) {
  KSIM_ASSERT(!partition.replicas.empty());
}

PartitionChangeBuilder& PartitionChangeBuilder::set_target_isr(std::vector<int32_t> isr) {
  target_isr_ = std::move(isr);
  return *this;
}
PartitionChangeBuilder& PartitionChangeBuilder::set_election(Election e) {
  election_ = e;
  return *this;
}
PartitionChangeBuilder& PartitionChangeBuilder::set_elr_enabled(bool enabled) {
  elr_enabled_ = enabled;
  return *this;
}
PartitionChangeBuilder& PartitionChangeBuilder::set_unclean_shutdown_replica(int32_t broker) {
  unclean_shutdown_replica_ = broker;
  return *this;
}

bool PartitionChangeBuilder::is_valid_new_leader(int32_t replica, const std::vector<int32_t>& target_isr,
                                                 const std::vector<int32_t>& target_elr) const {
  if (replica < 0) return false;
  const bool eligible = contains(target_isr, replica) || (target_isr.empty() && contains(target_elr, replica));
  return eligible && is_acceptable_leader_(replica);
}

bool PartitionChangeBuilder::can_elect_last_known_leader(const std::vector<int32_t>& target_isr,
                                                         const std::vector<int32_t>& target_elr) const {
  if (!elr_enabled_ || !target_isr.empty() || !target_elr.empty()) return false;
  if (partition_.last_known_elr.size() != 1) return false;
  return is_acceptable_leader_(partition_.last_known_elr[0]);
}

PartitionChangeBuilder::Elected PartitionChangeBuilder::elect(const std::vector<int32_t>& target_isr,
                                                              const std::vector<int32_t>& target_elr) const {
  const auto& replicas = partition_.replicas;
  const int32_t current = partition_.leader.value;
  auto valid = [&](int32_t r) { return is_valid_new_leader(r, target_isr, target_elr); };

  if (election_ == Election::preferred) {
    if (valid(replicas[0])) return {replicas[0], false};
    if (valid(current)) return {current, false};
    for (size_t i = 1; i < replicas.size(); ++i)
      if (valid(replicas[i])) return {replicas[i], false};
    if (can_elect_last_known_leader(target_isr, target_elr)) return {partition_.last_known_elr[0], true};
    return {-1, false};
  }

  if (valid(current)) return {current, false};
  for (int32_t r : replicas)
    if (valid(r)) return {r, false};
  if (can_elect_last_known_leader(target_isr, target_elr)) return {partition_.last_known_elr[0], true};
  if (election_ == Election::unclean)
    for (int32_t r : replicas)
      if (is_acceptable_leader_(r)) return {r, true};
  return {-1, false};
}

std::optional<PartitionChange> PartitionChangeBuilder::build() const {
  const PartitionRecord& p = partition_;
  std::vector<int32_t> target_isr = target_isr_;
  std::vector<int32_t> target_elr = p.elr;

  // 1. KIP-966: who leaves the ISR below min ISR stays electable.
  if (elr_enabled_) {
    if (static_cast<int32_t>(target_isr.size()) >= min_isr_) {
      target_elr.clear();
    } else {
      std::set<int32_t> candidates(target_elr.begin(), target_elr.end());
      candidates.insert(p.isr.begin(), p.isr.end());
      target_elr.clear();
      for (int32_t r : candidates)
        if (!contains(target_isr, r) && r != unclean_shutdown_replica_) target_elr.push_back(r);
    }
  }

  // 2. Election.
  PartitionChange change;
  std::optional<std::vector<int32_t>> new_isr;
  const Elected elected = elect(target_isr, target_elr);
  if (elected.node != p.leader.value) {
    change.leader_changed = true;
    change.unclean = elected.unclean;
    if (contains(target_elr, elected.node)) {
      change.elected_from_elr = true;
      target_isr = {elected.node};
      target_elr.erase(std::find(target_elr.begin(), target_elr.end(), elected.node));
    }
    // An unclean leader forcibly becomes the whole ISR: this can lose data.
    if (elected.unclean) new_isr = std::vector<int32_t>{elected.node};
  }
  const int32_t new_leader = change.leader_changed ? elected.node : p.leader.value;

  // An unclean election, or ELR being off, leaves no ELR.
  if (new_isr || !elr_enabled_) target_elr.clear();

  // 3. The ISR; with ELR off it is never emptied.
  if (!new_isr && (!target_isr.empty() || elr_enabled_) && target_isr != p.isr) new_isr = target_isr;

  // 4. The last known leader (balanced recovery). Kafka leaves the field alone
  // with ELR off.
  std::vector<int32_t> last_known_elr = p.last_known_elr;
  if (elr_enabled_) {
    const bool isr_emptied = new_isr && new_isr->empty();
    if (isr_emptied && (p.last_known_elr.size() != 1 || p.last_known_elr[0] != p.leader.value)) {
      // Kafka would store -1 when the partition was already leaderless; ksim
      // keeps what it had then (there is no leader to remember).
      if (p.leader.value >= 0) last_known_elr = {p.leader.value};
    } else if (new_leader >= 0 && !p.last_known_elr.empty()) {
      last_known_elr.clear();
    }
  }

  // 5. Compose and bump epochs.
  PartitionRecord& next = change.record;
  next = p;
  next.isr = new_isr.value_or(p.isr);
  next.elr = target_elr;
  next.last_known_elr = last_known_elr;
  next.leader = BrokerId(new_leader);
  if (!change.leader_changed && next.isr == p.isr && next.elr == p.elr && next.last_known_elr == p.last_known_elr)
    return std::nullopt;
  if (change.leader_changed) next.leader_epoch = p.leader_epoch + 1;
  next.partition_epoch = p.partition_epoch + 1;
  return change;
}

}  // namespace ksim
