#pragma once
// The entry points ksim's fuzzers drive, shared by the libFuzzer targets
// (fuzz/*_fuzzer.cc, built with clang by `make fuzz`) and by the corpus
// replay (fuzz/replay_corpus.cc, built with g++ in the normal build and run by
// ctest), so every input that ever broke ksim is tried again on every build.
//
// Each takes any bytes and must return normally: bad input is an error value,
// never a signal, an escaped exception, a hang or runaway memory.
#include <cstdint>
#include <string_view>

namespace ksim::fuzz {

// A scenario with `--set` overrides: the bytes up to the first NUL are the
// scenario's JSON text, each further NUL-separated piece one PATH=VALUE.
// Loads it (as `ksim run` would, errors rendered as printed), and runs a
// loaded scenario for at most `run_ms` of virtual time (0: does not run it).
void scenario_input(std::string_view data, int64_t run_ms = 0);

// A JSON Lines trace: read and validated as `ksim check` does, then, when
// accepted, its history built and every checker run on it.
void trace_input(std::string_view data);

}  // namespace ksim::fuzz
