#include "core/consumer/consumer_failure.h"

#include <string>

namespace ksim {
namespace {

std::string strategies(const ConsumerConfig& config) {
  std::string out;
  for (const group::Assignor* a : config.assignors) out += (out.empty() ? "" : ",") + std::string(a->name());
  return out;
}

std::string group_id(const ConsumerConfig& config) { return config.group_id.value_or(""); }

}  // namespace

trace::ClientFailed describe_consumer_failure(Errc error, const ConsumerConfig& config,
                                              const std::optional<TopicPartition>& partition,
                                              std::string_view exception) {
  trace::ClientFailed f;
  f.client = "consumer";
  f.group = group_id(config);
  f.error = std::string(error_name(error));
  f.partition = partition ? partition->str() : "";
  switch (error) {
    case Errc::invalid_session_timeout:
      f.exception = "InvalidSessionTimeoutException";
      f.config = "session.timeout.ms=" + std::to_string(config.session_timeout_ms);
      f.reason = "the group coordinator accepts session.timeout.ms only between the brokers' "
                 "group.min.session.timeout.ms and group.max.session.timeout.ms";
      break;
    case Errc::group_max_size_reached:
      f.exception = "GroupMaxSizeReachedException";
      f.config = "group.id=" + f.group;
      f.reason = "the group already has the brokers' group.max.size members";
      break;
    case Errc::inconsistent_group_protocol:
      f.exception = "InconsistentGroupProtocolException";
      f.config = "partition.assignment.strategy=" + strategies(config);
      f.reason = "none of its assignment strategies is one every member of the group supports";
      break;
    case Errc::group_id_not_found:
      f.exception = "GroupIdNotFoundException";
      f.config = "group.id=" + f.group;
      f.reason = "the group coordinator does not know the group";
      break;
    case Errc::fenced_instance_id:
      f.exception = "FencedInstanceIdException";
      f.config = "group.instance.id=" + config.group_instance_id.value_or("");
      f.reason = "another consumer joined with the same group.instance.id and fenced this one (KIP-345)";
      break;
    case Errc::offset_out_of_range:
      f.exception = "OffsetOutOfRangeException";
      f.config = "auto.offset.reset=" + std::string(to_string(config.auto_offset_reset));
      f.reason = "the consumer has no valid position in the partition and auto.offset.reset=none forbids "
                 "choosing one";
      break;
    default:
      f.exception = "KafkaException";
      f.reason = "a fatal error";
      break;
  }
  if (!exception.empty()) f.exception = std::string(exception);
  return f;
}

}  // namespace ksim
