# The README's two commands: `make run` and `make test`.
# Release build in build/release, test build (invariant checks on) in build/test, and one Clang
# tree in build/sanitize for the ASan + UBSan tests and the libFuzzer targets.
JOBS ?= $(shell nproc)
SCENARIO ?= scenarios/world-2025.yaml
OUT ?= runs/world-2025
CMAKE_FLAGS ?=

.PHONY: all setup build build-test build-sanitize build-fuzz run test test-sanitize fuzz bench \
	format clean

all: build

setup:
	@bash tools/setup.sh

build: setup
	@cmake -S . -B build/release -DCMAKE_BUILD_TYPE=Release $(CMAKE_FLAGS) >/dev/null
	@cmake --build build/release -j $(JOBS)

build-test: setup
	@cmake -S . -B build/test -DCMAKE_BUILD_TYPE=RelWithDebInfo -DMERCATO_CHECK_INVARIANTS=ON $(CMAKE_FLAGS) >/dev/null
	@cmake --build build/test -j $(JOBS)

# One Clang tree (docs/reliability.md, "Sanitizers and fuzzing"): every library, the C++ tests,
# the command line and the libFuzzer targets with AddressSanitizer and UndefinedBehaviorSanitizer
# (undefined behaviour stops the program), invariant checks on. -O1 keeps both the build and the
# sanitized tests quick; no MPI and no Python (a sanitized module cannot be loaded by a plain
# interpreter), so those tests run in build/test only.
SANITIZE_CMAKE = -DCMAKE_BUILD_TYPE=RelWithDebInfo -DCMAKE_CXX_COMPILER=clang++-14 \
	-DCMAKE_CXX_FLAGS_RELWITHDEBINFO="-O1 -gline-tables-only" \
	-DMERCATO_SANITIZE=ON -DMERCATO_FUZZ=ON -DMERCATO_CHECK_INVARIANTS=ON \
	-DMERCATO_MPI=OFF -DMERCATO_BUILD_PYTHON=OFF -DMERCATO_BUILD_BENCH=OFF
FUZZ_TARGETS = scenario_fuzzer checkpoint_fuzzer checkpoint_seeds

build-sanitize: setup
	@cmake -S . -B build/sanitize $(SANITIZE_CMAKE) $(CMAKE_FLAGS) >/dev/null
	@cmake --build build/sanitize -j $(JOBS)

build-fuzz: setup
	@cmake -S . -B build/sanitize $(SANITIZE_CMAKE) $(CMAKE_FLAGS) >/dev/null
	@cmake --build build/sanitize -j $(JOBS) --target $(FUZZ_TARGETS)

FUZZ_SECONDS ?= 300
fuzz: build-fuzz
	@bash tools/fuzz.sh $(FUZZ_SECONDS)

run: build
	@./build/release/mercato run $(SCENARIO) -o $(OUT) --force

# The sanitized tree runs every C++ test but the long stories and the sweep kill/resume ones,
# which build/test runs (docs/reliability.md says why), then each fuzzer for TEST_FUZZ_SECONDS.
SANITIZE_EXCLUDE ?= ExperimentCliTest
TEST_FUZZ_SECONDS ?= 20

test: build-test
	@cd build/test && ctest --output-on-failure -j $(JOBS)
	@$(MAKE) --no-print-directory test-sanitize

test-sanitize: build-sanitize
	@cd build/sanitize && ASAN_OPTIONS=detect_leaks=1 \
	  ctest --output-on-failure -j $(JOBS) -E '$(SANITIZE_EXCLUDE)'
	@bash tools/fuzz.sh $(TEST_FUZZ_SECONDS)

bench: build
	@./build/release/bench/scale_benchmark

format:
	@clang-format -i $$(git ls-files '*.cpp' '*.hpp')

clean:
	@rm -rf build
