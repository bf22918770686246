# The two commands a new user types on a fresh Debian 12 machine:
#   make run    installs dependencies, builds, runs `dra up` (a DRA cluster on simulated GPU
#               nodes; Ctrl-C stops it, its state stays in ~/.local/share/dra/up)
#   make test   installs dependencies, builds, runs every test (ctest), then the decoder fuzzer briefly
# Other targets: demo (`dra up --demo`), tour (the offline commands on the examples), build,
# asan, tsan, fuzz, format, format-check, clean.

JOBS ?= $(shell nproc)
FUZZ_SECONDS ?= 30
# Inputs per fuzzer in `make test` (fixed seed: reproducible); empty = explore for FUZZ_SECONDS.
FUZZ_RUNS ?= 20000
SOURCES = $(shell git ls-files '*.cc' '*.h' 2>/dev/null)

.PHONY: deps build run demo tour test unit-test fuzz fuzz-build asan tsan format format-check clean

deps:
	@./scripts/install-deps.sh

build/build.ninja: CMakeLists.txt CMakePresets.json
	cmake --preset release >/dev/null

build: deps build/build.ninja
	cmake --build build -j $(JOBS)

run: build
	./build/dra up

demo: build
	./build/dra up --demo --listen 127.0.0.1:0

tour: build
	./scripts/quickstart.sh

unit-test: build
	cd build && ctest --output-on-failure -j $(JOBS)

# The fuzzer runs first so that ctest's summary closes the output.
test:
	$(MAKE) fuzz
	$(MAKE) unit-test

fuzz-build: deps
	cmake --preset fuzz >/dev/null
	cmake --build build-fuzz -j $(JOBS)

# Runs every libFuzzer target over its seed corpus, then FUZZ_RUNS new inputs from a fixed seed
# (or, with FUZZ_RUNS empty, new inputs for FUZZ_SECONDS).
fuzz: fuzz-build
	./scripts/run-fuzzers.sh build-fuzz $(FUZZ_SECONDS) $(FUZZ_RUNS)

asan: deps
	cmake --preset asan-ubsan >/dev/null
	cmake --build build-asan -j $(JOBS)
	cd build-asan && ctest --output-on-failure -j $(JOBS)

tsan: deps
	cmake --preset tsan >/dev/null
	cmake --build build-tsan -j $(JOBS)
	cd build-tsan && ctest --output-on-failure -j $(JOBS)

format:
	clang-format -i $(SOURCES)

format-check:
	clang-format --dry-run --Werror $(SOURCES)

clean:
	rm -rf build build-debug build-asan build-tsan build-fuzz
