#!/usr/bin/env bash
# The end-to-end test on a real single-node Kubernetes cluster (SEED-FEATURES P1-P3), done as a user does it:
#   1. the node (scripts/kube-node.sh: kubelet, containerd, runc, controller-manager, scheduler, kube-proxy) and the
#      images built from the shipped Dockerfiles (scripts/build-images.sh), imported into the node's containerd;
#   2. a Kafka broker the pods can reach: KAFKA_BOOTSTRAP_SERVERS (it must be reachable from the pod network), else
#      the local mock broker advertised on the node's bridge address 10.244.0.1;
#   3. `kubectl apply -k config/local/node` (config/default with the local images), the operator pods Ready through their
#      probes, the JavaScript SDK greeter as a Deployment + Service, then config/local/demo.yaml's resources
#      (a mirror ingress through an exactly-once egress, and names -> greeter function host -> greetings);
#   4. records flow end to end; the function host's pod killed with `kubectl delete pod --force` comes back with
#      its identity and its stores (a local PersistentVolume the test makes), reads only the changelog they do not
#      cover, and the counts go on; a rolling restart of the ingress Deployment loses nothing; the leading
#      operator pod killed: the other one takes the Lease and reconciles a change made meanwhile; bad specs refused
#      at kubectl apply by the webhook (K5); a FunctionEndpoint with deletionPolicy Delete deleted: its topics go (K6).
# Prints the time from apply to the first output record and each recovery time. Exit 0 when everything held.
#
#   scripts/e2e-node.sh                 everything, then stops what it started (the node too, unless it was running)
#   STATEFUN_E2E_KEEP=1 scripts/e2e-node.sh    leave the node and the broker running to look around
# Needs root (the node). Logs and manifests of a run: .local/e2e/. The steps up to the demo's resources are
# scripts/node-stack.sh's, which `make run` uses on the node too.
set -euo pipefail
here=$(cd "$(dirname "$0")/.." && pwd)
cd "$here"
out="$here/.local/e2e"
rm -rf "$out"; mkdir -p "$out"
node_stack_prefix=e2e
# shellcheck source=scripts/node-stack.sh
source "$here/scripts/node-stack.sh"
tools="$node_tools"
ns=$node_ns
failures=0

log() { echo "e2e: $*"; }
fail_step() { log "FAILED: $*"; failures=$((failures + 1)); }
now() { ns_now; }
since() { ns_since "$1"; }

cleanup() {
  local rc=$?
  if [[ -n "${kc:-}" ]] && [[ $failures -gt 0 || $rc -ne 0 ]]; then
    { "${kc[@]}" get pods -A -o wide; "${kc[@]}" get -n "$ns" kafkaingresses,kafkaegresses,functionendpoints -o wide
      "${kc[@]}" get events -A --sort-by=.lastTimestamp | tail -n 40; } > "$out/state-at-exit.txt" 2>&1 || true
    for p in $("${kc[@]}" get pods -A -o 'jsonpath={range .items[*]}{.metadata.namespace}/{.metadata.name}{"\n"}{end}' 2>/dev/null); do
      "${kc[@]}" logs -n "${p%%/*}" "${p##*/}" --all-containers --tail=200 > "$out/pod-${p//\//_}.log" 2>&1 || true
    done
    log "state and pod logs in $out"
  fi
  node_stack_down
}
trap cleanup EXIT
trap 'exit 130' INT TERM

[[ "$(id -u)" -eq 0 ]] || { log "FAILED: needs root (kubelet, containerd, the pod network)"; exit 1; }
[[ -f "$tools" ]] || { log "FAILED: $tools is missing: run make build first"; exit 1; }

# --- 1-3. node, images, broker, install as a user does, the demo's resources ------------------------------------
node_stack_node || exit 1
node_stack_images || exit 1
node_stack_broker || exit 1
produce() { dotnet "$tools" produce --bootstrap "$KAFKA_BOOTSTRAP_SERVERS" --topic "$@" >>"$out/produce.log" 2>&1; }
consume_until() { # consume_until TOPIC SECONDS TEXT... : every TEXT seen (read_committed) within SECONDS
  local topic=$1 seconds=$2; shift 2
  local args=()
  for text in "$@"; do args+=(--until "$text"); done
  dotnet "$tools" consume --bootstrap "$KAFKA_BOOTSTRAP_SERVERS" --topic "$topic" --seconds "$seconds" "${args[@]}" \
    >>"$out/consume-$topic.log" 2>&1
}
node_stack_install || { fail_step "the install"; exit 1; }
node_stack_local_volume || { fail_step "the local PersistentVolume"; exit 1; }
node_stack_demo || { fail_step "the greeter"; exit 1; }
produce user-events 'alice={"name":"Alice"}' 'bob={"name":"Bob"}' 'alice={"name":"Alice","visit":2}'
produce names 'alice=Alice' 'bob=Bob' 'alice=Alice'
if consume_until user-events-mirror 180 '"visit":2'; then
  log "P2: first mirrored record visible $(since "$t_apply") s after kubectl apply (ingress pod scheduled, image started, group joined)"
