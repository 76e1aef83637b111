#pragma once
// GroupState: the five states of a classic consumer group, and the table of
// legal transitions (Kafka's ClassicGroupState; GroupMetadata.scala before 3.7).
//
//                     +-------------------------------------------+
//                     v                                           |
//   Empty --join--> PreparingRebalance --join phase done--> CompletingRebalance
//     ^                 ^     |    ^                              |
//     |                 |     |    +--member change / sync error--+
//     |   all members   |     |                                   | leader's SyncGroup
//     +---- left -------+     |                                   v   persisted
//                       +-----+--member change / leader rejoin-- Stable
//
//   Legal transitions (to <- from):
//     Empty               <- PreparingRebalance
//     PreparingRebalance  <- Stable, CompletingRebalance, Empty
//     CompletingRebalance <- PreparingRebalance
//     Stable              <- CompletingRebalance
//     Dead                <- Stable, PreparingRebalance, CompletingRebalance, Empty, Dead
//
// Dead is where a group goes when its coordinator unloads it (the offsets
// partition moved away) or it is deleted; nothing leaves Dead.
#include <cstdint>
#include <string_view>

namespace ksim {

enum class GroupState : uint8_t { empty, preparing_rebalance, completing_rebalance, stable, dead };

// Kafka's names: "Empty", "PreparingRebalance", "CompletingRebalance", "Stable", "Dead".
std::string_view group_state_name(GroupState s);
bool is_legal_group_transition(GroupState from, GroupState to);

}  // namespace ksim
