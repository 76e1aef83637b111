#pragma once
// unexpected: a record in a log, or returned by a poll, that no producer sent.
//
// Definition. Every record id a broker appended (log_appended, at any time,
// on any replica, committed or not) or a consumer polled is looked up among the
// producer_send events of the run. Each distinct record id with no send is one
// anomaly, reported where it was first seen. Nothing in a correct broker
// invents records, so this finds corruption: a mangled batch, an offset that
// points at the wrong record, a trace emitted with the wrong ids.
//
// Jepsen has no separate check by this name: its lost-write and version-order
// analyses throw when a read value has no writer (:no-writer-of). ksim reports
// it as an anomaly with the first place it was seen.
#include "sim/check/check_result.h"
#include "sim/check/check_context.h"

namespace ksim::check {

CheckResult check_unexpected(const CheckContext& ctx);

}  // namespace ksim::check
