#include "sim/report/timeline_printer.h"

#include <cstdio>
#include <ostream>

#include "sim/report/event_text.h"

namespace ksim {
namespace {

std::string ms_text(SimTime t) {
  char buf[48];
  std::snprintf(buf, sizeof buf, "%.1f ms", static_cast<double>(t.us) / 1000.0);
  return buf;
}

std::string range(int64_t first, int64_t last) {
  return first == last ? std::to_string(first) : std::to_string(first) + ".." + std::to_string(last);
}

}  // namespace

void TimelinePrinter::print(SimTime t, const std::string& text) {
  out_ << format_time(t) << "  " << text << "\n";
  ++lines_;
}

TimelinePrinter::Fold* TimelinePrinter::find(FoldKind kind, NodeId node, const std::string& topic,
                                             PartitionId partition) {
  for (Fold& f : folds_) {
    const bool producer_kind = kind != FoldKind::polled;
    const bool same_family = producer_kind == (f.kind != FoldKind::polled);
    if (same_family && f.node == node && f.partition == partition && f.topic == topic) return &f;
  }
  return nullptr;
}

std::string TimelinePrinter::fold_text(const Fold& f) const {
  const TraceHeader& h = *f.header;
  const std::string partition = f.topic + "-" + std::to_string(f.partition.value);
  std::string text = std::string(h.node_name(f.node)) + "  ";
  const auto records = [&] {
    return record_text(h, f.first_record) + (f.count > 1 ? ".." + record_text(h, f.last_record) : "");
  };
  switch (f.kind) {
    case FoldKind::acked:
      text += "acked " + records() + " at " + partition;
      if (f.first_offset < 0) {
        text += " (no offsets: acks=0)";
      } else {
        text += (f.first_offset == f.last_offset ? " offset " : " offsets ") + range(f.first_offset, f.last_offset);
      }
      if (f.count > 1) text += " (" + std::to_string(f.count) + " sends, to " + ms_text(f.last_time) + ")";
      break;
    case FoldKind::failed:
      text += "FAILED " + records() + " to " + partition + ": " + f.error;
      if (f.count > 1) text += " (" + std::to_string(f.count) + " sends, to " + ms_text(f.last_time) + ")";
      break;
    case FoldKind::polled:
      if (f.polls == 0) {
        // Processed records whose poll was printed already (a commit in between).
        text += "processed " + partition + (f.first_offset == f.last_offset ? " offset " : " offsets ") +
                range(f.first_offset, f.last_offset) + " (" + records();
        if (f.processed > 1) text += ", " + std::to_string(f.processed) + " records, to " + ms_text(f.last_time);
        text += ")";
        break;
      }
      text += "polled " + partition + (f.count == 1 ? " offset " : " offsets ") + range(f.first_offset, f.last_offset) +
              " (" + records() + (f.count > 1 ? ", " + std::to_string(f.count) + " records" : "");
      if (f.polls > 1) text += " in " + std::to_string(f.polls) + " polls, to " + ms_text(f.last_time);
      text += "), processed " + std::to_string(f.processed);
      break;
  }
  return text;
}

void TimelinePrinter::flush() {
  if (!started_.empty()) {
    std::string names;
    for (const auto& n : started_) names += (names.empty() ? "" : ", ") + n;
    started_.clear();
    print(started_at_, names + "  started");
  }
  for (const Fold& f : folds_) print(f.first_time, fold_text(f));
  folds_.clear();
}

void TimelinePrinter::fold_producer(const TraceHeader& header, const TraceEvent& event) {
  const auto* acked = std::get_if<trace::ProducerAcked>(&event.payload);
  const auto* failed = std::get_if<trace::ProducerFailed>(&event.payload);
  const std::string& topic = acked ? acked->topic : failed->topic;
  const PartitionId partition = acked ? acked->partition : failed->partition;
  const RecordId record = acked ? acked->record : failed->record;
  const FoldKind kind = acked ? FoldKind::acked : FoldKind::failed;
  Fold* f = find(kind, event.node, topic, partition);
  const bool extends = f && f->kind == kind && (!failed || f->error == failed->error) &&
                       (!acked || (f->first_offset < 0) == (acked->offset.value < 0));
  if (f && !extends) {
    flush();  // the outcome changed: what came before prints first
    f = nullptr;
  }
  if (!f) {
    Fold n;
    n.kind = kind;
    n.node = event.node;
    n.topic = topic;
    n.partition = partition;
    n.error = failed ? failed->error : "";
    n.first_time = event.time;
    n.first_record = record;
    n.first_offset = acked ? acked->offset.value : -1;
    n.header = &header;
    folds_.push_back(std::move(n));
    f = &folds_.back();
  }
  f->last_time = event.time;
  f->last_record = record;
  if (acked) f->last_offset = acked->offset.value;
  ++f->count;
}

void TimelinePrinter::fold_poll(const TraceHeader& header, const TraceEvent& event) {
  const auto& p = std::get<trace::ConsumerPolled>(event.payload);
  Fold* f = find(FoldKind::polled, event.node, p.topic, p.partition);
  const bool extends = f && f->polls > 0 && f->generation == p.generation.value && !p.offsets.empty() &&
                       p.offsets.front().value == f->last_offset + 1;
  if (f && !extends) {
    flush();  // a rewind, a skip or a new generation: a line of its own
    f = nullptr;
  }
  if (p.offsets.empty() || p.records.size() != p.offsets.size()) {
    // Nothing to fold (or a malformed event): print it as it is.
    flush();
    print(event.time, describe_event(header, event));
    return;
  }
  if (!f) {
    Fold n;
    n.kind = FoldKind::polled;
    n.node = event.node;
    n.topic = p.topic;
    n.partition = p.partition;
    n.generation = p.generation.value;
    n.first_time = event.time;
    n.first_record = p.records.front();
    n.first_offset = p.offsets.front().value;
    n.header = &header;
    folds_.push_back(std::move(n));
    f = &folds_.back();
  }
  f->last_time = event.time;
  f->last_record = p.records.back();
  f->last_offset = p.offsets.back().value;
  f->count += static_cast<int64_t>(p.offsets.size());
  ++f->polls;
}

bool TimelinePrinter::fold_processed(const TraceHeader& header, const TraceEvent& event) {
  const auto& r = std::get<trace::RecordProcessed>(event.payload);
  Fold* f = find(FoldKind::polled, event.node, r.topic, r.partition);
  if (f && f->polls > 0) {
    // Part of a poll already on its line.
    ++f->processed;
    return true;
  }
  if (f && r.offset.value == f->last_offset + 1) {
    f->last_time = event.time;
    f->last_record = r.record;
    f->last_offset = r.offset.value;
    ++f->processed;
    ++f->count;
    return true;
  }
  if (f) flush();
  Fold n;
  n.kind = FoldKind::polled;
  n.node = event.node;
  n.topic = r.topic;
  n.partition = r.partition;
  n.first_time = n.last_time = event.time;
  n.first_record = n.last_record = r.record;
  n.first_offset = n.last_offset = r.offset.value;
  n.count = n.processed = 1;
  n.header = &header;
  folds_.push_back(std::move(n));
  return true;
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
  if (!started_.empty()) {
    // The start line comes before any fold.
    std::string names;
    for (const auto& n : started_) names += (names.empty() ? "" : ", ") + n;
    started_.clear();
    print(started_at_, names + "  started");
  }
  if (std::holds_alternative<trace::ProducerAcked>(event.payload) ||
      std::holds_alternative<trace::ProducerFailed>(event.payload)) {
    fold_producer(header, event);
    return;
  }
  if (std::holds_alternative<trace::ConsumerPolled>(event.payload)) {
    fold_poll(header, event);
    return;
  }
  if (std::holds_alternative<trace::RecordProcessed>(event.payload) && fold_processed(header, event)) return;
  flush();
  print(event.time, describe_event(header, event));
}

void TimelinePrinter::finish() { flush(); }

}  // namespace ksim
