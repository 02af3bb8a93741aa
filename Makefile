# The README's two commands: `make run` and `make test`.
# Release build in build/release, test build (invariant checks on) in build/test.
JOBS ?= $(shell nproc)
SCENARIO ?= scenarios/world-2025.yaml
OUT ?= runs/world-2025
CMAKE_FLAGS ?=

.PHONY: all setup build build-test build-fuzz run test fuzz bench format clean

all: build

setup:
	@bash tools/setup.sh

build: setup
	@cmake -S . -B build/release -DCMAKE_BUILD_TYPE=Release $(CMAKE_FLAGS) >/dev/null
	@cmake --build build/release -j $(JOBS)

build-test: setup
	@cmake -S . -B build/test -DCMAKE_BUILD_TYPE=RelWithDebInfo -DMERCATO_CHECK_INVARIANTS=ON $(CMAKE_FLAGS) >/dev/null
	@cmake --build build/test -j $(JOBS)

# libFuzzer targets with ASan and UBSan (Clang from Debian), in their own tree.
build-fuzz: setup
	@cmake -S . -B build/fuzz -DCMAKE_BUILD_TYPE=RelWithDebInfo -DCMAKE_CXX_COMPILER=clang++-14 \
	  -DMERCATO_FUZZ=ON -DMERCATO_SANITIZE=ON -DMERCATO_MPI=OFF -DMERCATO_BUILD_TESTS=OFF \
	  -DMERCATO_BUILD_BENCH=OFF $(CMAKE_FLAGS) >/dev/null
	@cmake --build build/fuzz -j $(JOBS) --target scenario_fuzzer

FUZZ_SECONDS ?= 300
fuzz: build-fuzz
	@bash tools/fuzz.sh $(FUZZ_SECONDS)

run: build
	@./build/release/mercato run $(SCENARIO) -o $(OUT) --force

test: build-test
	@cd build/test && ctest --output-on-failure -j $(JOBS)

bench: build
	@./build/release/bench/scale_benchmark

format:
	@clang-format -i $$(git ls-files '*.cpp' '*.hpp')

clean:
	@rm -rf build
