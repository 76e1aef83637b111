#include "sim/trace/jsonl.h"

#include <charconv>
#include <istream>
#include <map>
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

  template <class T>
  bool value(const nlohmann::json& j, T& v) {
    if constexpr (std::is_same_v<T, bool>) {
      if (!j.is_boolean()) return false;
      v = j.get<bool>();
    } else if constexpr (std::is_integral_v<T>) {
      if (!j.is_number_integer()) return false;
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
      if (!j.is_number_integer()) return false;
      v.value = j.get<typename T::rep>();
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
      error = std::string("field \"") + name + "\" has the wrong type or an unknown node";
    }
  }
};

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

bool read_jsonl_trace(std::istream& in, LoadedTrace& out, std::string& error) {
  std::string line;
  size_t line_no = 0;
  auto fail = [&](const std::string& what) {
    error = "line " + std::to_string(line_no) + ": " + what;
    return false;
  };
  bool have_header = false;
  while (std::getline(in, line)) {
    ++line_no;
    if (line.empty()) continue;
    nlohmann::json j = nlohmann::json::parse(line, nullptr, /*allow_exceptions=*/false);
    if (j.is_discarded() || !j.is_object()) return fail("not a JSON object");
    if (!have_header) {
      auto version = j.find("ksim_trace");
      if (version == j.end() || !version->is_number_integer())
        return fail("the first line must be the trace header ({\"ksim_trace\": version, ...})");
      out.header.schema_version = version->get<int>();
      if (out.header.schema_version > trace::kSchemaVersion)
        return fail("trace schema version " + std::to_string(out.header.schema_version) +
                    " is newer than this build understands (" + std::to_string(trace::kSchemaVersion) + ")");
      out.header.seed = j.value("seed", uint64_t{0});
      out.header.scenario = j.value("scenario", std::string());
      if (!j.contains("nodes") || !j["nodes"].is_array()) return fail("header has no \"nodes\" array");
      for (const auto& n : j["nodes"]) {
        if (!n.is_object() || !n.contains("name") || !n["name"].is_string())
          return fail("each header node needs a \"name\"");
        out.header.nodes.push_back({n["name"].get<std::string>(), n.value("role", std::string())});
      }
      have_header = true;
      continue;
    }
    auto kind = j.find("kind");
    if (kind == j.end() || !kind->is_string()) return fail("event has no \"kind\"");
    const auto& table = kind_table();
    auto it = table.find(kind->get<std::string>());
    if (it == table.end()) return fail("unknown event kind \"" + kind->get<std::string>() + "\"");
    TraceEvent ev;
    if (!j.contains("seq") || !j["seq"].is_number_integer() || !j.contains("t_us") ||
        !j["t_us"].is_number_integer() || !j.contains("node") || !j["node"].is_string())
      return fail("event needs integer \"seq\" and \"t_us\" and a \"node\" name");
    ev.seq = j["seq"].get<uint64_t>();
    ev.time.us = j["t_us"].get<int64_t>();
    ev.node = out.header.find_node(j["node"].get<std::string>());
    if (ev.node == kNoNode && j["node"].get<std::string>() != "-")
      return fail("unknown node \"" + j["node"].get<std::string>() + "\"");
    ev.payload = make_alternative(it->second);
    std::string field_error;
    FieldReader reader{j, out, field_error};
    trace::for_each_field(ev.payload, reader);
    if (!field_error.empty()) return fail(std::string(kind->get<std::string>()) + ": " + field_error);
    out.events.push_back(std::move(ev));
  }
  if (!have_header) {
    line_no = 0;
    return fail("empty file: no trace header");
  }
  return true;
}

}  // namespace ksim