else
  fail_step "no mirrored record within 180 s of the apply"
fi
if consume_until greetings 180 "Hello Alice, seen 2 times" "Hello Bob, seen 1 times"; then
  log "P2: greetings from the JavaScript function visible $(since "$t_apply") s after kubectl apply"
else
  fail_step "the greetings did not arrive within 180 s"
fi
if consume_until greetings-csharp 180 "Hello Alice, seen 2 times" "Hello Bob, seen 1 times"; then
  log "P2: greetings from the C# SDK function (its image from its Dockerfile) visible $(since "$t_apply") s after kubectl apply"
else
  fail_step "the C# greetings did not arrive within 180 s"
fi
if "${kc[@]}" -n "$ns" wait --for=condition=Ready --timeout=60s kafkaingress/user-events kafkaingress/names kafkaingress/names-csharp \
     functionendpoint/example-functions functionendpoint/csharp-functions >/dev/null 2>&1; then
  log "P2: the KafkaIngresses and the FunctionEndpoint are Ready"
else
  fail_step "the custom resources are not Ready: $("${kc[@]}" -n "$ns" get kafkaingresses,functionendpoints --no-headers 2>&1 | tr '\n' ';')"
fi

# --- K5: bad specs refused at kubectl apply by the operator's webhook (config/webhook: the Service in front of both
# operator pods, its own certificates, failurePolicy Ignore), each naming its field; a valid one still applies.
cat > "$out/bad-date.yaml" <<EOF
apiVersion: statefun.dev/v1alpha1
kind: KafkaIngress
metadata: {name: bad-date}
spec:
  address: $KAFKA_BOOTSTRAP_SERVERS
  consumerGroupId: bad-date
  startupPosition: {type: date, date: "2020-02-31 04:15 Z"}
  topics: [{topic: names, valueType: example/Name, targets: [example/greeter]}]
EOF
cat > "$out/bad-offsets.yaml" <<EOF
apiVersion: statefun.dev/v1alpha1
kind: KafkaIngress
metadata: {name: bad-offsets}
spec:
  address: $KAFKA_BOOTSTRAP_SERVERS
  consumerGroupId: bad-offsets
  startupPosition: {type: specific-offsets, offsets: {"names:0": 5}}
  topics: [{topic: names, valueType: example/Name, targets: [example/greeter]}]
EOF
cat > "$out/bad-timeout.yaml" <<EOF
apiVersion: statefun.dev/v1alpha1
kind: KafkaEgress
metadata: {name: bad-timeout}
spec:
  address: $KAFKA_BOOTSTRAP_SERVERS
  deliverySemantic: {type: at-least-once, transactionTimeoutMillis: 5000}
