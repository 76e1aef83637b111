#pragma once
// Reading scalar values the way Kafka reads configs: a properties file holds
// strings, so "30000" and 30000, "true" and true are the same value. Used by
// the config tables and the loader.
#include <cstdint>
#include <nlohmann/json.hpp>
#include <optional>
#include <string>

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

}  // namespace ksim::scenarios
