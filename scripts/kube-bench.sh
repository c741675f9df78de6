#!/usr/bin/env bash
# The operator's scale benchmark (part of `make bench`): 1,000 KafkaIngress resources applied at once to a real
# kube-apiserver, the operator running as its own process. Prints the figures (also in $TMPDIR/statefun-operator-bench.txt).
#   STATEFUN_BENCH_INGRESSES=N   number of resources (default 1000)
set -euo pipefail
cd "$(dirname "$0")/.."
assets="$(scripts/kube-test-assets.sh | tail -n 1)"
export KUBEBUILDER_ASSETS="${KUBEBUILDER_ASSETS:-$assets}"
export STATEFUN_BENCH=1
dotnet test tests/StatefunOperator.Operator.Tests --configuration Release \
  --filter "Category=Benchmark" --logger "console;verbosity=normal"
cat "${TMPDIR:-/tmp}/statefun-operator-bench.txt"
