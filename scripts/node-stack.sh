# Sourced by scripts/e2e-node.sh and scripts/run-local.sh (STATEFUN_LOCAL_NODE=kubelet): the whole system on the real
# single-node cluster, in steps. The caller sets `out` (a directory for logs) and `here` (the repository), and calls
# node_stack_down from its EXIT trap. Each step prints one line; what goes wrong says where its log is.
#   node_stack_node      the node (scripts/kube-node.sh start, unless it runs: then it is reused and left running)
#   node_stack_images    the images from the shipped Dockerfiles (scripts/build-images.sh), imported into the node
#   node_stack_broker    KAFKA_BOOTSTRAP_SERVERS, else kfake (scripts/kafka-oracle.sh) on the node's bridge address,
#                        else the mock broker advertised there
#   node_stack_install   kubectl apply -k config/local/node (config/default with the local images), operator Ready
#                        (it fails at once, saying so, when the node is under disk pressure and would schedule nothing)
#   node_stack_local_volume  (e2e) a StorageClass without a provisioner and a local PersistentVolume on the node,
#                        for the demo's function host: node_stack_demo then gives example-functions storage on it
#   node_stack_demo      the JavaScript and C# greeters as Deployments + Services, then config/local/demo.yaml and
#                        demo-csharp.yaml
# Sets: kubeconfig, kc (the kubectl command), KAFKA_BOOTSTRAP_SERVERS, host_semantic, greeter_ip, and the
# timestamps t_install and t_apply (seconds since the epoch, for "how long until" figures).

node_ns=example
node_ip=10.244.0.1
node_tools="$here/tests/StatefunOperator.MockBroker/bin/Debug/net10.0/statefun-mock-broker.dll"
node_started=
node_broker_pid=
node_demo_storage_class=
node_volume_dir=

ns_log() { echo "${node_stack_prefix:-node}: $*"; }
ns_now() { date +%s.%N; }
ns_since() { awk -v a="$1" -v b="$(ns_now)" 'BEGIN { printf "%.1f", b - a }'; }

# Whether this machine can run the node: root, runc that answers, and the node's binaries and images already built
# (so that choosing the node costs no build). Prints the reason when it cannot.
node_stack_ready_to_use() {
  [[ "$(id -u)" -eq 0 ]] || { echo "not root"; return 1; }
  runc --version >/dev/null 2>&1 || { echo "runc does not run here"; return 1; }
  local bin="${STATEFUN_KUBE_NODE_DIR:-${STATEFUN_KUBE_CACHE_DIR:-$HOME/.cache/statefun-operator}/kube-node}/bin"
  local archives="${STATEFUN_CACHE:-$HOME/.cache/statefun-operator}/images/archives"
  [[ -x "$bin/kubelet" && -x "$bin/kube-proxy" ]] || { echo "the node's binaries are not built yet"; return 1; }
  [[ -f "$archives/statefun-runtime.tar" && -f "$archives/statefun-operator.tar" && -f "$archives/statefun-js-greeter.tar" \
     && -f "$archives/statefun-cs-greeter.tar" ]] \
    || { echo "the images are not built yet"; return 1; }
}

node_stack_node() {
  local t; t=$(ns_now)
  command -v kubectl >/dev/null || { ns_log "FAILED: kubectl (1.21 or later) is needed on PATH"; return 1; }
  if "$here/scripts/kube-node.sh" status 2>/dev/null | grep '^kubelet .*running' >/dev/null; then
    ns_log "the node is already running: using it (it stays up)"
  else
    node_started=yes
  fi
  kubeconfig=$("$here/scripts/kube-node.sh" start 2>>"$out/node.log" | tail -n 1) \
    || { ns_log "FAILED: the node did not start (log: $out/node.log; tail:)"; tail -n 20 "$out/node.log"; return 1; }
  kc=(kubectl --kubeconfig "$kubeconfig")
  ns_log "node Ready in $(ns_since "$t") s (kubeconfig $kubeconfig)"
  if [[ -z "$node_started" ]]; then
    # A node that was already running may hold an earlier run: start from a clean install.
    "${kc[@]}" delete namespace "$node_ns" --ignore-not-found --wait=true --timeout=120s >/dev/null 2>&1 || true
    "${kc[@]}" delete -k "$here/config/local/node" --ignore-not-found --wait=true --timeout=120s >/dev/null 2>&1 || true
  fi
}

node_stack_images() {
  local t archives image; t=$(ns_now)
  ns_log "building the images from the Dockerfiles (scripts/build-images.sh; minutes the first time, then cached)"
  archives=$("$here/scripts/build-images.sh" all 2>"$out/images.log" | tail -n 1) \
    || { ns_log "FAILED: building the images failed (log: $out/images.log; tail:)"; tail -n 30 "$out/images.log"; return 1; }
  for image in statefun-operator statefun-runtime statefun-js-greeter statefun-cs-greeter; do
    "$here/scripts/kube-node.sh" import-image "$archives/$image.tar" >>"$out/node.log" 2>&1 \
      || { ns_log "FAILED: importing $image into the node's containerd (log: $out/node.log)"; return 1; }
  done
  ns_log "images built and imported in $(ns_since "$t") s: $(grep -E 'archive .*\.tar:' "$out/images.log" | sed 's/.*archive //' | tr '\n' ' ')"
}

