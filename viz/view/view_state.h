#pragma once
// ViewState: everything the panels share about what the user is looking at:
// the cursor (a step of the trace and a virtual time), playback, the
// selection, the event filters, display choices. Panels read it and ask for
// changes through it; the app applies a requested seek between frames, so
// every panel of one frame draws the same step. No panel keeps UI state in
// function statics: what one panel needs alone lives in that panel's object.
#include <array>
#include <cstdint>
#include <optional>
#include <string>

#include "core/base/ids.h"
#include "core/base/time.h"
#include "viz/model/event_index.h"
#include "viz/model/replay_model.h"

namespace ksim::viz {

// Where the user is: after `step` events, at virtual time `time`. While
// playing, time runs continuously and step follows it (every event at or
// before time); when stepping, time is the last applied event's time.
struct Cursor {
  uint64_t step = 0;
  SimTime time;
  bool operator==(const Cursor&) const = default;
};

enum class CellColouring : uint8_t { leader_epoch, producer };

struct PanelVisibility {
  bool cluster = true;
  bool partitions = true;
  bool groups = true;
  bool timeline = true;
  bool events = true;
  bool inspector = true;
  bool checks = true;
};

struct EventFilter {
  std::array<bool, kKindCount> hidden{};  // by payload kind index
  NodeId node = kNoNode;                  // kNoNode: every node
  std::string text;                       // case-insensitive substring of the event's line
  uint64_t revision = 0;                  // bumped on every change, so caches know
};

struct ViewState {
  Cursor cursor;
  std::optional<Cursor> seek_request;  // applied by the app before the next frame
  uint64_t cursor_moves = 0;           // bumped whenever the cursor moves
  bool moved_by_events_panel = false;  // the last move came from clicking a row there

  bool playing = false;
  double speed_ms_per_s = 50;  // virtual milliseconds per wall-clock second

  NodeId selected_node = kNoNode;
  std::optional<RecordId> selected_record;

  EventFilter filter;
  CellColouring colouring = CellColouring::leader_epoch;
  size_t jump_kind = 0;  // the kind "previous / next of kind" steps to
  PanelVisibility panels;

  // How long (virtual microseconds) a transient effect stays on screen (a
  // dropped message falling, a truncation flashing, an assignment change
  // highlighted): a fixed wall-clock span at the current playback speed.
  int64_t recent_window_us() const { return static_cast<int64_t>(speed_ms_per_s * 1000.0 * 1.5); }
};

// Requests a move of the cursor to after `step` events (at that event's time).
void request_step(ViewState& view, const ReplayModel& model, uint64_t step);
// Requests a move of the cursor to virtual time `t` (every event at or before it applied).
void request_time(ViewState& view, const ReplayModel& model, SimTime t);
// The cursor's current event (the last applied), if any.
std::optional<uint64_t> current_event(const ViewState& view);

}  // namespace ksim::viz
