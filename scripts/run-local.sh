#!/usr/bin/env bash
# make run: the whole system on one machine.
#   a local Kafka broker (scripts/kafka-local.sh: a Kafka container where a Docker engine answers, else the kfake
#   binary where found (real transactions), else the mock broker; KAFKA_BOOTSTRAP_SERVERS to use yours)
#   a local kube-apiserver + etcd (scripts/kube-local-apiserver.sh), with a kubeconfig in .local/kube
#   the CRDs, the operator, and statefun-local-runner (a development stand-in for a kubelet that runs
#   the operator's Deployments as local runtime processes)
#   a StateFun function written with the official JavaScript SDK (tests/js-greeter) on 127.0.0.1
#   config/local/demo.yaml applied: an ingress mirroring user-events through an exactly-once egress, and
#   an ingress routing names to the greeter, whose greetings go out through an exactly-once egress
# then it writes sample records and shows the egress output and the resources' status.
# Ctrl-C stops everything it started (by PID).
set -euo pipefail
here=$(cd "$(dirname "$0")/.." && pwd)
cd "$here"
local_dir="$here/.local"
mkdir -p "$local_dir"
tools="$here/tests/StatefunOperator.MockBroker/bin/Debug/net10.0/statefun-mock-broker.dll"
runtime="$here/runtime/StatefunOperator.Runtime.Host/bin/Debug/net10.0/statefun-runtime.dll"
operator="$here/operator/StatefunOperator.Operator/bin/Debug/net10.0/statefun-operator.dll"
runner="$here/tests/StatefunOperator.LocalRunner/bin/Debug/net10.0/statefun-local-runner.dll"
ns=example
greeter_port="${GREETER_PORT:-18000}"
cs_greeter_port="${CS_GREETER_PORT:-18002}"
cs_greeter="$here/tests/StatefunOperator.CsGreeter/bin/Debug/net10.0/statefun-cs-greeter.dll"
greeter_dir="${STATEFUN_CACHE:-$HOME/.cache/statefun-operator}/js-greeter"
# Where the runtime pods run: a real single-node Kubernetes (kubelet + containerd, scripts/run-node.sh), or the
# local runner, a development stand-in for a kubelet. auto takes the node where this machine can run it and its
# binaries and images are built (make test builds them; STATEFUN_LOCAL_NODE=kubelet builds them here, about
# 20 minutes the first time).
case "${STATEFUN_LOCAL_NODE:-auto}" in
  kubelet) exec "$here/scripts/run-node.sh" ;;
  runner) ;;
  auto)
    out="$local_dir"
    # shellcheck source=scripts/node-stack.sh
    source "$here/scripts/node-stack.sh"
    if why=$(node_stack_ready_to_use); then exec "$here/scripts/run-node.sh"; fi
    echo "run: the local runner stands in for a kubelet ($why; STATEFUN_LOCAL_NODE=kubelet make run builds and uses a real node)" ;;
  *) echo "run: STATEFUN_LOCAL_NODE must be auto, kubelet or runner (not '${STATEFUN_LOCAL_NODE}')"; exit 2 ;;
esac

# shellcheck source=scripts/demo-checks.sh
source "$here/scripts/demo-checks.sh"
pids=()
started_broker=
started_apiserver=

stop_all() {
  for ((i=${#pids[@]}-1; i>=0; i--)); do
    kill "${pids[$i]}" 2>/dev/null || true
    for _ in $(seq 1 250); do kill -0 "${pids[$i]}" 2>/dev/null || break; sleep 0.1; done
  done
  if [[ -n "$started_apiserver" ]]; then scripts/kube-local-apiserver.sh stop >/dev/null 2>&1 || true; fi
  if [[ -n "$started_broker" ]]; then scripts/kafka-local.sh stop >/dev/null 2>&1 || true; fi
  echo "run: stopped everything it started"
}
trap stop_all EXIT
trap 'exit 130' INT TERM

host_semantic=exactly-once
if ! command -v kubectl >/dev/null; then
  echo "run: installing kubectl (Debian's kubernetes-client)"
  if [[ "$(id -u)" -eq 0 ]]; then apt-get install -y -qq kubernetes-client >/dev/null; else sudo apt-get install -y -qq kubernetes-client >/dev/null; fi
fi

if [[ -z "${KAFKA_BOOTSTRAP_SERVERS:-}" ]]; then
  started_broker=yes
  KAFKA_BOOTSTRAP_SERVERS=$(scripts/kafka-local.sh start --parent-pid $$ | tail -n 1)
  case "$(scripts/kafka-local.sh kind)" in
    container) echo "run: Kafka is a local Kafka container ($(scripts/kafka-local.sh why); STATEFUN_LOCAL_KAFKA=mock|kfake for another)" ;;
    kfake)
      echo "run: Kafka is kfake, a broker with real transactions ($(scripts/kafka-local.sh build); $(scripts/kafka-local.sh why);"
      echo "     STATEFUN_LOCAL_KAFKA=mock for the mock broker): the function hosts run exactly-once" ;;
    *)
      host_semantic=at-least-once
      echo "run: Kafka is the LOCAL MOCK BROKER (librdkafka's mock cluster) because $(scripts/kafka-local.sh why)."
      cat <<'NOTE'
     It does not store offsets committed in a transaction, does not hide aborted records, cannot create topics
     through the admin API, has no offsets-for-times and ignores static group membership. So this demo runs the
     greeter's function host at-least-once (after a crash a count may skip ahead, never back), cannot show
     exactly-once, and a restarted process waits for the broker to drop its dead predecessor. To see everything
     with a broker that has real transactions:
       KAFKA_BOOTSTRAP_SERVERS=host:9092 make run      (your Kafka; or start a Docker engine: make run then uses a container)
       STATEFUN_KAFKA_ORACLE=/path/to/kafka-oracle make run   (a kfake binary: ../shared/kafka-oracle/README.md)
