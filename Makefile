# Ocellus — commands for people. `make demo` and `make test` work on a fresh Debian 12.
.PHONY: all deps build debug demo test unit e2e fuzz-build fuzz bench clean

JOBS ?= $(shell nproc)
RELEASE := build/release
DEBUG := build/debug
FUZZ := build/fuzz

all: build

deps:
	@bash scripts/deps.sh

build: deps
	@cmake --preset release >/dev/null
	@cmake --build --preset release -j $(JOBS)

debug: deps
	@cmake --preset debug >/dev/null
	@cmake --build --preset debug -j $(JOBS)

fuzz-build: deps
	@cmake --preset fuzz >/dev/null
	@cmake --build --preset fuzz -j $(JOBS)

# Starts the server with the embedded defaults: demo camera, data in ./data.
demo: build
	@$(RELEASE)/ocellus --config ocellus.yml

# Everything: unit tests under ASan/UBSan, a short run of every fuzzer, end-to-end tests with
# real clients against the release binary. ctest drives them all; its summary is the last line.
test: build debug fuzz-build
	@cmake -S . -B $(RELEASE) -DOCELLUS_DEBUG_DIR=$(CURDIR)/$(DEBUG) -DOCELLUS_FUZZ_DIR=$(CURDIR)/$(FUZZ) >/dev/null
	@cd $(RELEASE) && ctest --output-on-failure -j 2 --timeout 900

unit: debug
	@cd $(DEBUG) && ctest --output-on-failure -L unit -j $(JOBS)

e2e: build
	@cd tests/e2e && OCELLUS_BIN=$(CURDIR)/$(RELEASE)/ocellus /usr/bin/python3 -m pytest -q

# Longer fuzzing: FUZZ_SECONDS per target (default 300).
fuzz: fuzz-build
	@bash scripts/fuzz.sh $(FUZZ) $${FUZZ_SECONDS:-300}

bench: build
	@bash bench/run.sh $(RELEASE)

clean:
	rm -rf build
