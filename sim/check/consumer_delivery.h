#pragma once
// What a consumer group's application processed: consumer-lost and
// consumer-duplicate. Both read record_processed (the application finished a
// record) and offset_committed; neither looks at polls, which are only what the
// client library handed over.
//
// consumer-lost. For a group g and a partition p, let L be g's last successful
// commit for p (the last offset_committed with error NONE, in run order: where
// the group resumes) and S the group's starting position in p: the lowest
// offset any member polled from p or committed for p. Each record of p's
// committed log (history.h) at an offset in [S, L) that no member of g ever
// processed is one anomaly: the group promised, by committing, that it was
// done, and it never did it. This is at-most-once delivery: committing before
// processing (auto-commit of records still in flight), or a rebalance that
// hands over a partition after an early commit.
//   Jepsen has no consumer-group check of this name; its lost-write requires
//   every value below the highest polled offset to have been polled. ksim's is
//   per group and bounded by the commit, which is the contract Kafka offers.
//   The lower bound S means records before the group started (a group that
//   joined with auto.offset.reset=latest) are not expected; a group that starts
//   from the beginning has S = 0.
//
// consumer-duplicate. A record processed by a group more than once (two
// record_processed events of one group for the same record id, by the same or
// different members, at the same or different offsets) is one anomaly. This is
// at-least-once delivery: a crash or rebalance between processing and commit
// makes the next owner start from the last commit. Kafka allows it unless the
// application uses transactions (exactly-once); a scenario teaching at-least-
// once expects it. Jepsen's analogue is the :duplicate-counts of consume-counts
// (polls per process of a subscribed consumer).
#include "sim/check/check_result.h"
#include "sim/check/check_context.h"

namespace ksim::check {

CheckResult check_consumer_lost(const CheckContext& ctx);
CheckResult check_consumer_duplicate(const CheckContext& ctx);

}  // namespace ksim::check
