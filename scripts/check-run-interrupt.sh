#!/usr/bin/env bash
# The Ctrl-C guard (make test runs it): starts `make run` as a terminal would (its own process group, SIGINT
# not ignored), waits until the system is up, sends SIGINT to the whole group as Ctrl-C does, and asserts
# that make run returned within 30 s and that no process it started is left. STATEFUN_LOCAL_NODE (runner, kubelet)
# chooses what make run runs the pods on; make test checks both.
set -euo pipefail
here=$(cd "$(dirname "$0")/.." && pwd)
cd "$here"
log="$here/.local/check-run-interrupt.log"
mkdir -p "$here/.local"
up_limit=${RUN_UP_LIMIT_SECONDS:-600}

# Processes of this checkout's programs (the broker, API server and etcd started for it, the operator, the
# runner, runtimes, the greeter) and, with the real node (STATEFUN_LOCAL_NODE=kubelet or auto), the node's
# components: none may be left after the Ctrl-C.
ours() {
  pgrep -af "$here/(tests|runtime|operator)/.*/bin/.*/(statefun-mock-broker|statefun-operator|statefun-local-runner|statefun-runtime|statefun-cs-greeter)\.dll|$here/.local/|js-greeter/greeter.js ${GREETER_PORT:-18000}" \
    | grep -v -e "check-run-interrupt" -e "dotnet test" -e testhost -e vstest || true
  pgrep -af "$here/scripts/kafka-oracle.sh start" || true
  # A kfake broker writes its log under this checkout's .local (scripts/kafka-oracle.sh).
  local pid bin
  if bin=$("$here/scripts/kafka-oracle.sh" find 2>/dev/null); then
    for pid in $(pgrep -f "^$bin" || true); do
      if [[ "$(readlink "/proc/$pid/fd/1" 2>/dev/null)" == "$here/.local/"* ]]; then echo "$pid $bin (kfake)"; fi
    done
  fi
  "$here/scripts/kube-node.sh" status 2>/dev/null | grep ' running ' || true
}
echo "check-run-interrupt: make run with STATEFUN_LOCAL_NODE=${STATEFUN_LOCAL_NODE:-auto}"

if [[ -n "$(ours)" ]]; then
  echo "check-run-interrupt: processes of this checkout already run; stop them first:"; ours; exit 1
fi

# A log from an earlier check says "the system is up" already: remove it first, or the wait below may read it
# before make run's output replaces it (seen when make test runs this twice in a row: SIGINT 1 s after the start).
rm -f "$log"
set -m   # job control: make run gets a process group of its own, and SIGINT is not ignored in it
make run >"$log" 2>&1 &
group=$!
set +m
deadline=$((SECONDS + up_limit))
until grep -q "run: the system is up" "$log" 2>/dev/null; do
  if ! kill -0 "$group" 2>/dev/null; then echo "check-run-interrupt: make run exited before it was up; its output:"; cat "$log"; exit 1; fi
  if (( SECONDS > deadline )); then echo "check-run-interrupt: make run not up within ${up_limit} s; its output:"; cat "$log"; kill -INT -- -"$group" || true; exit 1; fi
  sleep 1
done

echo "check-run-interrupt: make run is up; sending SIGINT to its process group ($group), as Ctrl-C does"
sent=$SECONDS
kill -INT -- -"$group"
status=0
for _ in $(seq 1 300); do kill -0 "$group" 2>/dev/null || break; sleep 0.1; done
if kill -0 "$group" 2>/dev/null; then
  echo "check-run-interrupt: make run still runs 30 s after SIGINT; its output:"; tail -n 20 "$log"
  kill -KILL -- -"$group" 2>/dev/null || true
  status=1
else
  wait "$group" || true
  echo "check-run-interrupt: make run returned $((SECONDS - sent)) s after SIGINT"
fi

sleep 1
left=$(ours)
if [[ -n "$left" ]]; then
  echo "check-run-interrupt: processes left after Ctrl-C:"; echo "$left"
  status=1
fi

if (( status == 0 )); then echo "check-run-interrupt: OK, nothing left"; fi
exit "$status"
