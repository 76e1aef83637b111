#include "sim/trace/jsonl.h"

#include <charconv>
#include <istream>
#include <algorithm>
#include <limits>
#include <map>
#include <unordered_set>
#include <nlohmann/json.hpp>
#include <ostream>
#include <type_traits>

#include "sim/trace/field_visit.h"

namespace ksim {
namespace {

void append_escaped(std::string& out, std::string_view s) {
  out.push_back('"');
  for (char c : s) {
    switch (c) {
      case '"': out += "\\\""; break;
      case '\\': out += "\\\\"; break;
      case '\n': out += "\\n"; break;
      case '\t': out += "\\t"; break;
      case '\r': out += "\\r"; break;
      default:
        if (static_cast<unsigned char>(c) < 0x20) {
          char buf[8];
          std::snprintf(buf, sizeof buf, "\\u%04x", static_cast<unsigned>(c));
          out += buf;
        } else {
          out.push_back(c);
        }
    }
  }
  out.push_back('"');
}

template <class Int>
void append_int(std::string& out, Int v) {
  char buf[24];
  auto [end, ec] = std::to_chars(buf, buf + sizeof buf, v);
  out.append(buf, end);
}

struct FieldWriter {
  std::string& out;
  const TraceHeader& header;

  template <class T>
  void value(const T& v) {
    if constexpr (std::is_same_v<T, bool>) {
      out += v ? "true" : "false";
    } else if constexpr (std::is_integral_v<T>) {
      append_int(out, v);
    } else if constexpr (std::is_same_v<T, std::string> || std::is_same_v<T, std::string_view>) {
      append_escaped(out, v);
    } else if constexpr (std::is_same_v<T, NodeId>) {
      append_escaped(out, header.node_name(v));
    } else if constexpr (std::is_same_v<T, SimTime> || std::is_same_v<T, Duration>) {
      append_int(out, v.us);
    } else if constexpr (requires { v.value; }) {
      append_int(out, v.value);
    } else {
      out.push_back('[');
      bool first = true;
      for (const auto& x : v) {
        if (!first) out.push_back(',');
        first = false;
        value(x);
      }
      out.push_back(']');
    }
  }

  template <class T>
  void operator()(const char* name, const T& v) {
    out += ",\"";
    out += name;
    out += "\":";
    value(v);
  }
};

struct FieldReader {
  const nlohmann::json& obj;
  LoadedTrace& trace;
  std::string& error;
  // Offsets and partition numbers seen in the event, for the range checks.
  int64_t min_offset = 0, max_offset = 0;
  int64_t min_partition = 0, max_partition = 0;

  // Whether an integer in the file fits the field (no silent wrap-around).
  template <class Int>
  static bool fits(const nlohmann::json& j) {
    if (j.is_number_unsigned()) return j.get<uint64_t>() <= static_cast<uint64_t>(std::numeric_limits<Int>::max());
    const int64_t x = j.get<int64_t>();
    return x >= static_cast<int64_t>(std::numeric_limits<Int>::min()) &&
           (x < 0 || static_cast<uint64_t>(x) <= static_cast<uint64_t>(std::numeric_limits<Int>::max()));
  }

  template <class T>
  bool value(const nlohmann::json& j, T& v) {
    if constexpr (std::is_same_v<T, bool>) {
      if (!j.is_boolean()) return false;
      v = j.get<bool>();
    } else if constexpr (std::is_integral_v<T>) {
      if (!j.is_number_integer() || !fits<T>(j)) return false;
      v = j.get<T>();
    } else if constexpr (std::is_same_v<T, std::string>) {
      if (!j.is_string()) return false;
      v = j.get<std::string>();
    } else if constexpr (std::is_same_v<T, std::string_view>) {
      if (!j.is_string()) return false;
      v = trace.strings.emplace_back(j.get<std::string>());
    } else if constexpr (std::is_same_v<T, NodeId>) {
      if (!j.is_string()) return false;
      v = trace.header.find_node(j.get<std::string>());
      if (v == kNoNode && j.get<std::string>() != "-") return false;
    } else if constexpr (std::is_same_v<T, SimTime> || std::is_same_v<T, Duration>) {
      if (!j.is_number_integer()) return false;
      v.us = j.get<int64_t>();
    } else if constexpr (requires { v.value; }) {
      if (!j.is_number_integer() || !fits<typename T::rep>(j)) return false;
      v.value = j.get<typename T::rep>();
      if constexpr (std::is_same_v<T, Offset>) {
        min_offset = std::min<int64_t>(min_offset, v.value);
        max_offset = std::max<int64_t>(max_offset, v.value);
      } else if constexpr (std::is_same_v<T, PartitionId>) {
        min_partition = std::min<int64_t>(min_partition, v.value);
        max_partition = std::max<int64_t>(max_partition, v.value);
      }
    } else {
      if (!j.is_array()) return false;
      v.clear();
      for (const auto& x : j) {
        typename T::value_type item{};
        if (!value(x, item)) return false;
        v.push_back(item);
      }
    }
    return true;
  }

