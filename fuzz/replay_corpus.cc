// Replays the regression corpus: every input that ever broke ksim, fed to the
// same entry points the fuzzers drive (fuzz_targets.h). Built with g++ in the
// normal build and run by ctest; a crash is a signal, which fails the test.
//
//   ksim-fuzz-replay scenario DIR_OR_FILE...   (scenarios: loaded, and run for 2 s)
//   ksim-fuzz-replay trace DIR_OR_FILE...
#include <algorithm>
#include <cstdio>
#include <filesystem>
#include <fstream>
#include <sstream>
#include <string>
#include <vector>

#include "fuzz/fuzz_targets.h"

int main(int argc, char** argv) {
  if (argc < 3 || (std::string(argv[1]) != "scenario" && std::string(argv[1]) != "trace")) {
    std::fprintf(stderr, "usage: %s scenario|trace DIR_OR_FILE...\n", argv[0]);
    return 2;
  }
  const bool scenario = std::string(argv[1]) == "scenario";
  std::vector<std::filesystem::path> files;
  for (int i = 2; i < argc; ++i) {
    const std::filesystem::path p(argv[i]);
    if (std::filesystem::is_directory(p)) {
      for (const auto& e : std::filesystem::directory_iterator(p))
        if (e.is_regular_file()) files.push_back(e.path());
    } else {
      files.push_back(p);
    }
  }
  std::sort(files.begin(), files.end());
  for (const auto& f : files) {
    std::ifstream in(f, std::ios::binary);
    std::ostringstream text;
    text << in.rdbuf();
    std::printf("%s\n", f.filename().c_str());
    std::fflush(stdout);
    if (scenario)
      ksim::fuzz::scenario_input(text.str(), /*run_ms=*/2000);
    else
      ksim::fuzz::trace_input(text.str());
  }
  std::printf("%zu %s inputs replayed\n", files.size(), scenario ? "scenario" : "trace");
  return files.empty() ? 1 : 0;
}
