#!/usr/bin/env bash
# The operator's scale benchmark (part of `make bench`): 1,000 KafkaIngress resources applied at once to a real
# kube-apiserver, the operator running as its own process (native, as the image runs it, then under the JIT); then
# the runtime's idle RSS. Prints the figures (also in $TMPDIR/statefun-operator-bench.txt). Figures, not assertions: take them on a quiet machine.
#   STATEFUN_BENCH_INGRESSES=N   number of resources (default 1000)
#   STATEFUN_BENCH_IDLE_SECONDS  how long the runtime idles before its RSS is read (default 10)
#   STATEFUN_BENCH_WORKERS=N     the operator's --workers (default 16; the operator's own default is 4)
set -euo pipefail
cd "$(dirname "$0")/.."
assets="$(scripts/kube-test-assets.sh | tail -n 1)"
export KUBEBUILDER_ASSETS="${KUBEBUILDER_ASSETS:-$assets}"
export STATEFUN_BENCH=1
report="${TMPDIR:-/tmp}/statefun-operator-bench.txt"
rm -f "$report"
# The operator twice: native (what the image runs; published once per source state), then under the JIT.
native="$(scripts/publish-native-operator.sh | tail -n 1)"
for operator in "$native" ""; do
  STATEFUN_BENCH_OPERATOR="$operator" dotnet test tests/StatefunOperator.Operator.Tests --configuration Release \
    --filter "Category=Benchmark" --logger "console;verbosity=normal"
done

# Runtime idle RSS: the runtime (Release, as built above) on config/runtime/module.yaml (one ingress, one
# exactly-once egress) against a mock broker of its own (a private STATEFUN_CACHE: never another run's broker),
# read after it has idled. Everything started here is stopped by its PID.
idle_seconds="${STATEFUN_BENCH_IDLE_SECONDS:-10}"
state="$(mktemp -d)"
runtime_pid=
cleanup() {
  if [[ -n "$runtime_pid" ]]; then kill "$runtime_pid" 2>/dev/null || true; wait "$runtime_pid" 2>/dev/null || true; fi
  STATEFUN_CACHE="$state" scripts/kafka-local.sh stop >/dev/null 2>&1 || true
  rm -rf "$state"
}
trap cleanup EXIT
bootstrap="$(STATEFUN_CACHE="$state" scripts/kafka-local.sh start --parent-pid $$ | tail -n 1)"
KAFKA_BOOTSTRAP_SERVERS="$bootstrap" STATEFUN_HEALTH_URLS="http://127.0.0.1:0" \
  dotnet runtime/StatefunOperator.Runtime.Host/bin/Release/net10.0/statefun-runtime.dll --module config/runtime/module.yaml \
  >"$state/runtime.log" 2>&1 &
runtime_pid=$!
sleep "$idle_seconds"
if ! kill -0 "$runtime_pid" 2>/dev/null; then
  echo "kube-bench: the runtime exited early; its log:" >&2
  cat "$state/runtime.log" >&2
  exit 1
fi
kilobytes() { awk -v field="$1:" '$1 == field { print $2 }' "/proc/$runtime_pid/status"; }
rss=$(kilobytes VmRSS)
hwm=$(kilobytes VmHWM)
printf 'runtime idle RSS: %d MB after %s s idle (peak %d MB; target < 80 MB)\n' $((rss / 1024)) "$idle_seconds" $((hwm / 1024)) >>"$report"
cat "$report"
