#!/usr/bin/env bash
# The local development/test Kafka broker: librdkafka's mock cluster (statefun-mock-broker), bound to
# 127.0.0.1. Idempotent: `start` reuses a broker this script started earlier if it still runs.
#   scripts/kafka-local.sh start    -> prints the bootstrap address (last line)
#   scripts/kafka-local.sh stop     -> stops the broker this script started (by its PID)
#   scripts/kafka-local.sh status
# State lives outside the repo, in ${STATEFUN_CACHE:-~/.cache/statefun-operator}/kafka-mock.
set -euo pipefail
here=$(cd "$(dirname "$0")/.." && pwd)
state="${STATEFUN_CACHE:-$HOME/.cache/statefun-operator}/kafka-mock"
dll="$here/tests/StatefunOperator.MockBroker/bin/Debug/net10.0/statefun-mock-broker.dll"
mkdir -p "$state"

running() {
  [[ -f "$state/pid" ]] || return 1
  local pid; pid=$(cat "$state/pid")
  kill -0 "$pid" 2>/dev/null && tr '\0' ' ' < "/proc/$pid/cmdline" 2>/dev/null | grep -q statefun-mock-broker
}

case "${1:-start}" in
  start)
    if running && [[ -s "$state/bootstrap" ]]; then
      cat "$state/bootstrap"; exit 0
    fi
    [[ -f "$dll" ]] || dotnet build "$here/tests/StatefunOperator.MockBroker" -nologo -v q >&2
    rm -f "$state/bootstrap"
    nohup dotnet "$dll" --bootstrap-file "$state/bootstrap" </dev/null >"$state/broker.log" 2>&1 &
    echo $! > "$state/pid"
    for _ in $(seq 1 300); do
      [[ -s "$state/bootstrap" ]] && { cat "$state/bootstrap"; exit 0; }
      running || break
      sleep 0.1
    done
    echo "kafka-local: the mock broker did not start; see $state/broker.log:" >&2
    cat "$state/broker.log" >&2 || true
    exit 1
    ;;
  stop)
    if running; then kill "$(cat "$state/pid")"; echo "kafka-local: stopped"; fi
    rm -f "$state/pid" "$state/bootstrap"
    ;;
  status)
    if running; then echo "running at $(cat "$state/bootstrap") (pid $(cat "$state/pid"))"; else echo "not running"; exit 1; fi
    ;;
  *) echo "usage: $0 start|stop|status" >&2; exit 2 ;;
esac
