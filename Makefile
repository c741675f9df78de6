# StatefunOperator: kubebuilder-style targets. `make test` sets up everything it needs (a local
# Kafka broker, a local kube-apiserver + etcd) on a fresh machine; `make run` runs the main job.
SHELL := /bin/bash
SOLUTION := StatefunOperator.sln
RESULTS := .local/test-results
CACHE ?= $(HOME)/.cache/statefun-operator

.PHONY: all build test e2e unit-test run run-runtime bench bench-state manifests docker-build deploy clean

all: build

build:
	dotnet build $(SOLUTION) -nologo -v q -clp:ErrorsOnly

## test: every test (unit, integration against a real broker / API server, the native operator published first so
## its compile does not compete with the tests), then the Ctrl-C check of
## `make run` with the local runner (scripts/check-run-interrupt.sh), then the end-to-end test on a real single-node
## cluster (scripts/e2e-node.sh: kubelet + containerd, the images built from the Dockerfiles; STATEFUN_E2E_NODE=0
## skips it, aloud) and the Ctrl-C check of `make run` on that node. The real-broker tests run in a pass of their own on a broker
## with real transactions (KAFKA_BOOTSTRAP_SERVERS, Docker, else the kfake binary: scripts/kafka-oracle.sh); the summary
## says which broker, which build and how long the pass took, or counts them aloud where no such broker could be had.
test: build
	@rm -rf $(RESULTS); mkdir -p $(RESULTS)
	@set -o pipefail; \
	if [[ -x scripts/kube-test-assets.sh && -z "$${KUBEBUILDER_ASSETS:-}" && "$${USE_EXISTING_CLUSTER:-}" != "true" ]]; then \
	  assets=$$(scripts/kube-test-assets.sh | tail -n 1) || { echo "make test: could not prepare kube-apiserver/etcd (scripts/kube-test-assets.sh)"; exit 1; }; \
	  export KUBEBUILDER_ASSETS="$$assets"; \
	fi; \
	if [[ -z "$${STATEFUN_NATIVE_OPERATOR:-}" ]]; then \
	  native=$$(scripts/publish-native-operator.sh | tail -n 1) || { echo "make test: could not publish the native operator (scripts/publish-native-operator.sh)"; exit 1; }; \
	  export STATEFUN_NATIVE_OPERATOR="$$native"; \
	fi; \
	status=0; \
	dotnet test $(SOLUTION) --no-build -nologo --filter "Category!=Benchmark&Category!=RealBroker" --logger "trx" --logger "console;verbosity=normal" --results-directory $(RESULTS) 2>&1 \
	  | grep -v -E '^\s*(Passed|Skipped) ' || status=$$?; \
	echo "make test: the real-broker tests (Category=RealBroker), on a broker with real transactions (scripts/kafka-oracle.sh where no Kafka is named)"; \
	mkdir -p $(RESULTS)/real-broker; real_start=$$(date +%s); \
	STATEFUN_REAL_BROKER_RECORD=$(CURDIR)/$(RESULTS)/real-broker/brokers.txt \
	  dotnet test $(SOLUTION) --no-build -nologo --filter "Category=RealBroker" --logger "trx" --logger "console;verbosity=normal" --results-directory $(RESULTS)/real-broker 2>&1 \
	  | grep -v -E '^\s*(Passed|Skipped) |No test matches the given testcase filter' || status=$$?; \
	scripts/test-summary.sh $(RESULTS) $(RESULTS)/real-broker $$(( $$(date +%s) - real_start )); \
	if [[ $$status -eq 0 ]]; then STATEFUN_LOCAL_NODE=runner scripts/check-run-interrupt.sh || status=$$?; fi; \
	if [[ "$${STATEFUN_E2E_NODE:-1}" == 0 ]]; then \
	  echo "make test: the end-to-end test on a real node did NOT run (STATEFUN_E2E_NODE=0)"; \
	elif scripts/e2e-node.sh; then \
	  STATEFUN_LOCAL_NODE=kubelet scripts/check-run-interrupt.sh || status=$$?; \
	else \
	  status=1; echo "make test: the end-to-end test on the real node FAILED (scripts/e2e-node.sh; logs in .local/e2e)"; \
	fi; \
	exit $$status

## e2e: only the end-to-end test on a real single-node cluster (scripts/e2e-node.sh; needs root).
e2e: build
	scripts/e2e-node.sh

## run: the whole system locally: Kafka, kube-apiserver, CRDs, operator, a local stand-in for the
## kubelet, and a demo ingress -> egress (KAFKA_BOOTSTRAP_SERVERS to use your Kafka).
run: build
	scripts/run-local.sh

## run-runtime: the runtime alone on config/runtime/module.yaml against a local broker.
run-runtime: build
	scripts/run-runtime.sh

## bench: figures, not assertions; take them on a quiet machine (README: Benchmarks). Warm-up discarded, ROUNDS
## (>= 5) interleaved rounds, min/median/max: plain loop vs runtime forwarding (at-least-once, exactly-once), the
## function path (10 / 10,000 addresses, both semantics), changelog restore; then the operator at 1,000 KafkaIngresses.
## First the C# SDK's own cost per call against hand-written protocol code (sdk-micro, no HTTP, seconds); last a
## function host holding STATE_ADDRESSES (default 1,000,000) addresses: recovery after kill -9, memory, disk
## (large-state; `STATE_ADDRESSES=10000000 make bench-state` for the 10 million figures, ~10 minutes).
bench: build
	dotnet run --project tests/StatefunOperator.Benchmarks -c Release -- sdk-micro
	dotnet run --project tests/StatefunOperator.Benchmarks -c Release
	scripts/kube-bench.sh
	$(MAKE) bench-state

bench-state: build
	dotnet run --project tests/StatefunOperator.Benchmarks -c Release -- large-state $${STATE_ADDRESSES:-1000000}

## manifests: regenerate the CRD YAML from the C# types (a test fails when it drifts).
manifests:
	dotnet run --project operator/StatefunOperator.Operator -- manifests

docker-build:
	docker build -f runtime/Dockerfile -t statefun-runtime:dev .
	docker build -f operator/Dockerfile -t statefun-operator:dev .

deploy:
	kubectl apply -k config/default

clean:
	dotnet clean $(SOLUTION) -nologo -v q
	rm -rf .local
