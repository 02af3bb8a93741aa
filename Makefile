# The README's two commands: `make run` and `make test`.
# Release build in build/release, test build (invariant checks on) in build/test.
JOBS ?= $(shell nproc)
SCENARIO ?= scenarios/world-2025.yaml
OUT ?= runs/world-2025
CMAKE_FLAGS ?=

.PHONY: all setup build build-test run test bench format clean

all: build

setup:
	@bash tools/setup.sh

build: setup
	@cmake -S . -B build/release -DCMAKE_BUILD_TYPE=Release $(CMAKE_FLAGS) >/dev/null
	@cmake --build build/release -j $(JOBS)

build-test: setup
	@cmake -S . -B build/test -DCMAKE_BUILD_TYPE=RelWithDebInfo -DMERCATO_CHECK_INVARIANTS=ON $(CMAKE_FLAGS) >/dev/null
	@cmake --build build/test -j $(JOBS)

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
