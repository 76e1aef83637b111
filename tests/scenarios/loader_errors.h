#pragma once
// What the scenario loader's tests ask of its errors: load a text and keep the
// errors, find one by its JSON path and a part of its message, print them all
// (for INFO when an expectation about them fails).
#include <catch2/catch.hpp>
#include <string>
#include <vector>

#include "scenario_lib/format/scenario_loader.h"

namespace ksim::scenarios {

inline std::vector<InputError> errors_of(const std::string& text) {
  auto r = load_scenario(text, "t.json");
  CHECK(r.ok() == r.errors.empty());
  return r.errors;
}

// Whether some error has exactly this path and a message (or hint) containing `part`.
inline bool has_error(const std::vector<InputError>& errors, const std::string& path, const std::string& part) {
  for (const auto& e : errors)
    if (e.path == path && (e.message + "; " + e.hint).find(part) != std::string::npos) return true;
  return false;
}
// The hint of the error at exactly this path ("" if none or no such error).
inline std::string hint_at(const std::vector<InputError>& errors, const std::string& path) {
  for (const auto& e : errors)
    if (e.path == path) return e.hint;
  return "";
}
inline bool has_error(const LoadResult& r, const std::string& path, const std::string& part) {
  return has_error(r.errors, path, part);
}

inline std::string all_errors(const std::vector<InputError>& errors) {
  std::string out;
  for (const auto& e : errors) out += e.str() + "\n";
  return out;
}

}  // namespace ksim::scenarios
