#include "cli/scenario_args.h"

#include <filesystem>
#include <iostream>

#include "scenario_lib/format/scenario_dir.h"

namespace ksim::cli {

std::string shell_quote(const std::string& s) {
  if (!s.empty() && s.find_first_not_of("abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789-_./=:,@+%") ==
                        std::string::npos)
    return s;
  std::string out = "'";
  for (char c : s) out += c == '\'' ? std::string("'\\''") : std::string(1, c);
  return out + "'";
}

std::string display_path(const std::string& path) {
  std::error_code ec;
  const auto rel = std::filesystem::relative(path, std::filesystem::current_path(ec), ec);
  if (ec || rel.empty() || rel.string().rfind("..", 0) == 0) return path;
  return rel.string();
}

std::string resolve_scenario(const std::string& given) {
  std::error_code ec;
  if (given.empty() || std::filesystem::exists(given, ec)) return given;
  const std::string dir = scenarios::bundled_scenario_dir();
  if (dir.empty() || given.find('/') != std::string::npos) return given;
  // The lessons, then the explore bases (scenarios/explore/), by name.
  for (const std::filesystem::path& where : {std::filesystem::path(dir), std::filesystem::path(dir) / "explore"})
    for (const std::string& name : {given, given + ".json"}) {
      const auto candidate = where / name;
      if (std::filesystem::is_regular_file(candidate, ec)) return candidate.string();
    }
  return given;
}

std::string default_scenario_path() {
  const std::string dir = scenarios::bundled_scenario_dir();
  return dir.empty() ? std::string() : (std::filesystem::path(dir) / kDefaultScenario).string();
}


void print_errors(const std::string& command, const std::string& source,
                  const std::vector<InputError>& errors, bool would_run) {
  for (const auto& e : errors) {
    // Errors about --set name the option; the rest are about the file.
    if (e.path.empty() && e.message.rfind("cannot read", 0) == 0)
      std::cerr << "ksim " << command << ": " << e.message << " (not a file, nor a bundled scenario: see ksim list)\n";
    else if (e.path.rfind("--set", 0) == 0 || e.message.rfind(source, 0) == 0)
      std::cerr << "ksim " << command << ": " << e.str() << "\n";
    else
      std::cerr << "ksim " << command << ": " << source << ": " << e.str() << "\n";
  }
  std::cerr << errors.size() << " error" << (errors.size() == 1 ? "" : "s") << (would_run ? "; nothing was run" : "")
            << "\n";
}

}  // namespace ksim::cli