EOF
# A FunctionEndpoint whose fields each pass the schema, but together not the module model: it may spill 1Gi (the
# default) to a disk of 500Mi.
cat > "$out/bad-spill.yaml" <<EOF
apiVersion: statefun.dev/v1alpha1
kind: FunctionEndpoint
metadata: {name: bad-spill}
spec:
  functions: spill/*
  urlPathTemplate: http://127.0.0.1:8000/{function.name}
  address: $KAFKA_BOOTSTRAP_SERVERS
  resources: {limits: {ephemeral-storage: 500Mi}}
EOF
refused=0
for case in "bad-date spec.startupPosition.date" "bad-offsets spec.startupPosition.offsets['names:0']" "bad-timeout spec.deliverySemantic.transactionTimeoutMillis" "bad-spill spec.limits.maxSpilledBytes"; do
  file="$out/${case%% *}.yaml" field=${case#* } seen=
  for _ in $(seq 1 60); do
    # The webhook may need a moment after the install (its certificate, the CA bundle): a bad spec that went
    # through is deleted and tried again.
    if ! "${kc[@]}" apply -n "$ns" -f "$file" >"$out/bad-spec.log" 2>&1; then
      if grep -F -q "$field" "$out/bad-spec.log"; then seen=yes; break; fi
    else
      "${kc[@]}" delete -n "$ns" -f "$file" --ignore-not-found >/dev/null 2>&1 || true
    fi
    sleep 1
  done
  if [[ -n "$seen" ]]; then
    refused=$((refused + 1))
  else
    fail_step "kubectl apply of a bad spec was not refused naming $field (last answer: $(tr '\n' ' ' < "$out/bad-spec.log"))"
  fi
done
[[ $refused -eq 4 ]] && log "K5: kubectl apply refused 4 bad specs (2 KafkaIngresses, a KafkaEgress, a FunctionEndpoint) through the operator's webhook, each naming its field ($(sed -n 's/.*denied the request: //p' "$out/bad-spec.log" | cut -c1-160))"

# --- 4. recoveries ----------------------------------------------------------------------------------------------
# The function host's pod, killed as a node kills it: the StatefulSet recreates example-functions-host-0 (same
# name, same identity for the group, the same PersistentVolumeClaim on the local volume), it opens its stores
# there, reads only the changelog they do not cover, and the counts go on.
host_pod=example-functions-host-0
host_claim=state-$host_pod
changelog=statefun.$ns.example-functions.changelog
if [[ "$("${kc[@]}" -n "$ns" get pvc "$host_claim" -o 'jsonpath={.status.phase}' 2>/dev/null)" == Bound ]]; then
  log "S10: $host_pod's stores on its PersistentVolumeClaim $host_claim, bound to the local volume; $(find "$node_volume_dir" -name CURRENT | wc -l) stores there, owned by gid $(stat -c %g "$node_volume_dir") (fsGroup)"
else
  fail_step "the function host's claim $host_claim is not Bound: $("${kc[@]}" -n "$ns" get pvc -o wide 2>&1 | tr '\n' ';')"
fi
uid_before=$("${kc[@]}" -n "$ns" get pod "$host_pod" -o 'jsonpath={.metadata.uid}')
t=$(now)
"${kc[@]}" -n "$ns" delete pod "$host_pod" --grace-period=0 --force >/dev/null 2>&1
produce names 'alice=Alice' 'bob=Bob'
if consume_until greetings 180 "Hello Alice, seen 3 times" "Hello Bob, seen 2 times"; then
  uid_after=$("${kc[@]}" -n "$ns" get pod "$host_pod" -o 'jsonpath={.metadata.uid}' 2>/dev/null || true)
  log "P3: $host_pod force-deleted: recreated with its name (uid ${uid_before:0:8} -> ${uid_after:0:8}); alice 3, bob 2 visible $(since "$t") s after the kill"
  # What the new pod read from the changelog, against what the changelog holds (read_committed, from its start).
  "${kc[@]}" -n "$ns" logs "$host_pod" > "$out/host-after-kill.log" 2>&1 || true
  restores=$(grep -c 'restored partitions' "$out/host-after-kill.log" || true)
  restored=$(sed -n 's/.*restored partitions [0-9, ]* from \([0-9]*\) changelog records.*/\1/p' "$out/host-after-kill.log" | awk '{ s += $1 } END { print s + 0 }')
  held=$(dotnet "$tools" consume --bootstrap "$KAFKA_BOOTSTRAP_SERVERS" --topic "$changelog" --seconds 5 2>/dev/null | grep -c "^$changelog/" || true)
  if [[ "$restores" -gt 0 && "$held" -gt 0 && "$restored" -lt "$held" ]]; then
    log "S10: the new $host_pod opened its stores on the volume and read $restored of the changelog's $held records"
  else
    fail_step "the new $host_pod did not restore from its volume's stores: $restores restores read $restored changelog records, the changelog holds $held (log: $out/host-after-kill.log)"
  fi
else
  fail_step "after the force delete of $host_pod the counts did not go on within 180 s"
fi

# A rolling restart of the ingress Deployment while records arrive: every record reaches the mirror.
t=$(now)
"${kc[@]}" -n "$ns" rollout restart deployment/user-events-runtime >/dev/null
expect=()
for i in $(seq 1 20); do
  produce user-events "k$i={\"n\":$i,\"during\":\"restart\"}"
  expect+=("\"n\":$i,\"during\"")
done
"${kc[@]}" -n "$ns" rollout status deployment/user-events-runtime --timeout=180s >/dev/null 2>&1 \
  || fail_step "the restarted ingress Deployment did not become available within 180 s"
if consume_until user-events-mirror 180 "${expect[@]}"; then
  log "P3: rolling restart of user-events-runtime with 20 records written meanwhile: all 20 mirrored, $(since "$t") s"
else
  fail_step "records written during the rolling restart are missing from the mirror"
fi