NOTE
      ;;
  esac
fi
export KAFKA_BOOTSTRAP_SERVERS
echo "run: Kafka at $KAFKA_BOOTSTRAP_SERVERS"

kubeconfig=$(scripts/kube-local-apiserver.sh start | tail -n 1)
started_apiserver=yes
kc=(kubectl --kubeconfig "$kubeconfig")
echo "run: kube-apiserver ready; kubeconfig $kubeconfig"

"${kc[@]}" apply -f config/crd/bases >/dev/null
"${kc[@]}" wait --for condition=established --timeout=60s crd/kafkaingresses.statefun.dev crd/kafkaegresses.statefun.dev crd/functionendpoints.statefun.dev >/dev/null
for n in statefun-operator-system "$ns"; do "${kc[@]}" get namespace "$n" >/dev/null 2>&1 || "${kc[@]}" create namespace "$n" >/dev/null; done

operator_health_port="${OPERATOR_HEALTH_PORT:-18081}"
dotnet "$operator" run --kubeconfig "$kubeconfig" --lease-namespace statefun-operator-system --health-prefix "http://127.0.0.1:$operator_health_port/" >"$local_dir/operator.log" 2>&1 &
pids+=($!)
dotnet "$runner" --kubeconfig "$kubeconfig" --runtime "$runtime" --state-dir "$local_dir/runner" >"$local_dir/runner.log" 2>&1 &
pids+=($!)
echo "run: operator (log .local/operator.log) and local runner (log .local/runner.log) started"

# The greeter: the official StateFun JavaScript SDK from npm, installed once into the cache.
if ! cmp -s tests/js-greeter/package.json "$greeter_dir/package.json" || [[ ! -d "$greeter_dir/node_modules/apache-flink-statefun" ]]; then
  mkdir -p "$greeter_dir"
  cp tests/js-greeter/package.json "$greeter_dir/"
  (cd "$greeter_dir" && npm install --no-audit --no-fund --loglevel=error >/dev/null)
fi
cp tests/js-greeter/greeter.js "$greeter_dir/"
node "$greeter_dir/greeter.js" "$greeter_port" greetings >"$local_dir/greeter.log" 2>&1 &
pids+=($!)
echo "run: JavaScript SDK greeter on 127.0.0.1:$greeter_port (log .local/greeter.log)"
dotnet "$cs_greeter" "$cs_greeter_port" greetings-csharp example/greetings csharp/greeter >"$local_dir/cs-greeter.log" 2>&1 &
pids+=($!)
echo "run: C# SDK greeter (ASP.NET Core) on 127.0.0.1:$cs_greeter_port (log .local/cs-greeter.log)"

cat config/local/demo.yaml <(echo ---) config/local/demo-csharp.yaml \
  | sed -e "s#\${KAFKA_BOOTSTRAP_SERVERS}#$KAFKA_BOOTSTRAP_SERVERS#g" -e "s#\${GREETER_PORT}#$greeter_port#g" \
        -e "s#\${CS_GREETER_PORT}#$cs_greeter_port#g" -e "s#\${HOST_SEMANTIC}#$host_semantic#g" \
  | "${kc[@]}" apply -n "$ns" -f -
echo "run: writing sample records to user-events"
dotnet "$tools" produce --bootstrap "$KAFKA_BOOTSTRAP_SERVERS" --topic user-events \
  'alice={"name":"Alice"}' 'bob={"name":"Bob"}' 'alice={"name":"Alice","visit":2}'
