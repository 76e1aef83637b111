#pragma once
// Reading scalar values the way Kafka reads configs: a properties file holds
// strings, so "30000" and 30000, "true" and true are the same value. Used by
// the config tables and the loader.
#include <cstdint>
#include <nlohmann/json.hpp>
#include <optional>
#include <string>
#include <string_view>

namespace ksim::scenarios {

using Json = nlohmann::json;

// An integer number, or a string holding one ("30000").
std::optional<int64_t> json_int(const Json& v);
// A number (integer or not), or a string holding one.
std::optional<double> json_number(const Json& v);
// true/false, or "true"/"false" in any case (Kafka's ConfigDef BOOLEAN).
std::optional<bool> json_bool(const Json& v);
// A short rendering of a value for an error message: "\"7\"", "[1,2]", "an object".
std::string json_brief(const Json& v);
// "a string", "a number", "an object", ...
std::string json_type_name(const Json& v);

// Limits on JSON text that ksim reads (scenarios, --set values, trace lines,
// assign groups). The scenario format nests 5 levels deep; nothing ksim reads
// needs more than a few more. Deeper text is rejected before it is parsed, so
// no recursive walk (dump, compare, destroy) can overflow the stack.
inline constexpr int kMaxJsonDepth = 64;

// Where `text` first nests deeper than `max_depth` arrays/objects: the byte
// offset of the bracket that goes too deep, or nullopt. Linear; strings are
// skipped, so brackets inside them do not count.
std::optional<size_t> json_too_deep_at(std::string_view text, int max_depth = kMaxJsonDepth);

// The byte offset of the first byte that is not part of well-formed UTF-8, or
// nullopt (nlohmann refuses to write such a string: type_error.316).
std::optional<size_t> invalid_utf8_at(std::string_view text);

// "line L, column C" of a byte offset in `text`.
std::string text_position(std::string_view text, size_t byte);

}  // namespace ksim::scenarios
