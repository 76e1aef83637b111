#pragma once
// The fault kinds, one file each (sim/fault/fault_kind.h says what a kind
// defines), and the few faults other code builds directly: the explorer's
// window endings and heal phase.
#include "sim/fault/fault_kind.h"

namespace ksim::faults {

const FaultKind& crash();
const FaultKind& power_loss();
const FaultKind& restart();
const FaultKind& pause();
const FaultKind& controlled_shutdown();
const FaultKind& isolate();
const FaultKind& heal();
const FaultKind& partition();
const FaultKind& cut();
const FaultKind& slow_link();
const FaultKind& lossy_link();
const FaultKind& drop();
const FaultKind& hold();
const FaultKind& release();
const FaultKind& leave();
const FaultKind& add_partitions();
const FaultKind& create_topic();

FaultAction make_restart(FaultTarget target);
FaultAction make_heal_all();
FaultAction make_heal_link(FaultTarget a, FaultTarget b);

// A crash's window (crash, power_loss): the crash at the start, a restart at
// the end of the named node, or of every broker after a crash by role (which
// broker it hit is known only when it fires; restarting a running one is
// skipped).
void draw_crash_window(FaultDraw& d, FaultAction (*make)(FaultTarget));

}  // namespace ksim::faults