dotnet "$tools" produce --bootstrap "$KAFKA_BOOTSTRAP_SERVERS" --topic names 'alice=Alice' 'bob=Bob' 'alice=Alice'
"${kc[@]}" wait -n "$ns" --for=condition=Ready --timeout=120s kafkaingress/user-events kafkaingress/names >/dev/null \
  || { echo "run: the ingress did not become Ready; see .local/operator.log and .local/runner.log"; "${kc[@]}" get -n "$ns" kafkaingresses,kafkaegresses; exit 1; }
# Each read waits for what it shows (every record written so far), with a bound: a fresh reader, a runtime still
# joining its group or restoring its state may take a while on a busy machine.
echo "run: the egress topic user-events-mirror (read_committed):"
dotnet "$tools" consume --bootstrap "$KAFKA_BOOTSTRAP_SERVERS" --topic user-events-mirror --count 3 --seconds 90 \
  || echo "run: see .local/runner/$ns/user-events-runtime*/runtime.log"
echo "run: the egress topic greetings, written by the greeter function (read_committed):"
dotnet "$tools" consume --bootstrap "$KAFKA_BOOTSTRAP_SERVERS" --topic greetings --seconds 90 \
  --until "Hello Alice, seen 2 times" --until "Hello Bob, seen 1 times" \
  || echo "run: see .local/greeter.log and .local/runner/$ns/example-functions-host-0/runtime.log"
echo "run: the egress topic greetings-csharp, written by the C# greeter (read_committed):"
dotnet "$tools" consume --bootstrap "$KAFKA_BOOTSTRAP_SERVERS" --topic greetings-csharp --seconds 90 \
  --until "Hello Alice, seen 2 times" --until "Hello Bob, seen 1 times" \
  || echo "run: see .local/cs-greeter.log and .local/runner/$ns/csharp-functions-host-0/runtime.log"
"${kc[@]}" get -n "$ns" kafkaingresses,kafkaegresses,functionendpoints

# The greeter's state lives in its function host (a StatefulSet pod, here a local process): kill -9 it,
# greet again, and the counts go on where they were.
host_pid_file="$local_dir/runner/$ns/example-functions-host-0/runtime.pid"
if [[ -s "$host_pid_file" ]]; then
  host_pid=$(cat "$host_pid_file")
  echo "run: kill -9 of the greeter's function host (pid $host_pid); then alice and bob visit again"
  kill -9 "$host_pid" 2>/dev/null || true
  killed_at=$(date +%s.%N)
  dotnet "$tools" produce --bootstrap "$KAFKA_BOOTSTRAP_SERVERS" --topic names 'alice=Alice' 'bob=Bob'
  echo "run: greetings after the kill (state from its stores and the changelog written after them; before it alice was at 2, bob at 1):"
  if dotnet "$tools" consume --bootstrap "$KAFKA_BOOTSTRAP_SERVERS" --topic greetings --seconds 120 \
       --until "Hello Alice, seen 3 times" --until "Hello Bob, seen 2 times"; then
    recovered=$(awk -v a="$killed_at" -v b="$(date +%s.%N)" 'BEGIN { printf "%.1f", b - a }')
    echo "run: both greetings were visible ${recovered} s after the kill -9 (restart by the local runner, rejoin, changelog restore)"
    demo_greetings_once "$local_dir/greetings.txt"
  else
    echo "run: the greetings after the kill were not all visible within 120 s; see $local_dir/runner/$ns/example-functions-host-0/runtime.log"
  fi
fi
cat <<EOF

run: the system is up. Go on with kubectl:
  export KUBECONFIG=$kubeconfig
  kubectl get -n $ns kafkaingresses,kafkaegresses,functionendpoints,deployments,statefulsets,configmaps
  kubectl edit -n $ns kafkaingress user-events     # e.g. change the startup position: the runtime restarts
Write more records:  dotnet $tools produce --bootstrap $KAFKA_BOOTSTRAP_SERVERS --topic names carol=Carol
Read the output:     dotnet $tools consume --bootstrap $KAFKA_BOOTSTRAP_SERVERS --topic greetings   (or user-events-mirror)
Runtime log:         .local/runner/$ns/<deployment or pod>/runtime.log  (pid in runtime.pid: kill -9 it and watch)
Metrics:             curl 127.0.0.1:$operator_health_port/metrics   (the operator)
                     kubectl get pods -n $ns -o custom-columns=POD:.metadata.name,PORT:.spec.containers[0].ports[0].containerPort
                     curl 127.0.0.1:<PORT>/metrics   (a runtime; /status: its consumer lag)
Lag:                 kubectl get -n $ns kafkaingresses   (LAG: refreshed every 20 s)
Ctrl-C stops everything this command started.
EOF
while true; do sleep 3600 & wait $!; done
