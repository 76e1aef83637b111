#pragma once
// Kafka's error codes (org.apache.kafka.common.protocol.Errors), the subset
// ksim's protocol returns. Expected failures travel as these values; a bug is a
// KSIM_ASSERT. Names print exactly as Kafka's (NOT_ENOUGH_REPLICAS), numbers
// are Kafka's wire codes.
#include <cstdint>
#include <string_view>

namespace ksim {

enum class Errc : int16_t {
  unknown_server_error = -1,
  none = 0,
  offset_out_of_range = 1,
  corrupt_message = 2,
  unknown_topic_or_partition = 3,
  leader_not_available = 5,
  not_leader_or_follower = 6,
  request_timed_out = 7,
  message_too_large = 10,
  network_exception = 13,
  coordinator_load_in_progress = 14,
  coordinator_not_available = 15,
  not_coordinator = 16,
  record_list_too_large = 18,
  not_enough_replicas = 19,
  not_enough_replicas_after_append = 20,
  invalid_required_acks = 21,
  illegal_generation = 22,
  inconsistent_group_protocol = 23,
  unknown_member_id = 25,
  invalid_session_timeout = 26,
  rebalance_in_progress = 27,
  topic_already_exists = 36,
  invalid_partitions = 37,
  invalid_replication_factor = 38,
  invalid_replica_assignment = 39,
  invalid_config = 40,
  not_controller = 41,
  invalid_request = 42,
  out_of_order_sequence_number = 45,
  duplicate_sequence_number = 46,
  invalid_producer_epoch = 47,
  operation_not_attempted = 55,
  kafka_storage_error = 56,
  unknown_producer_id = 59,
  group_id_not_found = 69,
  fetch_session_id_not_found = 70,  // KIP-227: an incremental fetch names a session the broker does not have
  invalid_fetch_session_epoch = 71,  // KIP-227: the session exists but the request's epoch is not the next one
  fenced_leader_epoch = 74,
  unknown_leader_epoch = 75,
  stale_broker_epoch = 77,
  offset_not_available = 78,
  member_id_required = 79,
  preferred_leader_not_available = 80,
  group_max_size_reached = 81,
  fenced_instance_id = 82,
  eligible_leaders_not_available = 83,
  election_not_needed = 84,
  producer_fenced = 90,
  invalid_update_version = 95,
  duplicate_broker_registration = 101,
  broker_id_not_registered = 102,
  ineligible_replica = 107,
  new_leader_elected = 108,
};

// "NOT_ENOUGH_REPLICAS"
std::string_view error_name(Errc e);
// Whether Kafka's client treats it as retriable (a RetriableException, or an
// InvalidMetadataException that triggers a metadata refresh and a retry).
bool is_retriable(Errc e);
// Whether the client should refresh metadata before retrying (the leader moved).
bool is_invalid_metadata(Errc e);

}  // namespace ksim
