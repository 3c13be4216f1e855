# The two commands of the README: `make demo` (the main job) and `make test` (every test).
# Both install missing Debian packages first (scripts/deps.sh; needs root on a fresh machine).
SHELL := /bin/bash
JOBS ?= $(shell nproc)
RELEASE_DIR := build/release
DEBUG_DIR := build/debug
FUZZ_DIR := build/fuzz
FUZZ_SECONDS ?= 20
export CCACHE_DIR ?= $(HOME)/.cache/argus-ccache

.PHONY: all deps build build-debug test fuzz demo bench format format-check clean

all: build

deps:
	@bash scripts/deps.sh

$(RELEASE_DIR)/build.ninja:
	cmake -S . -B $(RELEASE_DIR) -G Ninja -DCMAKE_BUILD_TYPE=Release

$(DEBUG_DIR)/build.ninja:
	cmake -S . -B $(DEBUG_DIR) -G Ninja -DCMAKE_BUILD_TYPE=Debug -DARGUS_BENCH=OFF

# Release build: the demo and the benchmarks.
build: deps $(RELEASE_DIR)/build.ninja
	cmake --build $(RELEASE_DIR) -j $(JOBS)

# Debug build with ASan + UBSan: what the tests run under.
build-debug: deps $(DEBUG_DIR)/build.ninja
	cmake --build $(DEBUG_DIR) -j $(JOBS)

test: build-debug format-check
	cd $(DEBUG_DIR) && ctest --output-on-failure -j $(JOBS) --timeout 600

$(FUZZ_DIR)/build.ninja:
	CC=clang CXX=clang++ cmake -S . -B $(FUZZ_DIR) -G Ninja -DCMAKE_BUILD_TYPE=Debug -DARGUS_FUZZ=ON

# libFuzzer targets (clang, ASan + UBSan): builds them, writes their seeds and runs each one for
# FUZZ_SECONDS; fails on any crash (the input is kept under $(FUZZ_DIR)/artifacts/).
fuzz: deps $(FUZZ_DIR)/build.ninja
	cmake --build $(FUZZ_DIR) -j $(JOBS)
	bash scripts/fuzz.sh $(FUZZ_DIR) $(FUZZ_SECONDS)

demo: build
	bash scripts/demo.sh $(RELEASE_DIR)/src/cmd/argus

bench: build
	$(RELEASE_DIR)/bench/base_benchmark
	$(RELEASE_DIR)/bench/chunkenc_benchmark

SOURCES = $(shell git ls-files '*.cc' '*.h' 2>/dev/null)

format:
	clang-format -i $(SOURCES)

format-check: deps
	@clang-format --dry-run --Werror $(SOURCES) && echo "format-check: OK"

clean:
	rm -rf build
