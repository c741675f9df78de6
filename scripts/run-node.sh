#!/usr/bin/env bash
# make run on the real single-node cluster (scripts/run-local.sh hands over to this with STATEFUN_LOCAL_NODE=kubelet,
# or with auto where the node's binaries and the images are already built): the node, the images from the shipped
# Dockerfiles, a broker the pods reach, `kubectl apply -k config/local/node`, the greeter as a pod, and
# config/local/demo.yaml, as scripts/node-stack.sh does it for the end-to-end test. Then the same walk as with the
# local runner: sample records, both egress topics, the function host's pod killed and the counts going on.
# Ctrl-C stops everything it started (the node too, unless it was running before).
set -euo pipefail
here=$(cd "$(dirname "$0")/.." && pwd)
cd "$here"
out="$here/.local/node-run"
rm -rf "$out"; mkdir -p "$out"
node_stack_prefix=run
# shellcheck source=scripts/node-stack.sh
source "$here/scripts/node-stack.sh"
# shellcheck source=scripts/demo-checks.sh
source "$here/scripts/demo-checks.sh"
tools="$node_tools"
ns=$node_ns

stop_all() {
  node_stack_down
  echo "run: stopped everything it started"
}
trap stop_all EXIT
trap 'exit 130' INT TERM

echo "run: a real single-node Kubernetes on this machine (kubelet + containerd; STATEFUN_LOCAL_NODE=runner for the local runner)"
node_stack_node
node_stack_images
node_stack_broker
node_stack_install
node_stack_demo

produce() { dotnet "$tools" produce --bootstrap "$KAFKA_BOOTSTRAP_SERVERS" --topic "$@"; }
echo "run: writing sample records to user-events and names"
produce user-events 'alice={"name":"Alice"}' 'bob={"name":"Bob"}' 'alice={"name":"Alice","visit":2}'
produce names 'alice=Alice' 'bob=Bob' 'alice=Alice'
"${kc[@]}" wait -n "$ns" --for=condition=Ready --timeout=180s kafkaingress/user-events kafkaingress/names >/dev/null \
  || { echo "run: the ingresses did not become Ready"; "${kc[@]}" get -n "$ns" kafkaingresses,kafkaegresses,pods; exit 1; }
echo "run: the egress topic user-events-mirror (read_committed):"
dotnet "$tools" consume --bootstrap "$KAFKA_BOOTSTRAP_SERVERS" --topic user-events-mirror --count 3 --seconds 120 \
  || echo "run: see kubectl logs -n $ns deployment/user-events-runtime"
echo "run: the egress topic greetings, written by the greeter function (read_committed):"
dotnet "$tools" consume --bootstrap "$KAFKA_BOOTSTRAP_SERVERS" --topic greetings --seconds 120 \
  --until "Hello Alice, seen 2 times" --until "Hello Bob, seen 1 times" \
  || echo "run: see kubectl logs -n $ns example-functions-host-0 and deployment/greeter"
echo "run: the egress topic greetings-csharp, written by the C# greeter (read_committed):"
dotnet "$tools" consume --bootstrap "$KAFKA_BOOTSTRAP_SERVERS" --topic greetings-csharp --seconds 120 \
  --until "Hello Alice, seen 2 times" --until "Hello Bob, seen 1 times" \
  || echo "run: see kubectl logs -n $ns csharp-functions-host-0 and deployment/cs-greeter"
"${kc[@]}" get -n "$ns" kafkaingresses,kafkaegresses,functionendpoints,pods

echo "run: kubectl delete pod example-functions-host-0 --grace-period=0 --force (as the node kills it); then alice and bob visit again"
"${kc[@]}" -n "$ns" delete pod example-functions-host-0 --grace-period=0 --force >/dev/null 2>&1 || true
killed_at=$(ns_now)
produce names 'alice=Alice' 'bob=Bob'
echo "run: greetings after the kill (the StatefulSet brings the pod back under its name; state from the changelog):"
if dotnet "$tools" consume --bootstrap "$KAFKA_BOOTSTRAP_SERVERS" --topic greetings --seconds 180 \
     --until "Hello Alice, seen 3 times" --until "Hello Bob, seen 2 times"; then
  echo "run: both greetings were visible $(ns_since "$killed_at") s after the kill (new pod, rejoin, changelog restore)"
  demo_greetings_once "$out/greetings.txt"
else
  echo "run: the greetings after the kill were not all visible within 180 s; see kubectl logs -n $ns example-functions-host-0"
fi
cat <<EOF

run: the system is up. Go on with kubectl:
  export KUBECONFIG=$kubeconfig
  kubectl get -n $ns kafkaingresses,kafkaegresses,functionendpoints,deployments,statefulsets,pods
  kubectl logs -n $ns example-functions-host-0        kubectl logs -n statefun-operator-system deployment/statefun-operator
  kubectl edit -n $ns kafkaingress user-events     # e.g. change the startup position: the runtime pods roll
Write more records:  dotnet $tools produce --bootstrap $KAFKA_BOOTSTRAP_SERVERS --topic names carol=Carol
Read the output:     dotnet $tools consume --bootstrap $KAFKA_BOOTSTRAP_SERVERS --topic greetings   (or user-events-mirror)
Logs of this run:    $out
Ctrl-C stops everything this command started.
EOF
while true; do sleep 3600 & wait $!; done
