#include "sim/report/event_text.h"

#include <cstdio>
#include <sstream>
#include <type_traits>

#include "core/base/overloaded.h"
#include "sim/trace/field_visit.h"

namespace ksim {
namespace {

// key=value for any event without a hand-written line.
struct GenericFields {
  std::ostringstream& out;
  const TraceHeader& header;
  template <class T>
  void value(const T& v) {
    if constexpr (std::is_same_v<T, bool>) {
      out << (v ? "true" : "false");
    } else if constexpr (std::is_integral_v<T> || std::is_same_v<T, std::string> ||
                         std::is_same_v<T, std::string_view>) {
      out << v;
    } else if constexpr (std::is_same_v<T, NodeId>) {
      out << header.node_name(v);
    } else if constexpr (std::is_same_v<T, SimTime> || std::is_same_v<T, Duration>) {
      out << v.us / 1000.0 << "ms";
    } else if constexpr (requires { v.value; }) {
      out << v.value;
    } else {
      out << '[';
      bool first = true;
      for (const auto& x : v) {
        if (!first) out << ',';
        first = false;
        value(x);
      }
      out << ']';
    }
  }
  template <class T>
  void operator()(const char* name, const T& v) {
    out << ' ' << name << '=';
    value(v);
  }
};

std::string ids_text(const std::vector<int32_t>& ids) {
  std::string out = "[";
  for (size_t i = 0; i < ids.size(); ++i) out += (i ? "," : "") + std::to_string(ids[i]);
  return out + "]";
}

std::string partition_text(const std::string& topic, PartitionId p) { return topic + "-" + std::to_string(p.value); }

std::string broker_text(BrokerId b) { return b.value < 0 ? "none" : "broker-" + std::to_string(b.value); }

}  // namespace

std::string format_time(SimTime t) {
  char buf[32];
  std::snprintf(buf, sizeof buf, "%10.3f ms", static_cast<double>(t.us) / 1000.0);
  return buf;
}

bool is_notable(const TraceEvent& e) {
  // Routine traffic and bookkeeping, and the repeated consequences of a fault
  // that is already on screen (messages lost to a cut link or a dead peer,
  // held messages), only with -v. Faults, lifecycle, the controller's and the
  // replicas' decisions, truncations and what clients saw are notable.
  if (const auto* d = std::get_if<trace::MessageDropped>(&e.payload))
    return d->reason == "fault_rule" || d->reason == "lossy_link";
  if (const auto* t = std::get_if<trace::LogTruncated>(&e.payload))
    return !t->removed.empty() || t->reason == "recovery";
  // A producer's first attempts and plain acknowledgements repeat what
  // producer_acked says; retries, errors and expiries are the story.
  if (const auto* a = std::get_if<trace::ProducerAttempt>(&e.payload)) return a->attempt > 1;
  if (const auto* r = std::get_if<trace::ProducerResponse>(&e.payload)) return r->outcome != "acked" || r->error != "NONE";
  // A consumer's accepted commit repeats the coordinator's "committed" line; a
  // refused one (the zombie's COMMIT_FAILED) is the story.
  if (const auto* c = std::get_if<trace::OffsetCommitted>(&e.payload)) return c->error != "NONE";
  return !std::holds_alternative<trace::MessageSent>(e.payload) &&
         !std::holds_alternative<trace::MessageDelivered>(e.payload) &&
         !std::holds_alternative<trace::MessageHeld>(e.payload) &&
         !std::holds_alternative<trace::DiskFlushed>(e.payload) &&
         !std::holds_alternative<trace::ConnectionLost>(e.payload) &&
         !std::holds_alternative<trace::LogAppended>(e.payload) &&
         !std::holds_alternative<trace::HighWatermarkChanged>(e.payload) &&
         !std::holds_alternative<trace::EpochCacheChanged>(e.payload) &&
         !std::holds_alternative<trace::EpochEndOffsetRequested>(e.payload) &&
         !std::holds_alternative<trace::FetchServed>(e.payload) &&
         !std::holds_alternative<trace::ProducerSend>(e.payload);
}

std::string record_text(const TraceHeader& header, RecordId record) {
  return std::string(header.node_name(record_producer(record))) + "#" + std::to_string(record_send_index(record));
}

std::string describe_event(const TraceHeader& h, const TraceEvent& e) {
  std::ostringstream out;
  const std::string_view who = h.node_name(e.node);
  std::visit(
      Overloaded{
          [&](const trace::NodeStarted& x) {
            out << who << "  started" << (x.incarnation > 1 ? " again (incarnation " + std::to_string(x.incarnation) + ")" : "");
          },
          [&](const trace::NodeCrashed& x) { out << who << "  CRASHED" << (x.power_loss ? " (power loss)" : " (process)"); },
          [&](const trace::NodePaused& x) { out << who << "  paused for " << x.duration.us / 1000.0 << " ms"; },
          [&](const trace::NodeResumed& x) { out << who << "  resumed; " << x.deferred_events << " events ran late"; },
          [&](const trace::MessageSent& x) {
            out << who << " -> " << h.node_name(x.to) << "  " << x.type << " #" << x.msg_id << " (" << x.bytes
                << " B, arrives " << x.deliver_at.us / 1000.0 << " ms)";
          },
          [&](const trace::MessageDelivered& x) {
            out << h.node_name(x.from) << " -> " << who << "  " << x.type << " #" << x.msg_id << " delivered";
          },
          [&](const trace::MessageDropped& x) {
            out << who << " -> " << h.node_name(x.to) << "  " << x.type << " #" << x.msg_id << " LOST (" << x.reason << ")";
          },
          [&](const trace::MessageHeld& x) {
            out << who << " -> " << h.node_name(x.to) << "  " << x.type << " #" << x.msg_id << " held by a fault rule";
          },
          [&](const trace::LinkChanged& x) {
            out << "link " << who << " <-> " << h.node_name(x.peer) << "  "
                << (x.up_to_peer && x.up_from_peer ? "up"
                    : !x.up_to_peer && !x.up_from_peer ? "CUT"
                    : x.up_to_peer ? "cut one way (" + std::string(h.node_name(x.peer)) + " -> " + std::string(who) + ")"
                                   : "cut one way (" + std::string(who) + " -> " + std::string(h.node_name(x.peer)) + ")");
          },
          [&](const trace::ConnectionLost& x) { out << who << "  noticed its connection to " << h.node_name(x.peer) << " broke"; },
          [&](const trace::DiskFlushed& x) {
            out << who << "  disk: " << x.file << " durable up to " << x.durable_entries << " entries" << (x.fsync ? " (fsync)" : "");
          },
          [&](const trace::DiskLost& x) {
            out << who << "  disk: " << x.file << " lost unflushed writes (" << x.entries_before << " -> " << x.entries_after
                << " entries)";
          },
          [&](const trace::FaultInjected& x) { out << "FAULT " << x.fault << ": " << x.detail; },
          [&](const trace::Note& x) { out << who << "  " << x.text; },
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
          [&](const trace::ProducerSend& x) {
            out << who << "  send " << record_text(h, x.record) << " to " << partition_text(x.topic, x.partition);
          },
          [&](const trace::ProducerAcked& x) {
            out << who << "  acked " << record_text(h, x.record) << " at " << partition_text(x.topic, x.partition);
            if (x.offset.value >= 0) out << " offset " << x.offset.value;
            else out << " (no offset: acks=0)";
          },
          [&](const trace::ProducerAttempt& x) {
            out << who << "  " << (x.attempt > 1 ? "RETRY " : "produce ") << "batch " << x.batch << " (";
            if (!x.records.empty()) out << record_text(h, x.records.front());
            if (x.records.size() > 1) out << ".." << record_text(h, x.records.back());
            out << ") to " << partition_text(x.topic, x.partition) << " at " << h.node_name(x.broker) << ", attempt "
                << x.attempt;
            if (x.producer_id.value >= 0)
              out << ", producer id " << x.producer_id.value << " epoch " << x.producer_epoch.value << " sequence "
                  << x.base_sequence.value;
          },
          [&](const trace::ProducerResponse& x) {
            out << who << "  batch " << x.batch << " to " << partition_text(x.topic, x.partition) << " attempt "
                << x.attempt << ": " << x.error;
            if (x.base_offset.value >= 0) out << " at offset " << x.base_offset.value;
            out << " -> " << x.outcome;
          },
          [&](const trace::ProducerIdChanged& x) {
            out << who << "  producer id " << x.producer_id.value << ", epoch " << x.producer_epoch.value << " ("
                << (x.reason == "epoch_bump" ? "epoch bumped after a sequence error, KIP-360" : "InitProducerId") << ")";
          },
          [&](const trace::ProducerFailed& x) {
            out << who << "  FAILED " << record_text(h, x.record) << " to " << partition_text(x.topic, x.partition) << ": "
                << x.error;
          },
          [&](const trace::ProduceDuplicate& x) {
            out << who << "  " << partition_text(x.topic, x.partition) << ": DUPLICATE from producer "
                << x.producer_id.value << " (epoch " << x.producer_epoch.value << ", seq " << x.first_sequence.value
                << ".." << x.last_sequence.value << "): already at offsets " << x.base_offset.value << ".."
                << x.last_offset.value << ", not appended again";
          },
          [&](const trace::ProduceRejectedSequence& x) {
            out << who << "  " << partition_text(x.topic, x.partition) << ": REJECTED batch of producer "
                << x.producer_id.value << " (epoch " << x.producer_epoch.value << ", seq " << x.first_sequence.value
                << ".." << x.last_sequence.value << "): " << x.error << " (stored epoch " << x.stored_epoch.value
                << ", last seq " << x.stored_last_sequence.value << ")";
          },
          [&](const trace::ProducerIdBlockAllocated& x) {
            out << who << "  producer ids " << x.first_producer_id.value << ".."
                << x.first_producer_id.value + x.count - 1 << " allocated to " << broker_text(x.broker);
          },
          [&](const trace::ProducerIdAllocated& x) {
            out << who << "  " << h.node_name(x.client) << " is producer " << x.producer_id.value << " (epoch "
                << x.producer_epoch.value << ")";
          },
          [&](const trace::GroupStateChanged& x) {
            out << who << "  group " << x.group << ": " << x.from << " -> " << x.to << ", generation "
                << x.generation.value << " (" << x.reason << ")";
          },
          [&](const trace::MemberJoined& x) {
            out << who << "  group " << x.group << ": member " << x.member << " joined";
            if (!x.instance.empty()) out << " (static, group.instance.id " << x.instance << ")";
          },
          [&](const trace::MemberRemoved& x) {
            out << who << "  group " << x.group << ": member " << x.member << " REMOVED (" << x.reason << ")";
          },
          [&](const trace::GroupStable& x) {
            out << who << "  group " << x.group << ": generation " << x.generation.value << " Stable, leader "
                << x.leader << ", " << x.protocol << ", " << x.members.size() << " member"
                << (x.members.size() == 1 ? "" : "s");
          },
          [&](const trace::OffsetsCommitted& x) {
            out << who << "  group " << x.group << ": committed";
            for (size_t i = 0; i < x.partitions.size() && i < x.offsets.size(); ++i)
              out << " " << x.partitions[i] << "@" << x.offsets[i].value;
            out << " (generation " << x.generation.value << ")";
          },
          [&](const trace::CoordinatorLoaded& x) {
            out << who << "  coordinator for __consumer_offsets-" << x.partition.value << " loaded: " << x.groups
                << " group" << (x.groups == 1 ? "" : "s") << ", " << x.offsets << " offset"
                << (x.offsets == 1 ? "" : "s") << " in " << x.load_time_us / 1000.0 << " ms";
          },
          [&](const trace::CoordinatorUnloaded& x) {
            out << who << "  no longer coordinator for __consumer_offsets-" << x.partition.value << " (" << x.groups
                << " group" << (x.groups == 1 ? "" : "s") << " unloaded)";
          },
          [&](const trace::ReplicaFetchFailed& x) {
            out << who << "  " << partition_text(x.topic, x.partition) << ": FETCH FAILED: the batch "
                << x.first_offset.value << ".." << x.last_offset.value << " from " << broker_text(x.leader)
                << " starts below the log end " << x.fetch_offset.value << " (" << x.error
                << "); the partition is marked failed and no longer fetched";
          },
          [&](const trace::ClientFailed& x) {
            out << who << "  STOPPED: fatal " << x.error << " (" << x.exception << ")";
            if (!x.partition.empty()) out << " on " << x.partition;
            if (!x.config.empty()) out << ", caused by " << x.config;
            out << ": " << x.reason;
          },
          [&](const auto& x) {
            out << who << "  " << std::decay_t<decltype(x)>::kKind;
            GenericFields g{out, h};
            std::decay_t<decltype(x)>::fields(x, g);
          },
      },
      e.payload);
  return out.str();
}

}  // namespace ksim
