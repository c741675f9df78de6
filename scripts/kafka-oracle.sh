#!/usr/bin/env bash
# A local Kafka broker with real transactions for the real-broker tests and `make run`: franz-go's kfake, prebuilt
# in ../shared/kafka-oracle (its README says what it is and how it differs from Apache Kafka).
#   scripts/kafka-oracle.sh find                      -> the binary's path; exit 1 saying why there is none
#   scripts/kafka-oracle.sh build                     -> which build it is, e.g. "kfake 9b1d94b9+5 (sha256 1a2b3c4d5e6f)"
#   scripts/kafka-oracle.sh start --parent-pid PID    -> "bootstrap: 127.0.0.1:N", "pid: P", "build: ...", "log: ..."
#   scripts/kafka-oracle.sh stop PID                  -> stops that broker (only a kfake this script started)
# The binary is STATEFUN_KAFKA_ORACLE, else ../shared/kafka-oracle/kafka-oracle beside the repository.
# start: a free port chosen by the kernel (nothing fixed), on 127.0.0.1 or ORACLE_HOST (e.g. the test node's
# bridge address, so that pods reach it); a watchdog stops the broker by its PID once PID (the caller) is gone,
# so that a killed `make test` or `make run` leaves no broker behind. Everything is in memory: a new broker
# has no topics. Logs go to .local/kafka-oracle/ (the shared folder may be read-only).
set -euo pipefail
here=$(cd "$(dirname "$0")/.." && pwd)
default_bin="$(cd "$here/.." && pwd)/shared/kafka-oracle/kafka-oracle"
bin=${STATEFUN_KAFKA_ORACLE:-$default_bin}

# Alive and not a zombie waiting to be reaped (kill -0 succeeds on those).
alive() { grep -q '^State:[[:space:]]*[^Z[:space:]]' "/proc/$1/status" 2>/dev/null; }

find_bin() {
  if [[ -x "$bin" && -f "$bin" ]]; then echo "$bin"; return 0; fi
  if [[ -n "${STATEFUN_KAFKA_ORACLE:-}" ]]; then
    echo "kafka-oracle: STATEFUN_KAFKA_ORACLE=$STATEFUN_KAFKA_ORACLE is not an executable file" >&2
  else
    echo "kafka-oracle: no kfake binary at $default_bin (set STATEFUN_KAFKA_ORACLE to one)" >&2
  fi
  return 1
}

# kfake at the franz-go commit build.sh builds, plus the number of fixes patch.py applies, and the binary's hash.
build_name() {
  local dir commit fixes sum
  dir=$(dirname "$bin")
  commit=$(sed -n 's/^COMMIT=\${COMMIT:-\([0-9a-f]*\)}.*/\1/p' "$dir/build.sh" 2>/dev/null | head -n 1)
  fixes=$(head -n 1 "$dir/patch.py" 2>/dev/null | grep -o '([0-9]*)' | wc -l)
  sum=$(sha256sum "$bin" | cut -c1-12)
  echo "kfake ${commit:-unknown}+${fixes} (sha256 $sum)"
}

case "${1:-}" in
  find) find_bin ;;
  build) find_bin >/dev/null && build_name ;;
  start)
    shift
    parent=
    while [[ $# -gt 0 ]]; do
      case "$1" in
        --parent-pid) parent=$2; shift 2 ;;
        *) echo "kafka-oracle: unknown argument $1" >&2; exit 2 ;;
      esac
    done
    [[ -n "$parent" ]] || { echo "kafka-oracle: start needs --parent-pid (the broker goes when that process goes)" >&2; exit 2; }
    find_bin >/dev/null
    mkdir -p "$here/.local/kafka-oracle"
    log="$here/.local/kafka-oracle/kfake-$$.log"
    ORACLE_PORT=0 "$bin" </dev/null >"$log" 2>&1 &
    broker=$!
    # Asynchronous commands of a script ignore SIGINT: Ctrl-C of the caller's terminal does not stop the watchdog
    # before it has stopped the broker.
    ( while alive "$parent" && alive "$broker"; do sleep 0.25; done
      kill "$broker" 2>/dev/null || true ) </dev/null >/dev/null 2>&1 &
    for _ in $(seq 1 100); do
      address=$(sed -n '1s/^\[\(.*\)\]$/\1/p' "$log")
      if [[ -n "$address" ]]; then
        echo "bootstrap: $address"; echo "pid: $broker"; echo "build: $(build_name)"; echo "log: $log"
        exit 0
      fi
      alive "$broker" || break
      sleep 0.1
    done
    kill "$broker" 2>/dev/null || true
    echo "kafka-oracle: $bin did not start listening within 10 s: $(tail -n 3 "$log")" >&2
    exit 1
    ;;
  stop)
    pid=${2:?usage: $0 stop PID}
    if tr '\0' ' ' < "/proc/$pid/cmdline" 2>/dev/null | grep -q kafka-oracle; then
      kill "$pid" 2>/dev/null || true
      for _ in $(seq 1 50); do alive "$pid" || break; sleep 0.1; done
    fi
    ;;
  *) echo "usage: $0 find|build|start --parent-pid PID|stop PID" >&2; exit 2 ;;
esac
