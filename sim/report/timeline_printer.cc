#include "sim/report/timeline_printer.h"

#include <cstdio>
#include <ostream>

#include "sim/report/event_text.h"

namespace ksim {

void TimelinePrinter::print(SimTime t, const std::string& text) {
  out_ << format_time(t) << "  " << text << "\n";
  ++lines_;
}

void TimelinePrinter::flush() {
  if (!started_.empty()) {
    std::string names;
    for (const auto& n : started_) names += (names.empty() ? "" : ", ") + n;
    started_.clear();
    print(started_at_, names + "  started");
  }
  if (!fold_) return;
  const Fold& f = *fold_;
  const TraceHeader& h = *f.header;
  std::string text = std::string(h.node_name(f.node)) + "  ";
  if (f.acked) {
    text += "acked " + record_text(h, f.first_record);
    if (f.count > 1) text += ".." + record_text(h, f.last_record);
    text += " at " + f.partition;
    if (f.first_offset < 0) {
      text += " (no offsets: acks=0)";
    } else {
      text += f.count > 1 ? " offsets " + std::to_string(f.first_offset) + ".." + std::to_string(f.last_offset)
                          : " offset " + std::to_string(f.first_offset);
    }
  } else {
    text += "FAILED " + record_text(h, f.first_record);
    if (f.count > 1) text += ".." + record_text(h, f.last_record);
    text += " to " + f.partition + ": " + f.error;
  }
  if (f.count > 1) {
    char until[48];
    std::snprintf(until, sizeof until, "%.1f ms", static_cast<double>(f.last_time.us) / 1000.0);
    text += " (" + std::to_string(f.count) + " sends, to " + until + ")";
  }
  fold_.reset();
  print(f.first_time, text);
}

void TimelinePrinter::on_event(const TraceHeader& header, const TraceEvent& event) {
  if (verbose_) {
    print(event.time, describe_event(header, event));
    return;
  }
  if (!is_notable(event)) return;
  if (const auto* s = std::get_if<trace::NodeStarted>(&event.payload); s && s->incarnation == 1) {
    if (!started_.empty() && started_at_ != event.time) flush();
    if (started_.empty()) flush();
    started_at_ = event.time;
    started_.emplace_back(header.node_name(event.node));
    return;
  }
  const auto* acked = std::get_if<trace::ProducerAcked>(&event.payload);
  const auto* failed = std::get_if<trace::ProducerFailed>(&event.payload);
  if (acked || failed) {
    const std::string partition = acked ? acked->topic + "-" + std::to_string(acked->partition.value)
                                        : failed->topic + "-" + std::to_string(failed->partition.value);
    const RecordId record = acked ? acked->record : failed->record;
    const std::string error = failed ? failed->error : "";
    const bool extends = fold_ && fold_->node == event.node && fold_->acked == (acked != nullptr) &&
                         fold_->error == error && fold_->partition == partition &&
                         (!acked || (fold_->first_offset < 0) == (acked->offset.value < 0));
    if (!extends) {
      flush();
      fold_ = Fold{event.node, acked != nullptr, error, partition, event.time, event.time, record, record,
                   acked ? acked->offset.value : -1, acked ? acked->offset.value : -1, 0, &header};
    }
    fold_->last_time = event.time;
    fold_->last_record = record;
    if (acked) fold_->last_offset = acked->offset.value;
    ++fold_->count;
    return;
  }
  flush();
  print(event.time, describe_event(header, event));
}

void TimelinePrinter::finish() { flush(); }

}  // namespace ksim
