#pragma once
// Acks: when a partition leader answers a Produce (ProduceRequest.acks, and
// the producer's `acks` config): `none` (0) never, `leader` (1) once the
// leader has appended the batch, `all` (-1) once every in-sync replica has it
// (the HW covers it), and only while the ISR has at least
// min.insync.replicas members.
//
// The enum keeps the wire value, so a request carrying any other value is
// still representable, and is answered INVALID_REQUIRED_ACKS.
#include <cstdint>
#include <string>

namespace ksim {

enum class Acks : int16_t { none = 0, leader = 1, all = -1 };

constexpr int16_t acks_value(Acks acks) { return static_cast<int16_t>(acks); }
constexpr bool is_valid_acks(Acks acks) { return acks == Acks::none || acks == Acks::leader || acks == Acks::all; }
// As the config spells it: "all", "0", "1" (another value in digits).
inline std::string acks_name(Acks acks) { return acks == Acks::all ? "all" : std::to_string(acks_value(acks)); }

}  // namespace ksim
