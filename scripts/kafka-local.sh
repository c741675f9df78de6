#!/usr/bin/env bash
# The local development Kafka broker, bound to 127.0.0.1, served by statefun-mock-broker: where a Docker engine
# answers, a real Kafka container (Testcontainers.Kafka's image, removed again on stop); else librdkafka's mock
# cluster. STATEFUN_LOCAL_KAFKA=mock|container|auto (default auto) forces the choice.
# Idempotent: `start` reuses a broker this script started earlier if it still runs.
#   scripts/kafka-local.sh start    -> prints the bootstrap address (last line)
#   scripts/kafka-local.sh kind     -> mock | container (of the running broker)
#   scripts/kafka-local.sh stop     -> stops the broker this script started (by its PID) and waits for it
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
    nohup dotnet "$dll" --kind "${STATEFUN_LOCAL_KAFKA:-auto}" --bootstrap-file "$state/bootstrap" </dev/null >"$state/broker.log" 2>&1 &
    echo $! > "$state/pid"
    # A container's first start pulls its image: wait up to 10 minutes, saying so every 30 s.
    for i in $(seq 1 6000); do
      if (( i % 300 == 0 )); then echo "kafka-local: still starting ($(tail -n 1 "$state/broker.log"))" >&2; fi
      [[ -s "$state/bootstrap" ]] && { cat "$state/bootstrap"; exit 0; }
      running || break
      sleep 0.1
    done
    echo "kafka-local: the local broker did not start; see $state/broker.log:" >&2
    cat "$state/broker.log" >&2 || true
    exit 1
    ;;
  kind)
    sed -n 's/^kind: //p' "$state/broker.log" 2>/dev/null | head -n 1
    ;;
  stop)
    if running; then
      pid=$(cat "$state/pid")
      kill "$pid"
      # A container takes a few seconds to stop and be removed.
      for _ in $(seq 1 250); do kill -0 "$pid" 2>/dev/null || break; sleep 0.1; done
      echo "kafka-local: stopped"
    fi
    rm -f "$state/pid" "$state/bootstrap"
    ;;
  status)
    if running; then echo "$("$0" kind) running at $(cat "$state/bootstrap") (pid $(cat "$state/pid"))"; else echo "not running"; exit 1; fi
    ;;
  *) echo "usage: $0 start|kind|stop|status" >&2; exit 2 ;;
esac
