#include "sim/trace/chrome_trace.h"

#include <nlohmann/json.hpp>
#include <ostream>

#include "sim/trace/jsonl.h"

namespace ksim {
namespace {

// Perfetto sorts tracks by tid; node ids start at 0, which some viewers treat
// as "no thread", so tracks are node id + 1.
int tid_of(NodeId node) { return static_cast<int>(node.value) + 1; }

// The family an event kind belongs to, as the Chrome "cat" (the UI filters on it).
std::string_view category_of(std::string_view kind) {
  if (kind.rfind("message_", 0) == 0 || kind == "connection_lost" || kind == "link_changed") return "network";
  if (kind.rfind("node_", 0) == 0 || kind == "fault_injected" || kind.rfind("disk_", 0) == 0) return "kernel";
  if (kind.rfind("producer_", 0) == 0 || kind.rfind("consumer_", 0) == 0 || kind == "record_processed" ||
      kind == "offset_committed" || kind == "assignment_changed")
    return "client";
  return "broker";
}

}  // namespace

void ChromeTraceWriter::begin_document() {
  out_ << "{\"displayTimeUnit\":\"ms\",\"traceEvents\":[\n";
  started_ = true;
}

void ChromeTraceWriter::emit(const std::string& json_object) {
  if (!first_) out_ << ",\n";
  out_ << json_object;
  first_ = false;
}

void ChromeTraceWriter::on_event(const TraceHeader& header, const TraceEvent& event) {
  if (!started_) begin_document();
  // The JSON Lines form already has every field with node names resolved;
  // its fields become the Chrome event's args.
  line_.clear();
  append_jsonl_event(line_, header, event);
  nlohmann::json args = nlohmann::json::parse(line_);
  const std::string kind = args["kind"].get<std::string>();
  args.erase("node");
  args.erase("t_us");
  const int64_t ts = event.time.us;
  last_us_ = ts;
  const int tid = tid_of(event.node);
  const uint32_t node = event.node.value;

  nlohmann::json e{{"pid", 1}, {"tid", tid}, {"ts", ts}, {"cat", std::string(category_of(kind))}};
  if (kind == "message_sent" || kind == "message_delivered") {
    // A 1 µs slice to anchor the flow arrow (flows bind to slices), named by
    // the message type so the track reads "Produce", "FetchResponse", ...
    const uint64_t msg = args["msg_id"].get<uint64_t>();
    e["ph"] = "X";
    e["dur"] = 1;
    e["name"] = args["type"];
    e["args"] = args;
    emit(e.dump());
    nlohmann::json flow{{"pid", 1}, {"tid", tid}, {"ts", ts}, {"cat", "message"}, {"id", msg},
                        {"name", args["type"]}};
    if (kind == "message_sent") {
      flow["ph"] = "s";
    } else {
      flow["ph"] = "f";
      flow["bp"] = "e";
    }
    emit(flow.dump());
    return;
  }

  e["ph"] = "i";
  e["s"] = "t";
  e["name"] = kind == "fault_injected" ? "fault: " + args["fault"].get<std::string>() : kind;
  e["args"] = args;
  emit(e.dump());

  // Down and paused intervals as slices on the node's track.
  auto open = [&](const char* what) {
    if (open_slice_.count(node)) return;
    open_slice_[node] = what;
    emit(nlohmann::json{{"pid", 1}, {"tid", tid}, {"ts", ts}, {"ph", "B"}, {"cat", "kernel"}, {"name", what}}.dump());
  };
  auto close = [&] {
    auto it = open_slice_.find(node);
    if (it == open_slice_.end()) return;
    emit(nlohmann::json{{"pid", 1}, {"tid", tid}, {"ts", ts}, {"ph", "E"}, {"cat", "kernel"}, {"name", it->second}}
             .dump());
    open_slice_.erase(it);
  };
  if (kind == "node_crashed") {
    close();
    open("down");
  } else if (kind == "node_paused") {
    open("paused");
  } else if (kind == "node_started" || kind == "node_resumed") {
    close();
  }
}

void ChromeTraceWriter::finish(const TraceHeader& header) {
  if (!started_) begin_document();
  for (const auto& [node, what] : open_slice_)
    emit(nlohmann::json{{"pid", 1}, {"tid", tid_of(NodeId(node))}, {"ts", last_us_}, {"ph", "E"}, {"cat", "kernel"},
                        {"name", what}}
             .dump());
  open_slice_.clear();
  emit(nlohmann::json{{"pid", 1}, {"ph", "M"}, {"name", "process_name"},
                      {"args", {{"name", "ksim: " + header.scenario + " (seed " + std::to_string(header.seed) + ")"}}}}
           .dump());
  for (size_t i = 0; i < header.nodes.size(); ++i) {
    const auto& n = header.nodes[i];
    const int tid = static_cast<int>(i) + 1;
    emit(nlohmann::json{{"pid", 1}, {"tid", tid}, {"ph", "M"}, {"name", "thread_name"},
                        {"args", {{"name", n.name + " (" + n.role + ")"}}}}
             .dump());
    emit(nlohmann::json{{"pid", 1}, {"tid", tid}, {"ph", "M"}, {"name", "thread_sort_index"},
                        {"args", {{"sort_index", tid}}}}
             .dump());
  }
  out_ << "\n]}\n";
  out_.flush();
}

}  // namespace ksim
