#!/usr/bin/env bash
# The local development Kafka broker, bound to 127.0.0.1, in this order: where a Docker engine answers, a real Kafka
# container (Testcontainers.Kafka's image through statefun-mock-broker, removed again on stop); else the kfake binary
# (a broker with real transactions: scripts/kafka-oracle.sh, STATEFUN_KAFKA_ORACLE or ../shared/kafka-oracle),
# stopped with the process that called `start`; else librdkafka's mock cluster (statefun-mock-broker).
# STATEFUN_LOCAL_KAFKA=mock|kfake|container|auto (default auto) forces the choice.
# Idempotent: `start` reuses a broker this script started earlier if it still runs.
#   scripts/kafka-local.sh start [--parent-pid PID]  -> prints the bootstrap address (last line); a kfake goes when PID
#                                                      (default: the caller) is gone
#   scripts/kafka-local.sh kind     -> mock | kfake | container (of the running broker)
#   scripts/kafka-local.sh why      -> why that one (one line)
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
  kill -0 "$pid" 2>/dev/null && tr '\0' ' ' < "/proc/$pid/cmdline" 2>/dev/null | grep -q -E 'statefun-mock-broker|kafka-oracle'
}

# True when a Docker engine answers on DOCKER_HOST or /var/run/docker.sock (a TCP or SSH host is assumed to).
docker_answers() {
  local host=${DOCKER_HOST:-unix:///var/run/docker.sock}
  [[ $host == unix://* ]] || return 0
  [[ -S ${host#unix://} ]] && curl -fsS --max-time 5 --unix-socket "${host#unix://}" http://localhost/_ping >/dev/null 2>&1
}

# Which broker `start` takes, and why (second line).
choose() {
  local oracle_missing
  case "${STATEFUN_LOCAL_KAFKA:-auto}" in
    mock) echo mock; echo "STATEFUN_LOCAL_KAFKA=mock" ;;
    container) echo container; echo "STATEFUN_LOCAL_KAFKA=container" ;;
    kfake) echo kfake; echo "STATEFUN_LOCAL_KAFKA=kfake" ;;
    auto)
      if docker_answers; then echo container; echo "a Docker engine answered"
      elif oracle_missing=$("$here/scripts/kafka-oracle.sh" find 2>&1 >/dev/null); then echo kfake; echo "no Docker engine answered; a kfake binary was found ($("$here/scripts/kafka-oracle.sh" find))"
      else echo mock; echo "no Docker engine answered and ${oracle_missing#kafka-oracle: }"
      fi ;;
    *) echo "kafka-local: STATEFUN_LOCAL_KAFKA must be auto, mock, kfake or container (not '$STATEFUN_LOCAL_KAFKA')" >&2; return 2 ;;
  esac
}

case "${1:-start}" in
  start)
    if running && [[ -s "$state/bootstrap" ]]; then
      cat "$state/bootstrap"; exit 0
    fi
    rm -f "$state/bootstrap"
    choice=$(choose)
    kind=$(head -n 1 <<<"$choice")
    echo "$choice" | tail -n 1 > "$state/why"
    if [[ $kind == kfake ]]; then
      # Stopped by its watchdog once the caller (make run's script) is gone, even if it is killed.
      parent=$PPID
      if [[ "${2:-}" == --parent-pid ]]; then parent=${3:?--parent-pid needs a PID}; fi
      "$here/scripts/kafka-oracle.sh" start --parent-pid "$parent" > "$state/broker.log"
      { echo "kind: kfake"; cat "$state/broker.log"; } > "$state/broker.log.new" && mv "$state/broker.log.new" "$state/broker.log"
      sed -n 's/^pid: //p' "$state/broker.log" > "$state/pid"
      sed -n 's/^bootstrap: //p' "$state/broker.log" > "$state/bootstrap"
      cat "$state/bootstrap"; exit 0
    fi
    [[ -f "$dll" ]] || dotnet build "$here/tests/StatefunOperator.MockBroker" -nologo -v q >&2
    nohup dotnet "$dll" --kind "$kind" --bootstrap-file "$state/bootstrap" </dev/null >"$state/broker.log" 2>&1 &
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
  why)
    cat "$state/why" 2>/dev/null || true
    ;;
  build)
    sed -n 's/^build: //p' "$state/broker.log" 2>/dev/null | head -n 1
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
  *) echo "usage: $0 start|kind|why|build|stop|status" >&2; exit 2 ;;
esac
