#pragma once
// Why a consumer stopped: the trace event (client_failed) for each error that
// Kafka's consumer throws out of poll() and does not recover from, naming the
// consumer config that led to it. Without it a consumer that stops reads, in the
// trace and in `ksim run`'s summary, like one that polled and found nothing.
//
// The fatal errors ksim's consumer models, where Kafka raises them:
//   INVALID_SESSION_TIMEOUT    JoinGroup: session.timeout.ms outside the brokers'
//                              group.min.session.timeout.ms ..
//                              group.max.session.timeout.ms
//                              (AbstractCoordinator.JoinGroupResponseHandler)
//   GROUP_MAX_SIZE_REACHED     JoinGroup: the group already has group.max.size
//                              members (KIP-389)
//   INCONSISTENT_GROUP_PROTOCOL JoinGroup: no partition.assignment.strategy in
//                              common with the group
//   GROUP_ID_NOT_FOUND         the group is gone (GroupIdNotFoundException)
//   FENCED_INSTANCE_ID         JoinGroup, Heartbeat or OffsetCommit: another
//                              consumer took this group.instance.id (KIP-345)
//   OFFSET_OUT_OF_RANGE        with auto.offset.reset=none, raised as
//                              NoOffsetForPartitionException (no committed
//                              offset: OffsetFetcher.resetPositionsIfNeeded),
//                              OffsetOutOfRangeException (Fetch answered
//                              OFFSET_OUT_OF_RANGE: FetchCollector) or
//                              LogTruncationException (KIP-320 validation
//                              found the log diverged: OffsetFetcherUtils)
#include <optional>
#include <string_view>

#include "core/consumer/consumer_config.h"
#include "core/protocol/errors.h"
#include "core/protocol/topic_partition.h"
#include "core/trace/client_events.h"

namespace ksim {

// `exception` overrides the Java exception of `error` where one error code
// stands for several (OFFSET_OUT_OF_RANGE); empty: the error's own.
trace::ClientFailed describe_consumer_failure(Errc error, const ConsumerConfig& config,
                                              const std::optional<TopicPartition>& partition,
                                              std::string_view exception = {});

}  // namespace ksim
