#include "sim/check/history.h"

#include <algorithm>
#include <cstdio>
#include <type_traits>
#include <variant>

#include "sim/check/history_builder.h"

namespace ksim::check {

std::string PartitionName::str() const { return topic + "-" + std::to_string(partition.value); }

std::string format_ms(SimTime time) {
  char buf[40];
  std::snprintf(buf, sizeof buf, "%.3f ms", static_cast<double>(time.us) / 1000.0);
  return buf;
}

std::span<const LogEntry> Replica::below_hw() const {
  auto end = std::lower_bound(log.begin(), log.end(), hw,
                              [](const LogEntry& e, Offset o) { return e.offset < o; });
  return {log.data(), static_cast<size_t>(end - log.begin())};
}

bool Replica::holds(RecordId record) const {
  return std::any_of(log.begin(), log.end(), [&](const LogEntry& e) { return e.record == record; });
}

std::span<const LogEntry> PartitionHistory::committed_log() const {
  if (committed_replica < 0) return {};
  return replicas[static_cast<size_t>(committed_replica)].below_hw();
}

const Replica* PartitionHistory::find_replica(BrokerId broker) const {
  for (const auto& r : replicas)
    if (r.broker == broker) return &r;
  return nullptr;
}

uint32_t History::overflow_send_index_of(RecordId record) const {
  auto it = std::lower_bound(send_overflow.begin(), send_overflow.end(), record,
                             [](const auto& p, RecordId r) { return p.first < r; });
  if (it == send_overflow.end() || it->first != record) return kNoSend;
  return it->second;
}

const Send* History::find_send(RecordId record) const {
  const uint32_t s = send_index_of(record);
  return s == kNoSend ? nullptr : &sends[s];
}

std::optional<PartitionIndex> History::find_partition(std::string_view topic, PartitionId partition) const {
  auto it = std::lower_bound(partitions.begin(), partitions.end(), std::pair{topic, partition},
                             [](const PartitionHistory& p, const std::pair<std::string_view, PartitionId>& k) {
                               return std::pair<std::string_view, PartitionId>{p.name.topic, p.name.partition} < k;
                             });
  if (it == partitions.end() || it->name.topic != topic || it->name.partition != partition) return std::nullopt;
  return static_cast<PartitionIndex>(it - partitions.begin());
}

std::optional<GroupIndex> History::find_group(std::string_view group) const {
  auto it = std::lower_bound(groups.begin(), groups.end(), group);
  if (it == groups.end() || *it != group) return std::nullopt;
  return static_cast<GroupIndex>(it - groups.begin());
}

std::string_view History::node_name(NodeId node) const {
  return node.value < node_names.size() ? std::string_view(node_names[node.value]) : std::string_view("?");
}

std::string History::record_name(RecordId record) const {
  const NodeId producer = record_producer(record);
  std::string name = producer.value < node_names.size() ? node_names[producer.value]
                                                        : "node" + std::to_string(producer.value);
  return name + "#" + std::to_string(record_send_index(record));
}

std::string History::partition_name(PartitionIndex partition) const {
  return partition < partitions.size() ? partitions[partition].name.str() : "?";
}

std::string History::broker_name(BrokerId broker) const {
  for (size_t n = 0; n < broker_of_node.size(); ++n)
    if (broker_of_node[n] == broker) return node_names[n];
  return "broker " + std::to_string(broker.value);
}

History build_history(const TraceHeader& header, const std::vector<TraceEvent>& events) {
  HistoryBuilder builder;
  for (const auto& e : events) builder.on_event(header, e);
  return std::move(builder).finish(header);
}

}  // namespace ksim::check
