# Thin wrapper over CMake. `make test` and `make demo` install what is missing
# first, so they work on a fresh Debian machine (as root, or with sudo).
# `make test-asan` runs the whole suite under ASan + UBSan (in build-asan/);
# `make fuzz FUZZ_SECONDS=600` builds the libFuzzer harnesses with clang (in
# build-fuzz/) and runs each for that long (FUZZ_TARGETS: a subset).
BUILD ?= build
ASAN_BUILD ?= build-asan
FUZZ_BUILD ?= build-fuzz
FUZZ_SECONDS ?= 60
FUZZ_TARGETS ?=
# `make install` honours PREFIX (default: CMAKE_INSTALL_PREFIX, /usr/local)
# and DESTDIR (staging); tests/install.sh checks both
PREFIX ?=
DESTDIR ?=
JOBS ?= 2
DATA ?= ../shared/data
GRL = $(BUILD)/grl
DEB_PACKAGES = cmake pkg-config gcc make libgraphblas-dev libigraph-dev \
	libmetis-dev libcmocka-dev libopenblas-openmp-dev liblapacke-dev zlib1g-dev python3 python3-numpy \
	man-db groff-base \
	clang libclang-rt-14-dev libomp-14-dev \
	libopenmpi-dev openmpi-bin
SUDO = $(shell [ "$$(id -u)" = 0 ] || echo sudo)

.PHONY: all deps build test test-asan fuzz-build fuzz demo bench install clean

all: build

deps:
	@missing=$$(for p in $(DEB_PACKAGES); do \
		dpkg-query -W -f='$${Status}\n' $$p 2>/dev/null | grep -q '^install ok installed' || echo $$p; done); \
	if [ -n "$$missing" ]; then \
		echo "installing:" $$missing; \
		$(SUDO) apt-get update -qq && \
		DEBIAN_FRONTEND=noninteractive $(SUDO) apt-get install -y -qq --no-install-recommends $$missing; \
	fi

$(BUILD)/CMakeCache.txt:
	cmake -S . -B $(BUILD) -DCMAKE_BUILD_TYPE=Release -DGRL_DATA_DIR=$(abspath $(DATA))

build: deps $(BUILD)/CMakeCache.txt
	cmake --build $(BUILD) -j $(JOBS)

test: build
	cd $(BUILD) && OMP_WAIT_POLICY=passive ctest --output-on-failure -j 2

$(ASAN_BUILD)/CMakeCache.txt:
	cmake -S . -B $(ASAN_BUILD) -DCMAKE_BUILD_TYPE=RelWithDebInfo -DGRL_SANITIZE=ON \
		-DGRL_BUILD_BENCH=OFF -DGRL_DATA_DIR=$(abspath $(DATA))

test-asan: deps $(ASAN_BUILD)/CMakeCache.txt
	cmake --build $(ASAN_BUILD) -j $(JOBS)
	cd $(ASAN_BUILD) && OMP_WAIT_POLICY=passive ctest --output-on-failure -j 2

$(FUZZ_BUILD)/CMakeCache.txt:
	CC=clang cmake -S . -B $(FUZZ_BUILD) -DCMAKE_BUILD_TYPE=RelWithDebInfo -DGRL_FUZZ=ON \
		-DGRL_BUILD_TESTS=OFF -DGRL_BUILD_BENCH=OFF -DGRL_DATA_DIR=$(abspath $(DATA))

fuzz-build: deps $(FUZZ_BUILD)/CMakeCache.txt
	cmake --build $(FUZZ_BUILD) -j $(JOBS) --target fuzz_all

fuzz: fuzz-build
	bash fuzz/run.sh $(FUZZ_BUILD) $(FUZZ_SECONDS) $(FUZZ_TARGETS)

demo: build
	@echo "== grl info: email-Eu-core (directed)"
	$(GRL) info $(DATA)/email-eu-core/email-Eu-core.txt --directed
	@echo "== grl partition: 4 METIS parts"
	$(GRL) partition $(DATA)/email-eu-core/email-Eu-core.txt --directed --parts 4 --seed 1 --output $(BUILD)/email-parts.txt
	@echo "== FastRP on BlogCatalog (d=512, weights 0,0,1,6.67, beta -0.64), then"
	@echo "   node classification at 10% training (paper: Micro-F1 0.372, Macro-F1 0.228)"
	$(GRL) fastrp $(DATA)/blogcatalog/edges.txt --dim 512 --weights 0,0,1,6.67 --beta -0.64 --output $(BUILD)/blogcatalog.npy
	$(GRL) eval nodeclf --embedding $(BUILD)/blogcatalog.npy --labels $(DATA)/blogcatalog/labels.txt --train-fraction 0.1 --repeats 5 --quiet
	@echo "== top-10 personalized PageRank of email-Eu-core node 0 (alpha 0.15)"
	$(GRL) ppr $(DATA)/email-eu-core/email-Eu-core.txt --directed --source 0 --top 10
	@echo "== the 5 best new links of CA-GrQc by resource allocation"
	$(GRL) linkpred topk $(DATA)/ca-grqc/CA-GrQc.txt --method ra --best 5
	@echo "== ADPA on Cora-ML (20 per class, 500 val, 10 splits): directed patterns, then undirected"
	$(GRL) gnn adpa $(DATA)/cora_ml/edges.txt --features $(DATA)/cora_ml/features.txt --labels $(DATA)/cora_ml/labels.txt --quiet
	$(GRL) gnn adpa $(DATA)/cora_ml/edges.txt --features $(DATA)/cora_ml/features.txt --labels $(DATA)/cora_ml/labels.txt --patterns undirected --quiet

# `make bench` prints the README's benchmark tables (and keeps them in
# $(BUILD)/bench.md); BENCH_QUICK=1 for a small development run, BENCH_REPS
# and BENCH_THREADS as bench/run.sh says.
bench: build
	DATA=$(DATA) bash -o pipefail -c 'bash bench/run.sh $(BUILD) | tee $(BUILD)/bench.md'

install: build
	DESTDIR=$(DESTDIR) cmake --install $(BUILD) $(if $(PREFIX),--prefix $(PREFIX))

clean:
	rm -rf $(BUILD) $(ASAN_BUILD) $(FUZZ_BUILD)
