// Timeline lines for core/trace/replication_events.h: topics, leaders, ISR, logs, HW, truncation, epochs, fetches served.
#include <variant>

#include "core/base/overloaded.h"
#include "sim/report/event_text_parts.h"

namespace ksim::event_text {

bool describe_replication_event(const TraceHeader& h, const TraceEvent& e, std::ostringstream& out) {
  const std::string_view who = h.node_name(e.node);
  bool described = true;
  std::visit(
      Overloaded{
          [&](const trace::TopicCreated& x) {
            out << who << "  created topic " << x.topic << ": " << x.partitions << " partition"
                << (x.partitions == 1 ? "" : "s") << ", replication factor " << x.replication_factor << ", replicas";
            for (const auto& a : x.assignment) out << " " << ids_text(a);
          },
          [&](const trace::PartitionsAdded& x) {
            out << who << "  added partitions to " << x.topic << ": " << x.first_new << " -> " << x.partitions
                << ", replicas";
            for (const auto& a : x.assignment) out << " " << ids_text(a);
          },
          [&](const trace::PartitionChanged& x) {
            out << who << "  " << partition_text(x.topic, x.partition) << ": ";
            if (x.leader.value < 0) {
              out << "NO LEADER (offline)";
            } else {
              out << "leader " << broker_text(x.leader);
            }
            out << ", epoch " << x.leader_epoch.value << ", ISR " << ids_text(x.isr);
            if (!x.elr.empty()) out << ", ELR " << ids_text(x.elr);
            out << " (" << x.reason << ")";
          },
          [&](const trace::ReplicaRoleChanged& x) {
            out << who << "  " << partition_text(x.topic, x.partition) << ": ";
            if (x.role == "leader") {
              out << "leader, epoch " << x.leader_epoch.value;
            } else if (x.role == "follower" && x.leader.value < 0) {
              out << "follower, no leader yet, epoch " << x.leader_epoch.value;
            } else if (x.role == "follower") {
              out << "follower of " << broker_text(x.leader) << ", epoch " << x.leader_epoch.value;
            } else {
              out << x.role;
            }
          },
          [&](const trace::LogAppended& x) {
            out << who << "  " << partition_text(x.topic, x.partition) << ": " << (x.as_leader ? "appended" : "replicated")
                << " ";
            if (x.records.size() == 1) {
              out << record_text(h, x.records[0]) << " at offset " << x.base_offset.value;
            } else if (!x.records.empty()) {
              out << record_text(h, x.records.front()) << ".." << record_text(h, x.records.back()) << " at offsets "
                  << x.base_offset.value << ".." << x.base_offset.value + static_cast<int64_t>(x.records.size()) - 1;
            }
            out << " (epoch " << x.leader_epoch.value << "), LEO " << x.leo.value;
          },
          [&](const trace::HighWatermarkChanged& x) {
            out << who << "  " << partition_text(x.topic, x.partition) << ": HW " << x.old_hw.value << " -> " << x.hw.value;
          },
          [&](const trace::LogTruncated& x) {
            out << who << "  " << partition_text(x.topic, x.partition) << ": ";
            if (x.reason == "recovery" && x.removed.empty()) {
              out << "log recovered from disk, LEO " << x.to_offset.value;
              return;
            }
            out << "TRUNCATED to offset " << x.to_offset.value;
            if (x.removed.empty()) {
              out << ", nothing removed";
            } else {
              out << ", removing";
              for (RecordId r : x.removed) out << " " << record_text(h, r);
            }
            out << " (" << x.reason << ")";
          },
          [&](const trace::LogRecovered& x) {
            out << who << "  " << partition_text(x.topic, x.partition) << ": log recovered from disk, LEO " << x.leo.value
                << ", HW " << x.hw.value << " (checkpoint), log start " << x.log_start_offset.value;
            if (x.discarded_entries > 0)
              out << "; " << x.discarded_entries << " unreadable batch" << (x.discarded_entries == 1 ? "" : "es")
                  << " cut off";
          },
          [&](const trace::EpochEndOffsetRequested& x) {
            out << who << "  " << partition_text(x.topic, x.partition) << ": asks " << h.node_name(x.to)
                << " where epoch " << x.leader_epoch.value << " ends (OffsetsForLeaderEpoch v" << x.version << ")";
          },
          [&](const trace::EpochEndOffsetAnswered& x) {
            out << who << "  " << partition_text(x.topic, x.partition) << ": answers " << h.node_name(x.to)
                << ": epoch " << x.requested_epoch.value;
            if (x.error != "NONE") {
              out << " -> " << x.error;
            } else if (x.end_offset.value < 0) {
              out << " unknown here (undefined end offset)";
            } else if (x.version == 0) {
              out << " ends at offset " << x.end_offset.value;
            } else {
              out << " -> epoch " << x.leader_epoch.value << " ends at offset " << x.end_offset.value;
            }
            out << " (OffsetsForLeaderEpoch v" << x.version << (x.version == 0 ? ", no epoch in the answer)" : ")");
          },
          [&](const trace::FetchServed& x) {
            out << who << " -> " << h.node_name(x.to) << "  " << partition_text(x.topic, x.partition) << ": served ";
            if (x.records.size() == 1) {
              out << record_text(h, x.records[0]) << " at offset " << x.first_offset.value;
            } else if (!x.records.empty()) {
              out << record_text(h, x.records.front()) << ".." << record_text(h, x.records.back()) << " at offsets "
                  << x.first_offset.value << ".." << x.first_offset.value + static_cast<int64_t>(x.records.size()) - 1;
            }
            out << " (fetch offset " << x.fetch_offset.value << ", HW " << x.high_watermark.value << ")";
          },
          [&](const trace::EpochCacheChanged& x) {
            out << who << "  " << partition_text(x.topic, x.partition) << ": epoch cache";
            if (x.entries.empty()) out << " empty";
            for (const auto& entry : x.entries)
              if (entry.size() == 2) out << " " << entry[0] << "@" << entry[1];
            out << " (" << x.reason << ")";
          },
          [&](const trace::IsrChangeProposed& x) {
            out << who << "  " << partition_text(x.topic, x.partition) << ": proposes ISR " << ids_text(x.proposed_isr)
                << " (" << x.reason << ")";
          },
          [&](const trace::BrokerFencing& x) {
            if (x.fenced && x.reason == "registered") {
              out << who << "  " << broker_text(x.broker) << " registered (fenced until it catches up with the metadata)";
            } else if (!x.fenced && x.reason == "caught_up") {
              out << who << "  " << broker_text(x.broker) << " unfenced (caught up with the metadata)";
            } else if (x.fenced && x.reason == "session_expired") {
              out << who << "  " << broker_text(x.broker) << " FENCED (no heartbeat within broker.session.timeout.ms)";
            } else {
              out << who << "  " << broker_text(x.broker) << (x.fenced ? " FENCED" : " unfenced") << " (" << x.reason << ")";
            }
          },
          [&](const trace::ReplicaFetchFailed& x) {
            out << who << "  " << partition_text(x.topic, x.partition) << ": FETCH FAILED: the batch "
                << x.first_offset.value << ".." << x.last_offset.value << " from " << broker_text(x.leader)
                << " starts below the log end " << x.fetch_offset.value << " (" << x.error
                << "); the partition is marked failed and no longer fetched";
          },
          [&](const auto&) { described = false; },
      },
      e.payload);
  return described;
}

}  // namespace ksim::event_text