node_stack_broker() {
  host_semantic=exactly-once
  if [[ -n "${KAFKA_BOOTSTRAP_SERVERS:-}" ]]; then
    ns_log "Kafka: $KAFKA_BOOTSTRAP_SERVERS (KAFKA_BOOTSTRAP_SERVERS; pods must reach it)"
    return 0
  fi
  rm -f "$out/bootstrap"
  local missing
  if [[ "${STATEFUN_LOCAL_KAFKA:-auto}" != mock ]] && missing=$("$here/scripts/kafka-oracle.sh" find 2>&1 >/dev/null); then
    # kfake, a broker with real transactions, listening on the node's bridge address so that pods reach it; its
    # watchdog stops it when this script is gone (STATEFUN_E2E_KEEP: it stays until stopped by its PID).
    local parent=$$
    if [[ -n "${STATEFUN_E2E_KEEP:-}" ]]; then parent=1; fi
    ORACLE_HOST=$node_ip "$here/scripts/kafka-oracle.sh" start --parent-pid "$parent" >"$out/broker.log" 2>&1 \
      || { ns_log "FAILED: the kfake broker did not start (log: $out/broker.log)"; return 1; }
    node_broker_pid=$(sed -n 's/^pid: //p' "$out/broker.log")
    KAFKA_BOOTSTRAP_SERVERS=$(sed -n 's/^bootstrap: //p' "$out/broker.log")
    export KAFKA_BOOTSTRAP_SERVERS
    ns_log "Kafka: kfake, a broker with real transactions ($(sed -n 's/^build: //p' "$out/broker.log")) at $KAFKA_BOOTSTRAP_SERVERS (on the pod network); function hosts exactly-once"
    return 0
  fi
  [[ -f "$node_tools" ]] || { ns_log "FAILED: $node_tools is missing: run make build first"; return 1; }
  dotnet "$node_tools" --kind mock --advertise "$node_ip" --bootstrap-file "$out/bootstrap" --parent-pid $$ \
    </dev/null >"$out/broker.log" 2>&1 &
  node_broker_pid=$!
  for _ in $(seq 1 300); do [[ -s "$out/bootstrap" ]] && break; sleep 0.1; done
  [[ -s "$out/bootstrap" ]] || { ns_log "FAILED: the mock broker did not start (log: $out/broker.log)"; return 1; }
  KAFKA_BOOTSTRAP_SERVERS=$(cat "$out/bootstrap")
  export KAFKA_BOOTSTRAP_SERVERS
  # The mock broker does not store offsets committed inside a transaction (README): the function host runs
  # at-least-once on it; the egresses stay exactly-once.
  host_semantic=at-least-once
  ns_log "Kafka: the local mock broker at $KAFKA_BOOTSTRAP_SERVERS (advertised on the pod network; ${missing:-STATEFUN_LOCAL_KAFKA=mock}); function host at-least-once"
}

# Why the node schedules nothing, when it is the disk: the kubelet taints its node (DiskPressure) while the disk holding
# its data is short of space (by default less than 10% free, or 15% for images), and pods stay Pending. Prints the
# reason, with what is free where, and returns 0; returns 1 when the node has no disk pressure.
node_stack_disk_pressure() {
  [[ "$("${kc[@]}" get nodes -o 'jsonpath={.items[*].status.conditions[?(@.type=="DiskPressure")].status}' 2>/dev/null)" == *True* ]] || return 1
  local node_dir="${STATEFUN_KUBE_NODE_DIR:-${STATEFUN_KUBE_CACHE_DIR:-$HOME/.cache/statefun-operator}/kube-node}"
  echo "the node reports DiskPressure: its kubelet schedules no pod while the disk holding $node_dir is short of space (it wants 10% free, 15% for images; free now: $(df -h --output=avail,pcent "$node_dir" 2>/dev/null | tail -n 1 | tr -s ' ') used). Free space there: old test runs in ${TMPDIR:-/tmp}/statefun-tests, the image store's old layers (README, Troubleshooting)"
}

node_stack_install() {
  local pressure
  if pressure=$(node_stack_disk_pressure); then
    ns_log "FAILED: $pressure"
    return 1
  fi
  kubectl kustomize "$here/config/local/node" >/dev/null 2>"$out/kustomize.log" \
    || { ns_log "FAILED: this kubectl ($(kubectl version --client 2>/dev/null | head -n 1)) cannot build config/local/node: a kubectl of 1.21 or later is needed for kustomize overlays ($out/kustomize.log)"; return 1; }
  t_install=$(ns_now)
  "${kc[@]}" apply -k "$here/config/local/node" >"$out/apply-install.log" 2>&1 \
    || { ns_log "FAILED: kubectl apply -k config/local/node (log: $out/apply-install.log)"; cat "$out/apply-install.log"; return 1; }
  "${kc[@]}" -n statefun-operator-system rollout status deployment/statefun-operator --timeout=180s >/dev/null 2>&1 \
    || { pressure=$(node_stack_disk_pressure) && pressure=": $pressure"; ns_log "FAILED: the operator Deployment did not become available within 180 s$pressure"; return 1; }
  ns_log "kubectl apply -k config/local/node: both operator pods Ready (probes) in $(ns_since "$t_install") s"
}

