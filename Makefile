# Thin wrapper: the real build is CMake. `make run` and `make test` do all set-up
# (missing Debian packages, configure, build) on a fresh machine. `make run`
# builds only ksim, the program it runs; `make test` builds everything.
BUILD      ?= build
SAN_BUILD  ?= build-sanitize
JOBS       ?= $(shell nproc)
CMAKE_ARGS ?=
# Ninja when installed (tools/install-deps.sh installs it): it starts the next
# compile sooner and prints one line per step.
GENERATOR  ?= $(if $(shell command -v ninja 2>/dev/null),-G Ninja,)
# RapidCheck draws its cases from this seed, so `make test` is reproducible;
# `make test RC_SEED=$$RANDOM` (or any number) explores other cases.
RC_SEED    ?= 20261122

.PHONY: all deps configure build run test test-sanitize lint bench bench-reference install clean fuzz

all: build

deps:
	@tools/install-deps.sh

$(BUILD)/CMakeCache.txt: | deps
	@cmake -S . -B $(BUILD) $(GENERATOR) -DCMAKE_BUILD_TYPE=Release $(CMAKE_ARGS) >/dev/null

configure: deps $(BUILD)/CMakeCache.txt

build: configure
	@cmake --build $(BUILD) -j $(JOBS)

run: configure
	@cmake --build $(BUILD) -j $(JOBS) --target ksim
	@$(BUILD)/bin/ksim run

test: build
	@cd $(BUILD) && RC_PARAMS="seed=$(RC_SEED)" ctest --output-on-failure -j $(JOBS)

# AddressSanitizer + UndefinedBehaviorSanitizer, in a build directory of its own,
# at -O1 so it builds and runs quickly; fewer RapidCheck cases; no viewer, no
# benchmarks. CI (.ci/run) runs it after `make test`. SAN_CTEST_ARGS passes
# ctest options, e.g. SAN_CTEST_ARGS="-E explore" to leave out the explore tests.
SAN_CTEST_ARGS ?=
$(SAN_BUILD)/CMakeCache.txt: | deps
	@cmake -S . -B $(SAN_BUILD) $(GENERATOR) -DCMAKE_BUILD_TYPE=Release -DKSIM_SANITIZE=ON -DKSIM_BUILD_VIEWER=OFF -DKSIM_BUILD_BENCH=OFF >/dev/null

test-sanitize: deps $(SAN_BUILD)/CMakeCache.txt
	@cmake --build $(SAN_BUILD) -j $(JOBS)
	@cd $(SAN_BUILD) && RC_PARAMS="seed=$(RC_SEED) max_success=10" ctest --output-on-failure -j $(JOBS) $(SAN_CTEST_ARGS)

lint:
	@tools/lint-determinism.sh
	@tools/lint-layers.sh

# libFuzzer over the scenario loader (with --set overrides) and the trace
# reader, in a clang build of its own (fuzz/CMakeLists.txt), seeded with the
# bundled scenarios and the regression corpus; FUZZ_SECONDS per target.
# A crash leaves its input as build-fuzz/crash-*: add it to fuzz/corpus/.
FUZZ_BUILD   ?= build-fuzz
FUZZ_SECONDS ?= 300
fuzz:
	@command -v clang++ >/dev/null || { echo "make fuzz needs clang++ (apt-get install clang libclang-rt-14-dev)"; exit 2; }
	@cmake -S . -B $(FUZZ_BUILD) -DCMAKE_BUILD_TYPE=Release -DCMAKE_C_COMPILER=clang -DCMAKE_CXX_COMPILER=clang++ \
	  -DCMAKE_CXX_FLAGS="-fsanitize=fuzzer-no-link,address -g1" -DKSIM_FUZZ=ON -DKSIM_BUILD_VIEWER=OFF \
	  -DKSIM_BUILD_BENCH=OFF >/dev/null
	@cmake --build $(FUZZ_BUILD) -j $(JOBS) --target ksim-fuzz-scenario ksim-fuzz-trace
	@mkdir -p $(FUZZ_BUILD)/corpus/scenario $(FUZZ_BUILD)/corpus/trace
	@cp scenarios/*.json fuzz/corpus/scenario/* $(FUZZ_BUILD)/corpus/scenario/
	@cp tests/check/data/*.jsonl fuzz/corpus/trace/* $(FUZZ_BUILD)/corpus/trace/
	@cd $(FUZZ_BUILD) && ./bin/ksim-fuzz-scenario -max_total_time=$(FUZZ_SECONDS) -timeout=10 -rss_limit_mb=2048 \
	  -max_len=65536 corpus/scenario
	@cd $(FUZZ_BUILD) && ./bin/ksim-fuzz-trace -max_total_time=$(FUZZ_SECONDS) -timeout=10 -rss_limit_mb=2048 \
	  -max_len=65536 corpus/trace

bench: build
	@$(BUILD)/bin/ksim-bench-kernel

# Issue #6's reference scenario end to end (bench/reference_cluster.json), median of 3.
bench-reference: configure
	@cmake --build $(BUILD) -j $(JOBS) --target ksim
	@tools/bench-reference.sh $(BUILD)/bin/ksim 3

install: build
	@cmake --install $(BUILD)

clean:
	@rm -rf $(BUILD) $(SAN_BUILD)
