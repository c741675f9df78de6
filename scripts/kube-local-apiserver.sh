#!/usr/bin/env bash
# A local, kubelet-less Kubernetes control plane for development: etcd + kube-apiserver on 127.0.0.1.
#   scripts/kube-local-apiserver.sh start    start both (idempotent); prints the kubeconfig path on its last line
#   scripts/kube-local-apiserver.sh stop     stop what `start` started (by the PIDs it recorded)
#   scripts/kube-local-apiserver.sh status
# State lives in ${STATEFUN_LOCAL_DIR:-.local}/kube (kubeconfig, certificates, logs, etcd data, PID files).
# Binaries come from scripts/kube-test-assets.sh (KUBEBUILDER_ASSETS overrides). There is no kubelet or
# controller-manager: Deployments are stored, never run.
set -euo pipefail
cd "$(dirname "$0")/.."
state="${STATEFUN_LOCAL_DIR:-$PWD/.local}/kube"
api_port="${STATEFUN_APISERVER_PORT:-6443}"
etcd_port="${STATEFUN_ETCD_PORT:-2379}"
etcd_peer_port="${STATEFUN_ETCD_PEER_PORT:-2380}"
log() { echo "[kube-local] $*" >&2; }

running() { [[ -f "$state/$1.pid" ]] && kill -0 "$(cat "$state/$1.pid")" 2>/dev/null; }

stop_one() {
  if running "$1"; then
    local pid; pid="$(cat "$state/$1.pid")"
    kill "$pid"
    for _ in $(seq 1 50); do kill -0 "$pid" 2>/dev/null || break; sleep 0.2; done
    log "stopped $1 (pid $pid)"
  fi
  rm -f "$state/$1.pid"
}

start() {
  mkdir -p "$state"
  local assets; assets="${KUBEBUILDER_ASSETS:-$(scripts/kube-test-assets.sh | tail -n 1)}"
  if [[ ! -f "$state/serving.crt" ]]; then
    openssl req -x509 -newkey rsa:2048 -nodes -days 365 -subj "/CN=statefun-local-apiserver" \
      -addext "subjectAltName=IP:127.0.0.1,DNS:localhost" -addext "basicConstraints=critical,CA:TRUE" \
      -keyout "$state/serving.key" -out "$state/serving.crt" 2>/dev/null
    openssl genrsa -out "$state/sa.key" 2048 2>/dev/null
    openssl rsa -in "$state/sa.key" -pubout -out "$state/sa.pub" 2>/dev/null
    echo "$(openssl rand -hex 24),statefun-local-admin,statefun-local-admin,system:masters" > "$state/tokens.csv"
  fi
  local token; token="$(cut -d, -f1 "$state/tokens.csv")"

  if ! running etcd; then
    nohup "$assets/etcd" --name=statefun-local --data-dir="$state/etcd" \
      --listen-client-urls="http://127.0.0.1:$etcd_port" --advertise-client-urls="http://127.0.0.1:$etcd_port" \
      --listen-peer-urls="http://127.0.0.1:$etcd_peer_port" --initial-advertise-peer-urls="http://127.0.0.1:$etcd_peer_port" \
      --initial-cluster="statefun-local=http://127.0.0.1:$etcd_peer_port" > "$state/etcd.log" 2>&1 &
    echo $! > "$state/etcd.pid"
    log "etcd pid $(cat "$state/etcd.pid") on 127.0.0.1:$etcd_port"
  fi
  if ! running kube-apiserver; then
    nohup "$assets/kube-apiserver" --etcd-servers="http://127.0.0.1:$etcd_port" \
      --bind-address=127.0.0.1 --advertise-address=127.0.0.1 --secure-port="$api_port" --insecure-port=0 \
      --cert-dir="$state/certs" --tls-cert-file="$state/serving.crt" --tls-private-key-file="$state/serving.key" \
      --token-auth-file="$state/tokens.csv" --authorization-mode=RBAC \
      --service-account-key-file="$state/sa.pub" --service-account-signing-key-file="$state/sa.key" \
      --service-account-issuer=https://kubernetes.default.svc.cluster.local \
      --service-cluster-ip-range=10.0.0.0/24 --allow-privileged=true --disable-admission-plugins=ServiceAccount \
      --endpoint-reconciler-type=none > "$state/kube-apiserver.log" 2>&1 &
    echo $! > "$state/kube-apiserver.pid"
    log "kube-apiserver pid $(cat "$state/kube-apiserver.pid") on https://127.0.0.1:$api_port"
  fi

  for _ in $(seq 1 300); do
    if curl -fsS --cacert "$state/serving.crt" -H "Authorization: Bearer $token" "https://127.0.0.1:$api_port/readyz" >/dev/null 2>&1; then
      break
    fi
    running kube-apiserver || { tail -n 30 "$state/kube-apiserver.log" >&2; log "kube-apiserver exited"; exit 1; }
    sleep 0.2
  done
  curl -fsS --cacert "$state/serving.crt" -H "Authorization: Bearer $token" "https://127.0.0.1:$api_port/readyz" >/dev/null \
    || { tail -n 30 "$state/kube-apiserver.log" >&2; log "kube-apiserver not ready"; exit 1; }

  cat > "$state/kubeconfig" <<KUBECONFIG
apiVersion: v1
kind: Config
clusters:
- name: statefun-local
  cluster:
    server: https://127.0.0.1:$api_port
    certificate-authority-data: $(base64 -w0 < "$state/serving.crt")
users:
- name: statefun-local-admin
  user:
    token: $token
contexts:
- name: statefun-local
  context:
    cluster: statefun-local
    user: statefun-local-admin
current-context: statefun-local
KUBECONFIG
  log "ready; use: export KUBECONFIG=$state/kubeconfig"
  echo "$state/kubeconfig"
}

case "${1:-start}" in
  start) start ;;
  stop) stop_one kube-apiserver; stop_one etcd ;;
  status)
    for component in etcd kube-apiserver; do
      if running "$component"; then echo "$component running (pid $(cat "$state/$component.pid"))"; else echo "$component stopped"; fi
    done ;;
  *) echo "usage: $0 start|stop|status" >&2; exit 2 ;;
esac
