#!/usr/bin/env bash
# make run-runtime: the runtime alone on config/runtime/module.yaml against a local Kafka broker, with a few sample
# records, printing what it consumes. KAFKA_BOOTSTRAP_SERVERS points it at your own broker instead.
# Ctrl-C stops the runtime and the broker this script started.
set -euo pipefail
here=$(cd "$(dirname "$0")/.." && pwd)
bin="$here/tests/StatefunOperator.MockBroker/bin/Debug/net10.0/statefun-mock-broker.dll"
runtime="$here/runtime/StatefunOperator.Runtime.Host/bin/Debug/net10.0/statefun-runtime.dll"
module="${STATEFUN_MODULE:-$here/config/runtime/module.yaml}"
started_broker=
if [[ -z "${KAFKA_BOOTSTRAP_SERVERS:-}" ]]; then
  KAFKA_BOOTSTRAP_SERVERS=$("$here/scripts/kafka-local.sh" start --parent-pid $$ | tail -n 1)
  started_broker=yes
  echo "run: local Kafka broker ($("$here/scripts/kafka-local.sh" kind)) at $KAFKA_BOOTSTRAP_SERVERS"
fi
export KAFKA_BOOTSTRAP_SERVERS
runtime_pid=
stop() {
  if [[ -n "$runtime_pid" ]] && kill "$runtime_pid" 2>/dev/null; then
    # Let it leave its consumer group and commit before the broker goes away.
    for _ in $(seq 1 250); do kill -0 "$runtime_pid" 2>/dev/null || break; sleep 0.1; done
  fi
  if [[ -n "$started_broker" ]]; then "$here/scripts/kafka-local.sh" stop >/dev/null || true; fi
}
trap stop EXIT
trap "exit 130" INT TERM

echo "run: producing sample records to user-events (the unkeyed one goes to the dead-letter topic user-events-dlq)"
dotnet "$bin" produce --bootstrap "$KAFKA_BOOTSTRAP_SERVERS" --topic user-events \
  'alice={"name":"Alice"}' 'bob={"name":"Bob"}' 'alice={"name":"Alice","visit":2}' '=a record without a key'
echo "run: starting the runtime on $module (Ctrl-C to stop)"
dotnet "$runtime" --module "$module" &
runtime_pid=$!
wait "$runtime_pid"