# The leading operator pod killed as the node kills it (its container SIGKILLed, then the pod force-deleted): the
# other instance takes the Lease once it expires and reconciles a change made while nobody led.
leader=$("${kc[@]}" -n statefun-operator-system get lease statefun-operator-leader -o 'jsonpath={.spec.holderIdentity}')
container=$("${kc[@]}" -n statefun-operator-system get pod "$leader" -o 'jsonpath={.status.containerStatuses[0].containerID}')
t=$(now)
scripts/kube-node.sh ctr tasks kill -s SIGKILL "${container#containerd://}" >>"$out/node.log" 2>&1 \
  || fail_step "could not SIGKILL the leader's container $container"
"${kc[@]}" -n statefun-operator-system delete pod "$leader" --grace-period=0 --force >/dev/null 2>&1
"${kc[@]}" -n "$ns" patch kafkaingress user-events --type merge -p '{"spec":{"deadLetterTopic":"user-events-dlq-2"}}' >/dev/null
generation=$("${kc[@]}" -n "$ns" get kafkaingress user-events -o 'jsonpath={.metadata.generation}')
reconciled= new_leader=
for _ in $(seq 1 120); do
  new_leader=$("${kc[@]}" -n statefun-operator-system get lease statefun-operator-leader -o 'jsonpath={.spec.holderIdentity}' 2>/dev/null || true)
  observed=$("${kc[@]}" -n "$ns" get kafkaingress user-events -o 'jsonpath={.status.observedGeneration}' 2>/dev/null || true)
  if [[ "$new_leader" != "$leader" && "$observed" == "$generation" ]] \
     && "${kc[@]}" -n "$ns" get configmap user-events-module -o 'jsonpath={.data}' 2>/dev/null | grep user-events-dlq-2 >/dev/null; then
    reconciled=yes; break
  fi
  sleep 1
done
if [[ -n "$reconciled" ]]; then
  log "P3: leader $leader killed (SIGKILL, force delete); $new_leader took the Lease and reconciled the change made meanwhile, $(since "$t") s after the kill"
else
  fail_step "after killing the leader $leader: leader now '$new_leader', observed generation ${observed:-none} of $generation"
fi
"${kc[@]}" -n statefun-operator-system rollout status deployment/statefun-operator --timeout=120s >/dev/null 2>&1 \
  || fail_step "the operator Deployment did not get its second pod back"

# Status tells why pods fail, from what the kubelet reports: a function host whose image cannot be had (no registry
# is reachable here, so the kubelet's pull fails) makes its FunctionEndpoint Ready=False, reason RuntimeFailing,
# naming the kubelet's reason. In its own namespace, so that it touches no other host's configuration.
broken_ns=example-broken
"${kc[@]}" get namespace "$broken_ns" >/dev/null 2>&1 || "${kc[@]}" create namespace "$broken_ns" >/dev/null
t=$(now)
"${kc[@]}" apply -n "$broken_ns" -f - >/dev/null <<YAML
apiVersion: statefun.dev/v1alpha1
kind: FunctionEndpoint
metadata:
  name: unpullable
