#include "scenario_lib/format/override.h"

#include <cstdint>
#include <vector>

namespace ksim::scenarios {
namespace {

std::vector<std::string> split_dots(std::string_view s) {
  std::vector<std::string> parts;
  size_t start = 0;
  while (true) {
    const size_t dot = s.find('.', start);
    parts.emplace_back(s.substr(start, dot == std::string_view::npos ? std::string_view::npos : dot - start));
    if (dot == std::string_view::npos) break;
    start = dot + 1;
  }
  return parts;
}

std::string join(const std::vector<std::string>& parts, size_t from) {
  std::string out;
  for (size_t i = from; i < parts.size(); ++i) out += (i > from ? "." : "") + parts[i];
  return out;
}

bool all_digits(const std::string& s) {
  if (s.empty()) return false;
  for (char c : s)
    if (c < '0' || c > '9') return false;
  return true;
}

// Whether the object reached by `walked` holds Kafka config names as keys.
bool is_config_map(const std::vector<std::string>& walked) {
  const size_t n = walked.size();
  if (n == 2 && walked[0] == "cluster" && (walked[1] == "broker" || walked[1] == "controller")) return true;
  if (n == 3 && (walked[0] == "topics" || walked[0] == "clients") && walked[2] == "config") return true;
  return false;
}

}  // namespace

std::optional<InputError> apply_override(Json& root, std::string_view assignment) {
  // Checked before anything echoes it: a message or trace header holding bytes
  // that are not UTF-8 cannot be written as JSON.
  if (const auto bad = invalid_utf8_at(assignment))
    return InputError{"--set", "not valid UTF-8 (byte " + std::to_string(*bad) + " of the argument)"};
  if (assignment.size() > kMaxOverrideBytes)
    return InputError{"--set", std::to_string(assignment.size()) + " bytes; an override is at most " +
                                      std::to_string(kMaxOverrideBytes)};
  const size_t eq = assignment.find('=');
  const std::string where = "--set " + std::string(assignment.substr(0, eq));
  if (eq == std::string_view::npos || eq == 0)
    return InputError{where, "expected PATH=VALUE, e.g. clients.p1.config.acks=all"};
  const std::string path(assignment.substr(0, eq));
  const std::string text(assignment.substr(eq + 1));
  if (const auto deep = json_too_deep_at(text))
    return InputError{where, "the value nests deeper than " + std::to_string(kMaxJsonDepth) + " lists/objects"};
  Json value = Json::parse(text, nullptr, /*allow_exceptions=*/false);
  if (value.is_discarded()) value = text;

  const std::vector<std::string> parts = split_dots(path);
  std::vector<std::string> walked;  // the path so far, lists by their own name ("topics", not the index)
  Json* node = &root;
  size_t i = 0;
  while (i < parts.size()) {
    const std::string& part = parts[i];
    if (part.empty()) return InputError{where, "empty part in the path \"" + path + "\""};
    if (node->is_array()) {
      Json* found = nullptr;
      if (all_digits(part)) {
        // No list holds a billion entries; longer digit strings would overflow.
        const size_t index = part.size() > 9 ? SIZE_MAX : std::stoul(part);
        if (index >= node->size())
          return InputError{where, join(std::vector<std::string>(parts.begin(), parts.begin() + i), 0) + " has " +
                                          std::to_string(node->size()) + " entries; index " + part + " is out of range"};
        found = &(*node)[index];
      } else {
        std::vector<std::string> names;
        for (Json& e : *node) {
          for (const char* key : {"name", "id"})
            if (e.is_object() && e.contains(key) && (*e.find(key)).is_string()) {
              names.push_back((*e.find(key)).get<std::string>());
              if (names.back() == part && !found) found = &e;
            }
        }
        if (!found) {
          std::string list;
          for (const auto& n : names) list += (list.empty() ? "" : ", ") + n;
          return InputError{where, "no entry named \"" + part + "\" in " + (walked.empty() ? "the list" : walked.back()) +
                                          (list.empty() ? "" : " (" + list + ")")};
        }
      }
      node = found;
      walked.push_back("#");
      ++i;
      continue;
    }
    if (node->is_null()) *node = Json::object();
    if (!node->is_object())
      return InputError{where, (i == 0 ? std::string("the scenario") : parts[i - 1]) + " is " +
                                      json_type_name(*node) + ", which has no \"" + part + "\""};
    std::string key;
    if (is_config_map(walked)) {
      key = join(parts, i);  // the rest is one Kafka name
      i = parts.size();
    } else {
      // The longest existing key that matches the next parts.
      size_t take = 1;
      for (size_t j = parts.size(); j > i + 1; --j)
        if (node->contains(join(std::vector<std::string>(parts.begin() + i, parts.begin() + j), 0))) {
          take = j - i;
          break;
        }
      key = join(std::vector<std::string>(parts.begin() + i, parts.begin() + i + take), 0);
      i += take;
    }
    if (i == parts.size()) {
      (*node)[key] = value;
      return std::nullopt;
    }
    node = &(*node)[key];
    walked.push_back(key);
  }
  return InputError{where, "empty path"};
}

}  // namespace ksim::scenarios