  template <class T>
  void operator()(const char* name, T& v) {
    if (!error.empty()) return;
    auto it = obj.find(name);
    if (it == obj.end()) {
      error = std::string("missing field \"") + name + "\"";
    } else if (!value(*it, v)) {
      error = std::string("field \"") + name + "\" has the wrong type, is out of range or names an unknown node";
    }
  }
};

// A string from the file, shortened for an error message.
std::string json_brief_text(const nlohmann::json& j) {
  std::string s = j.is_string() ? j.get<std::string>() : j.dump(-1, ' ', false, nlohmann::json::error_handler_t::replace);
  if (s.size() > 60) s = s.substr(0, 57) + "...";
  return s;
}

const std::map<std::string, size_t, std::less<>>& kind_table() {
  static const std::map<std::string, size_t, std::less<>> table = [] {
    std::map<std::string, size_t, std::less<>> t;
    trace::for_each_alternative([&](auto index) {
      using Alt = std::variant_alternative_t<decltype(index)::value, trace::Payload>;
      t.emplace(std::string(Alt::kKind), decltype(index)::value);
    });
    return t;
  }();
  return table;
}

trace::Payload make_alternative(size_t index) {
  trace::Payload p;
  trace::for_each_alternative([&](auto i) {
    if (decltype(i)::value == index) p.template emplace<decltype(i)::value>();
  });
  return p;
}

}  // namespace

void append_jsonl_header(std::string& out, const TraceHeader& header) {
  out += "{\"ksim_trace\":";
  append_int(out, header.schema_version);
  out += ",\"seed\":";
  append_int(out, header.seed);
  out += ",\"scenario\":";
  append_escaped(out, header.scenario);
  out += ",\"nodes\":[";
  for (size_t i = 0; i < header.nodes.size(); ++i) {
    if (i) out.push_back(',');
    out += "{\"name\":";
    append_escaped(out, header.nodes[i].name);
    out += ",\"role\":";
    append_escaped(out, header.nodes[i].role);
    out.push_back('}');
  }
  out += "]}\n";
}

void append_jsonl_event(std::string& out, const TraceHeader& header, const TraceEvent& ev) {
  out += "{\"seq\":";
  append_int(out, ev.seq);
  out += ",\"t_us\":";
  append_int(out, ev.time.us);
  out += ",\"node\":";
  append_escaped(out, header.node_name(ev.node));
  out += ",\"kind\":";
  append_escaped(out, trace::kind_of(ev.payload));
  FieldWriter writer{out, header};
  trace::for_each_field(ev.payload, writer);
  out += "}\n";
}

void JsonlTraceWriter::on_event(const TraceHeader& header, const TraceEvent& event) {
  buffer_.clear();
  if (!header_written_) {
    append_jsonl_header(buffer_, header);
    header_written_ = true;
  }
  append_jsonl_event(buffer_, header, event);
  out_ << buffer_;
}

void JsonlTraceWriter::finish(const TraceHeader& header) {
  if (header_written_) return;
  buffer_.clear();
  append_jsonl_header(buffer_, header);
  out_ << buffer_;
  header_written_ = true;
}

namespace {

// Reads one line of at most `max_bytes` into `line`. Returns false at the end
// of the input; sets `too_long` (and stops) on a longer line, so a file
// without newlines (/dev/zero) costs at most `max_bytes` of memory.
bool read_bounded_line(std::istream& in, std::string& line, size_t max_bytes, bool& too_long) {
  line.clear();
  too_long = false;
  std::streambuf* buf = in.rdbuf();
  for (;;) {
    const int c = buf->sbumpc();
    if (c == std::char_traits<char>::eof()) return !line.empty();
    if (c == '\n') return true;
    if (line.size() >= max_bytes) {
      too_long = true;
      return true;
    }
    line.push_back(static_cast<char>(c));
  }
}

}  // namespace

std::optional<InputError> read_jsonl_trace(std::istream& in, LoadedTrace& out) {
  std::string line;
  size_t line_no = 0;
  auto fail = [&](const std::string& what) { return InputError{"line " + std::to_string(line_no), what}; };
  bool have_header = false;
  bool too_long = false;
  // What the lines read so far allow (trace_reader_limits in jsonl.h).
  int64_t last_time_us = 0;
  bool have_seq = false;
  uint64_t last_seq = 0;
  int64_t records_appended = 0;            // in log_appended events so far
  std::unordered_set<uint64_t> sent_ids;   // message_sent msg_ids so far
  while (read_bounded_line(in, line, kMaxTraceLineBytes, too_long)) {
    ++line_no;
    if (too_long) return fail("longer than " + std::to_string(kMaxTraceLineBytes) + " bytes; not a ksim trace line");
    if (line.empty()) continue;
    if (line.find_first_of("[{") != std::string::npos) {
      // Deeply nested JSON would be parsed fine but destroyed recursively.
      int depth = 0;
      bool in_string = false;
      for (size_t i = 0; i < line.size(); ++i) {
        const char c = line[i];
        if (in_string) {
          if (c == '\\') ++i;
          else if (c == '"') in_string = false;
        } else if (c == '"') {
          in_string = true;
        } else if (c == '[' || c == '{') {
          if (++depth > kMaxTraceJsonDepth) return fail("nested deeper than " + std::to_string(kMaxTraceJsonDepth) + " levels");
        } else if (c == ']' || c == '}') {
          --depth;
        }
      }
    }
    nlohmann::json j = nlohmann::json::parse(line, nullptr, /*allow_exceptions=*/false);
    if (j.is_discarded() || !j.is_object()) return fail("not a JSON object");
    if (!have_header) {
      auto version = j.find("ksim_trace");
      if (version == j.end() || !version->is_number_integer())
        return fail("the first line must be the trace header ({\"ksim_trace\": version, ...})");
      if (version->is_number_unsigned() && version->get<uint64_t>() > static_cast<uint64_t>(trace::kSchemaVersion))
        return fail("trace schema version " + version->dump() + " is newer than this build understands (" +
                    std::to_string(trace::kSchemaVersion) + ")");
      if (version->get<int64_t>() < 1) return fail("trace schema version " + version->dump() + " is not a version (1 or more)");
      out.header.schema_version = version->get<int>();
      const auto seed = j.find("seed");
      if (seed != j.end() && !seed->is_number_unsigned() && !(seed->is_number_integer() && seed->get<int64_t>() >= 0))
        return fail("header \"seed\" must be an integer >= 0");
      out.header.seed = seed == j.end() ? 0 : seed->get<uint64_t>();
      const auto scenario = j.find("scenario");
      if (scenario != j.end() && !scenario->is_string()) return fail("header \"scenario\" must be a string");
      out.header.scenario = scenario == j.end() ? std::string() : scenario->get<std::string>();
      if (!j.contains("nodes") || !j["nodes"].is_array()) return fail("header has no \"nodes\" array");
      if (j["nodes"].size() > kMaxTraceNodes)
        return fail("header has " + std::to_string(j["nodes"].size()) + " nodes; a trace has at most " +
                    std::to_string(kMaxTraceNodes));
      for (const auto& n : j["nodes"]) {
        if (!n.is_object() || !n.contains("name") || !n["name"].is_string())
          return fail("each header node needs a \"name\"");
        if (n.contains("role") && !n["role"].is_string()) return fail("a header node's \"role\" must be a string");
        const std::string name = n["name"].get<std::string>();
        if (out.header.find_node(name) != kNoNode) return fail("header names node \"" + name + "\" twice");
        out.header.nodes.push_back({name, n.value("role", std::string())});
      }
      have_header = true;
      continue;
    }
    auto kind = j.find("kind");
    if (kind == j.end() || !kind->is_string()) return fail("event has no \"kind\"");
    const auto& table = kind_table();
    auto it = table.find(kind->get<std::string>());
    if (it == table.end()) return fail("unknown event kind \"" + json_brief_text(*kind) + "\"");
    TraceEvent ev;
    if (!j.contains("seq") || !j["seq"].is_number_unsigned() || !j.contains("t_us") ||
        !j["t_us"].is_number_integer() || !j.contains("node") || !j["node"].is_string())
      return fail("event needs an integer \"seq\" >= 0, an integer \"t_us\" and a \"node\" name");
    ev.seq = j["seq"].get<uint64_t>();
    if (j["t_us"].is_number_unsigned() && j["t_us"].get<uint64_t>() > static_cast<uint64_t>(INT64_MAX))
      return fail("\"t_us\" is out of range");
    ev.time.us = j["t_us"].get<int64_t>();
    if (ev.time.us < 0) return fail("\"t_us\" is negative (" + std::to_string(ev.time.us) + ")");
    if (ev.time.us < last_time_us)
      return fail("time goes backwards: t_us " + std::to_string(ev.time.us) + " after " + std::to_string(last_time_us));
    if (have_seq && ev.seq <= last_seq)
      return fail("\"seq\" " + std::to_string(ev.seq) + " after " + std::to_string(last_seq) +
                  ": each event's seq is larger than the one before");
    ev.node = out.header.find_node(j["node"].get<std::string>());
    if (ev.node == kNoNode && j["node"].get<std::string>() != "-")
      return fail("unknown node \"" + json_brief_text(j["node"]) + "\"");
    ev.payload = make_alternative(it->second);
    std::string field_error;
    FieldReader reader{j, out, field_error};
    trace::for_each_field(ev.payload, reader);
    if (!field_error.empty()) return fail(std::string(kind->get<std::string>()) + ": " + field_error);

    // Flows and ranges: what the viewer and the checkers size tables by.
    // -1: not chosen yet (a producer's send before it knows the partitions).
    if (reader.min_partition < -1 || reader.max_partition >= kMaxTracePartitions)
      return fail(kind->get<std::string>() + ": partition " +
                  std::to_string(reader.min_partition < -1 ? reader.min_partition : reader.max_partition) +
                  " is out of range (-1 for none, 0 to " + std::to_string(kMaxTracePartitions - 1) + ")");
    if (reader.min_offset < -1) return fail(kind->get<std::string>() + ": negative offset " + std::to_string(reader.min_offset));
    // A log grows only at its end, so an append's offsets are bounded by the
    // records appended so far anywhere (readers pad a log up to its base
    // offset). Other offsets are not: Kafka lets a consumer commit any offset.
    if (const auto* appended = std::get_if<trace::LogAppended>(&ev.payload)) {
      records_appended += static_cast<int64_t>(appended->records.size());
      if (reader.max_offset > records_appended)
        return fail(kind->get<std::string>() + ": offset " + std::to_string(reader.max_offset) +
                    " is beyond every record appended so far (" + std::to_string(records_appended) +
                    " in log_appended events)");
    }
    if (const auto* sent = std::get_if<trace::MessageSent>(&ev.payload)) {
      if (!sent_ids.insert(sent->msg_id).second)
        return fail("message_sent: msg_id " + std::to_string(sent->msg_id) + " was sent before");
      if (sent->deliver_at < ev.time) return fail("message_sent: deliver_at_us is before the send");
    }
    if (const auto* delivered = std::get_if<trace::MessageDelivered>(&ev.payload))
      if (sent_ids.count(delivered->msg_id) == 0)
        return fail("message_delivered: msg_id " + std::to_string(delivered->msg_id) + " was never sent before it");
    last_time_us = ev.time.us;
    last_seq = ev.seq;
    have_seq = true;
    out.events.push_back(std::move(ev));
  }
  if (!have_header) {
    line_no = 0;
    return fail("empty file: no trace header");
  }
  return std::nullopt;
}

}  // namespace ksim
