#pragma once
// Bad input, said where and what: the one shape every reader of what a user
// gives ksim reports in (the scenario loader and its --set overrides, the
// fault registry's readers, the trace reader, explore's options, the viewer's
// loaders). A reader collects them; a driver prints them and exits 2.
#include <string>

namespace ksim {

struct InputError {
  std::string path;     // where: "faults[2].crash", "--set cluster.brokers", "line 12"; "" for the whole input
  std::string message;  // what is wrong, and what was expected
  std::string hint = {};  // what may have been meant: "did you mean \"pause\"?"; may be empty

  // "path: message; hint" (the parts that are there).
  std::string str() const {
    std::string out = path.empty() ? message : path + ": " + message;
    if (!hint.empty()) out += "; " + hint;
    return out;
  }
};

}  // namespace ksim