# A local PersistentVolume (a directory of the node, as `local` volumes are: bound to the node by nodeAffinity) of a
# StorageClass without a provisioner, bound when the host pod is scheduled (WaitForFirstConsumer). Made anew each
# run: a Retain volume released by an earlier run's claim is never bound again.
node_stack_local_volume() {
  node_volume_dir="$out/host-volume"
  "${kc[@]}" delete pv statefun-e2e-host-state --ignore-not-found --wait=true --timeout=60s >/dev/null 2>&1 || true
  rm -rf "$node_volume_dir"; mkdir -p "$node_volume_dir"
  "${kc[@]}" apply -f - >"$out/volume.log" 2>&1 <<EOF || { ns_log "FAILED: the local PersistentVolume (log: $out/volume.log)"; return 1; }
apiVersion: storage.k8s.io/v1
kind: StorageClass
metadata:
  name: statefun-e2e-local
provisioner: kubernetes.io/no-provisioner
volumeBindingMode: WaitForFirstConsumer
---
apiVersion: v1
kind: PersistentVolume
metadata:
  name: statefun-e2e-host-state
spec:
  capacity:
    storage: 1Gi
  accessModes: [ReadWriteOnce]
  persistentVolumeReclaimPolicy: Retain
  storageClassName: statefun-e2e-local
  local:
    path: $node_volume_dir
  nodeAffinity:
    required:
      nodeSelectorTerms:
        - matchExpressions:
            - key: kubernetes.io/hostname
              operator: In
              values: [statefun-node]
EOF
  node_demo_storage_class=statefun-e2e-local
  ns_log "a local PersistentVolume for the function host's stores: $node_volume_dir (StorageClass statefun-e2e-local)"
}

node_stack_demo() {
  "${kc[@]}" get namespace "$node_ns" >/dev/null 2>&1 || "${kc[@]}" create namespace "$node_ns" >/dev/null
  "${kc[@]}" apply -n "$node_ns" -f "$here/config/local/node/greeter.yaml" -f "$here/config/local/node/cs-greeter.yaml" >/dev/null
  local d
  for d in greeter cs-greeter; do
    "${kc[@]}" -n "$node_ns" rollout status "deployment/$d" --timeout=120s >/dev/null \
      || { ns_log "FAILED: the $d pod did not become Ready"; return 1; }
  done
  greeter_ip=$("${kc[@]}" -n "$node_ns" get service greeter -o 'jsonpath={.spec.clusterIP}')
  cs_greeter_ip=$("${kc[@]}" -n "$node_ns" get service cs-greeter -o 'jsonpath={.spec.clusterIP}')
  t_apply=$(ns_now)
  cat "$here/config/local/demo.yaml" <(echo ---) "$here/config/local/demo-csharp.yaml" \
    | sed -e "s#\${KAFKA_BOOTSTRAP_SERVERS}#$KAFKA_BOOTSTRAP_SERVERS#g" -e "s#http://127.0.0.1:\${GREETER_PORT}#http://$greeter_ip:8000#g" \
          -e "s#http://127.0.0.1:\${CS_GREETER_PORT}#http://$cs_greeter_ip:8000#g" -e "s#\${HOST_SEMANTIC}#$host_semantic#g" \
    | awk -v class="$node_demo_storage_class" '
        { print }
        /^  name: example-functions$/ { endpoint = 1 }
        endpoint && class != "" && /^  partitions:/ { print "  storage:\n    size: 256Mi\n    storageClassName: " class; endpoint = 0 }' \
    > "$out/demo.yaml"
  "${kc[@]}" apply -n "$node_ns" -f "$out/demo.yaml" >/dev/null
  ns_log "the greeters run as pods (JavaScript: Service $greeter_ip:8000, C#: Service $cs_greeter_ip:8000); config/local/demo.yaml and demo-csharp.yaml applied in namespace $node_ns"
}

# Stops what the steps started: the broker, and the node if they started it (STATEFUN_E2E_KEEP / keep=1 keeps both).
node_stack_down() {
  if [[ -n "${STATEFUN_E2E_KEEP:-}" ]]; then
    ns_log "left running (STATEFUN_E2E_KEEP): export KUBECONFIG=${kubeconfig:-}; broker ${KAFKA_BOOTSTRAP_SERVERS:-} (pid ${node_broker_pid:-})"
    return 0
  fi
  if [[ -n "$node_broker_pid" ]]; then kill "$node_broker_pid" 2>/dev/null || true; wait "$node_broker_pid" 2>/dev/null || true; fi
  if [[ -n "$node_started" ]]; then
    "$here/scripts/kube-node.sh" stop >>"$out/node.log" 2>&1 || ns_log "stopping the node failed (see $out/node.log)"
  fi
}