spec:
  functions: broken/*
  urlPathTemplate: http://$greeter_ip:8000/{function.name}
  address: $KAFKA_BOOTSTRAP_SERVERS
  partitions: 1
  image: statefun-runtime:no-such-tag
YAML
failing=
for _ in $(seq 1 90); do
  failing=$("${kc[@]}" -n "$broken_ns" get functionendpoint unpullable \
    -o 'jsonpath={range .status.conditions[?(@.type=="Ready")]}{.reason}: {.message}{end}' 2>/dev/null || true)
  [[ "$failing" == RuntimeFailing:*Image* ]] && break
  sleep 2
done
if [[ "$failing" == RuntimeFailing:*Image* ]]; then
  log "item 4: an unpullable host image shows on its FunctionEndpoint after $(since "$t") s: Ready=False, $failing"
else
  fail_step "the FunctionEndpoint with an unpullable image does not say why: Ready: ${failing:-none}"
fi
"${kc[@]}" delete namespace "$broken_ns" --wait=false >/dev/null 2>&1 || true

# K6: a FunctionEndpoint with deletionPolicy Delete, once its host ran (it made its topics and joined its group),
# deleted as a user does: the operator stops the host, a Job of the runtime image deletes the group and topics on the
# broker, then the finalizer comes off and the object goes. In a namespace of its own.
scratch_ns=example-scratch
"${kc[@]}" get namespace "$scratch_ns" >/dev/null 2>&1 || "${kc[@]}" create namespace "$scratch_ns" >/dev/null
"${kc[@]}" apply -n "$scratch_ns" -f - >/dev/null <<YAML
apiVersion: statefun.dev/v1alpha1
kind: FunctionEndpoint
metadata:
  name: scratch
spec:
  functions: scratch/*
  urlPathTemplate: http://$greeter_ip:8000/{function.name}
  address: $KAFKA_BOOTSTRAP_SERVERS
  partitions: 2
  deletionPolicy: Delete
YAML
scratch_topics() { dotnet "$tools" topics --bootstrap "$KAFKA_BOOTSTRAP_SERVERS" 2>/dev/null | grep -c "^statefun\.$scratch_ns\.scratch\." || true; }
if "${kc[@]}" -n "$scratch_ns" rollout status statefulset/scratch-host --timeout=120s >/dev/null 2>&1; then
  before=$(scratch_topics)
  t=$(now)
  if "${kc[@]}" -n "$scratch_ns" delete functionendpoint scratch --wait=true --timeout=180s >/dev/null 2>&1; then
    deleted=$("${kc[@]}" -n "$scratch_ns" get events --field-selector involvedObject.name=scratch -o 'jsonpath={range .items[?(@.reason=="StateDeleted")]}{.message}{end}' 2>/dev/null || true)
    # Where the time went: each step's event, seconds after the delete (to the second: the events' time).
    steps=$("${kc[@]}" -n "$scratch_ns" get events --field-selector involvedObject.name=scratch --sort-by=.lastTimestamp \
      -o 'jsonpath={range .items[*]}{.reason} {.lastTimestamp}{"\n"}{end}' 2>/dev/null \
      | while read -r reason at; do
          case "$reason" in StoppingHost|WaitingForIngresses|DeletingState|StateDeletionFailing|StateDeleted|StateLeftBehind) ;; *) continue ;; esac
          if [[ -n "$at" ]]; then printf '%s +%.0f s, ' "$reason" "$(awk -v a="$t" -v b="$(date -d "$at" +%s)" 'BEGIN { d = b - a; print (d < 0 ? 0 : d) }')"; fi
        done || true)
    after=$(scratch_topics)
    if [[ -n "$deleted" && "$before" -eq 2 && "$after" -eq 0 ]]; then
      log "K6: FunctionEndpoint scratch (deletionPolicy Delete) deleted in $(since "$t") s (${steps%, }): host stopped, its Job deleted its group and topics (on the broker: $before before, $after after): $deleted"
    elif [[ -n "$deleted" ]]; then
      fail_step "FunctionEndpoint scratch said StateDeleted, but the broker holds $after of its topics ($before before)"
    else
      fail_step "FunctionEndpoint scratch went without a StateDeleted event: $("${kc[@]}" -n "$scratch_ns" get events -o 'jsonpath={range .items[*]}{.reason}: {.message}; {end}' 2>&1)"
    fi
  else
    fail_step "FunctionEndpoint scratch (deletionPolicy Delete) was not deleted within 180 s: $("${kc[@]}" -n "$scratch_ns" get events -o 'jsonpath={range .items[*]}{.reason}: {.message}; {end}' 2>&1)"
  fi
else
  fail_step "the scratch function host did not become ready"
fi
"${kc[@]}" delete namespace "$scratch_ns" --wait=false >/dev/null 2>&1 || true

# Memory limits and probes held: no container of the install or the demo restarted or was OOM-killed (the pods
# killed above are new pods).
restarts=$("${kc[@]}" get pods -n statefun-operator-system -o 'jsonpath={range .items[*]}{.metadata.name} {.status.containerStatuses[0].restartCount} {.status.containerStatuses[0].lastState.terminated.reason}{"\n"}{end}' 2>/dev/null
           "${kc[@]}" get pods -n "$ns" -o 'jsonpath={range .items[*]}{.metadata.name} {.status.containerStatuses[0].restartCount} {.status.containerStatuses[0].lastState.terminated.reason}{"\n"}{end}' 2>/dev/null)
# (A pod the rolling restart is still deleting may report its container as ContainerStatusUnknown: not a restart.)
if awk 'NF >= 2 && ($2 != 0 || $3 == "OOMKilled") { bad = 1 } END { exit bad }' <<<"$restarts"; then
  log "P1: no container restarted or was OOM-killed ($(grep -c . <<<"$restarts") pods, within their memory limits)"
else
  fail_step "containers restarted: $(tr '\n' ';' <<<"$restarts")"
fi

if [[ $failures -eq 0 ]]; then
  log "passed: everything held on the real node"
else
  log "$failures step(s) failed"
  exit 1
fi
