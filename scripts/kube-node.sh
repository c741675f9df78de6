#!/usr/bin/env bash
# A real single-node Kubernetes cluster on this machine: pods actually run.
#
#   scripts/kube-node.sh start          start everything (idempotent); the LAST line on stdout is the
#                                       path of an admin kubeconfig, printed once the node is Ready
#   scripts/kube-node.sh stop           stop everything `start` started (by recorded PID), delete the
#                                       pods, the bridge and the firewall/route entries; exit 0 when
#                                       nothing is left running
#   scripts/kube-node.sh status         one line per component
#   scripts/kube-node.sh image-busybox  build (once) and import a busybox test image; prints its name
#   scripts/kube-node.sh import-image ARCHIVE
#                                       import an OCI or docker image archive (e.g. from
#                                       `buildah push IMG oci-archive:/tmp/img.tar:NAME`); pods use it
#                                       with imagePullPolicy: Never (or IfNotPresent)
#   scripts/kube-node.sh smoke-test     run a busybox pod, check its logs, pod -> node-address traffic
#                                       and pod -> ClusterIP Service traffic
#   scripts/kube-node.sh ctr ARGS...    ctr against the node's containerd (namespace k8s.io), e.g.
#                                       `ctr tasks kill -s SIGKILL <container id>` as the node kills a container
#   scripts/kube-node.sh build          only build/cache the binaries
# Everything but the kubeconfig path / image name goes to stderr.
#
# What runs (all Kubernetes binaries are v1.20.2, the version Debian ships as source):
#   etcd, kube-apiserver      etcd from Debian, kube-apiserver built by scripts/kube-test-assets.sh
#   kube-controller-manager, kube-scheduler, kubelet, kube-proxy, kubectl
#                             built here (once) from the same patched Debian source tree
#   containerd (Debian 1.6) + runc, with a private config/root/state/socket; CNI plugins from
#                             Debian's containernetworking-plugins
#   socat                     forwards the bridge address to the loopback apiserver (see "Network")
#
# Where things live (all outside the repository):
#   $STATEFUN_KUBE_NODE_DIR (default ~/.cache/statefun-operator/kube-node)
#     bin/              the built binaries (kept; a second `start` does not rebuild)
#     images/           hand-written OCI image archives (pause, busybox) (kept)
#     containerd-root/  containerd's content store and snapshots: imported images survive a `stop`
#     run/              the state of one cluster run: *.pid, *.log, certificates, kubeconfigs, etcd data,
#                       kubelet root dir, containerd state. `stop` deletes the data (every `start`
#                       after a `stop` gives a fresh, empty cluster) but keeps the logs and certificates.
#
# Network (nothing leaves this machine):
#   * etcd, kube-apiserver, controller-manager, scheduler, containerd's streaming server, the
#     kubelet's and kube-proxy's health/metrics ports bind 127.0.0.1.
#   * Pods get their own network namespace on a Linux bridge `statefun0` that this script creates,
#     with the address 10.244.0.1/24 (CNI plugins bridge + host-local + loopback; pod IPs 10.244.0.x).
#     The bridge has no uplink. Pods get NO default route: only 10.244.0.0/24 (on-link) and the
#     Service range 10.96.0.0/24 (via 10.244.0.1) are routable from a pod, so a pod that tries any
#     other address fails locally with "network unreachable". On top of that a FORWARD rule drops
#     anything that would be routed from the bridge to another interface, and the host routes the
#     Service range onto the bridge (not to its default gateway). No masquerading to the outside.
#   * The node's address is 10.244.0.1 (a kubelet refuses a loopback node IP), so the kubelet's API
#     (10250, for `kubectl logs/exec`) listens on 10.244.0.1: reachable from this host and its pods
#     only, and it requires a client certificate (anonymous access is off).
#   * kube-apiserver binds 127.0.0.1 and advertises 10.244.0.1:$api_port; socat listens there and
#     forwards to 127.0.0.1, so pods can use the in-cluster `kubernetes` Service (10.96.0.1:443).
#   * A test server that pods must reach binds 10.244.0.1 (the node's bridge address); no DNS needed.
#   * kube-proxy (iptables mode) implements ClusterIP Services; NodePorts only on 10.244.0.1.
#   * No cluster DNS server (no CoreDNS image can be had). Pods' resolv.conf names the conventional
#     cluster DNS address 10.96.0.10 (a Service IP nobody serves yet: lookups time out, locally), never
#     the host's resolvers. Use IPs or the *_SERVICE_HOST environment variables. containerd is told that every registry is 127.0.0.1:9
#     (closed), so a pull that is attempted by mistake fails locally instead of going out: images must
#     be imported (see image-busybox) and used with imagePullPolicy: Never / IfNotPresent.
#
# Host changes, all undone by `stop`: the bridge, a route for 10.96.0.0/24, the iptables chain
# STATEFUN-NODE-FWD (mangle table, jumped to from FORWARD), kube-proxy's KUBE-* chains, and the
# sysctls that the kubelet (vm.overcommit_memory, vm.panic_on_oom, kernel.panic, kernel.panic_on_oops,
# kernel.keys.root_max*) and this script (net.ipv4.ip_forward, net.bridge.bridge-nf-call-iptables)
# set: their previous values are saved in run/sysctl.saved and written back.
# Paths outside our directory that cannot be moved: containerd 1.6's shim sockets in /run/containerd/s/
# and the kubelet's pod logs in /var/log/pods + links in /var/log/containers (`stop` removes ours).
#
# cgroups: the cgroupfs driver (no systemd here) on whatever the machine has; seen here: cgroup v1
# (hybrid, with cgroup2 only at /sys/fs/cgroup/unified), which Kubernetes 1.20 supports best. The
# kubelet creates /kubepods under each v1 hierarchy.
set -euo pipefail

repo_dir="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
cache_root="${STATEFUN_KUBE_CACHE_DIR:-$HOME/.cache/statefun-operator}"
node_dir="${STATEFUN_KUBE_NODE_DIR:-$cache_root/kube-node}"
bin_dir="$node_dir/bin"
image_dir="$node_dir/images"
ctrd_root="$node_dir/containerd-root"
run="$node_dir/run"
source_dir="$cache_root/kube-build/kubernetes"   # unpacked + patched by scripts/kube-test-assets.sh

node_name=statefun-node
bridge=statefun0
node_ip=10.244.0.1
pod_cidr=10.244.0.0/24
service_cidr=10.96.0.0/24
api_service_ip=10.96.0.1
cluster_dns=10.96.0.10
api_port="${STATEFUN_KUBE_NODE_API_PORT:-16443}"      # not 6443/2379: kube-local-apiserver.sh uses those
etcd_port="${STATEFUN_KUBE_NODE_ETCD_PORT:-12379}"
etcd_peer_port="${STATEFUN_KUBE_NODE_ETCD_PEER_PORT:-12380}"
fw_chain=STATEFUN-NODE-FWD
pause_image=statefun.local/pause:3.2
busybox_image=statefun.local/busybox:1
ctrd_sock="$run/containerd/containerd.sock"
# the binaries the build produces (kube-apiserver comes from kube-test-assets.sh)
built_binaries=(kubelet kube-controller-manager kube-scheduler kube-proxy kubectl)
# start order; `stop` goes the other way
components=(etcd kube-apiserver apiserver-bridge containerd kube-controller-manager kube-scheduler kubelet kube-proxy)

export PATH="/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin:$PATH"

log() { echo "[kube-node] $*" >&2; }
fail() { echo "[kube-node] ERROR: $*" >&2; exit 1; }
kubectl() { "$bin_dir/kubectl" --kubeconfig "$run/admin.kubeconfig" "$@"; }
ctr() { command ctr --address "$ctrd_sock" --namespace k8s.io "$@"; }

# ---------------------------------------------------------------------------------------------------
# Process bookkeeping. Each component is started with `setsid` (so it leads its own process group;
# `stop` signals that group, which also reaches helpers such as socat's per-connection children) and
# its PID goes to run/<name>.pid, its output to run/<name>.log. A PID counts as ours only while the
# process still runs the binary we started (guards against a reused PID after a reboot).
# ---------------------------------------------------------------------------------------------------
running() {
  local pidfile="$run/$1.pid" pid
  [[ -f "$pidfile" ]] || return 1
  pid="$(cat "$pidfile")"
  [[ -n "$pid" ]] && alive "$pid" || return 1
  [[ -f "$run/$1.exe" ]] || return 0
  tr '\0' ' ' < "/proc/$pid/cmdline" 2>/dev/null | grep -F -- "$(cat "$run/$1.exe")" >/dev/null
}

launch() { # launch NAME BINARY ARGS...
  local name="$1"; shift
  if running "$name"; then log "$name already running (pid $(cat "$run/$name.pid"))"; return 0; fi
  echo "$1" > "$run/$name.exe"
  # 9>&-: the daemon must not inherit the lock file descriptor (it would hold the lock forever).
  setsid "$@" > "$run/$name.log" 2>&1 < /dev/null 9>&- &
  echo $! > "$run/$name.pid"
  log "started $name (pid $!, log $run/$name.log)"
}

# Whether a process still runs. Our components are reparented to PID 1 when `start` exits; a component that has
# exited stays a zombie until PID 1 reaps it (seconds, on some inits), and `kill -0` still succeeds on a zombie.
alive() {
  local state
  state="$(sed 's/.*) //' "/proc/$1/stat" 2>/dev/null | cut -d' ' -f1)" || return 1
  [[ -n "$state" && "$state" != Z ]]
}

stop_one() {
  local name="$1" pid
  if running "$name"; then
    pid="$(cat "$run/$name.pid")"
    kill -TERM -- "-$pid" 2>/dev/null || kill -TERM "$pid" 2>/dev/null || true
    for _ in $(seq 1 100); do alive "$pid" || break; sleep 0.1; done
    if alive "$pid"; then
      log "$name (pid $pid) ignored SIGTERM for 10s; sending SIGKILL"
      kill -KILL -- "-$pid" 2>/dev/null || kill -KILL "$pid" 2>/dev/null || true
      for _ in $(seq 1 50); do alive "$pid" || break; sleep 0.1; done
    fi
    log "stopped $name (pid $pid)"
  fi
  rm -f "$run/$name.pid" "$run/$name.exe"
}

wait_for() { # wait_for SECONDS DESCRIPTION COMPONENT-THAT-MUST-STAY-UP COMMAND...
  local deadline=$((SECONDS + $1)) what="$2" component="$3"; shift 3
  until "$@" >/dev/null 2>&1; do
    if [[ -n "$component" ]] && ! running "$component"; then
      tail -n 30 "$run/$component.log" >&2 || true
      fail "$component exited while waiting for $what (log: $run/$component.log)"
    fi
    (( SECONDS < deadline )) || { [[ -z "$component" ]] || tail -n 30 "$run/$component.log" >&2 || true; fail "timed out waiting for $what"; }
    sleep 0.5
  done
}

# ---------------------------------------------------------------------------------------------------
# Packages and binaries
# ---------------------------------------------------------------------------------------------------
ensure_packages() {
  # containerd/runc: the container runtime; containernetworking-plugins: bridge/host-local/loopback;
  # iptables + conntrack: kube-proxy; socat: the bridge -> loopback apiserver forwarder;
  # busybox-static: the test image; gcc + libc6-dev: the static pause binary; iproute2: the bridge.
  local packages=(containerd runc containernetworking-plugins iptables conntrack socat busybox-static
                  gcc libc6-dev iproute2 openssl curl) missing=() p
  for p in "${packages[@]}"; do
    dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep 'install ok installed' >/dev/null || missing+=("$p")
  done
  if (( ${#missing[@]} )); then
    log "installing Debian packages: ${missing[*]}"
    apt-get update -qq >&2
    DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends "${missing[@]}" >&2
  fi
  # Debian's containerd package only ships a systemd unit; with no systemd here nothing starts a system
  # instance, and we never use one anyway (our own socket/root/state below).
}

ensure_binaries() {
  [[ "$(id -u)" -eq 0 ]] || fail "must run as root (containerd, the kubelet and the bridge need it)"
  ensure_packages
  # etcd + kube-apiserver (and, the first time, the unpacked + patched source tree).
  assets_dir="${KUBEBUILDER_ASSETS:-$("$repo_dir/scripts/kube-test-assets.sh" | tail -n 1)}"
  [[ -x "$assets_dir/kube-apiserver" && -x "$assets_dir/etcd" ]] || fail "no kube-apiserver/etcd in $assets_dir"

  local b missing=()
  for b in "${built_binaries[@]}"; do [[ -x "$bin_dir/$b" ]] || missing+=("cmd/$b"); done
  (( ${#missing[@]} )) || return 0

  if [[ ! -d "$source_dir/cmd/kubelet" ]]; then
    # kube-test-assets.sh only unpacks the source when it has to build kube-apiserver; make it do so
    # into a scratch assets directory (costs one extra apiserver build, only in this rare case).
    log "no Kubernetes source tree at $source_dir; letting kube-test-assets.sh unpack and patch one"
    STATEFUN_KUBE_ASSETS_DIR="$node_dir/source-assets" "$repo_dir/scripts/kube-test-assets.sh" >/dev/null
  fi
  [[ -d "$source_dir/cmd/kubelet" ]] || fail "no Kubernetes source tree at $source_dir"

  mkdir -p "$bin_dir"
  local build_log="$node_dir/build.log" started=$SECONDS
  log "building ${missing[*]} from $source_dir (minutes: Go's build cache is warm from the kube-apiserver build); log: $build_log"
  # Same environment as kube-test-assets.sh, under nice 19. GOMAXPROCS (the go command's default -p) is every core:
  # make test builds this after its tests, when nothing else runs; STATEFUN_KUBE_BUILD_PROCS=1 is gentler on a
  # shared machine (one package at a time; 14 minutes here while the tests ran).
  # GOFLAGS=-p=1 can NOT be used: hack/lib/golang.sh pastes $GOFLAGS into `-tags`, and a space there
  # fails the build ("-tags space-separated list contains comma").
  if ! (cd "$source_dir" && env -u GOFLAGS -u GOPATH GO111MODULE=on GOFLAGS=-mod=vendor GOTOOLCHAIN=local \
          GOMAXPROCS="${STATEFUN_KUBE_BUILD_PROCS:-$(nproc)}" KUBE_GIT_VERSION="v$(dpkg-parsechangelog -l "$source_dir/debian/changelog" -S Version | sed -E 's/^.*\+really//; s/[-+~].*//')" \
          nice -n 19 make WHAT="${missing[*]}" > "$build_log" 2>&1); then
    tail -n 40 "$build_log" >&2
    fail "build failed (full log: $build_log)"
  fi
  for b in "${missing[@]}"; do
    b="${b#cmd/}"
    local built="$source_dir/_output/local/bin/linux/amd64/$b"
    [[ -x "$built" ]] || fail "build finished but $built is missing"
    cp "$built" "$bin_dir/$b.tmp" && mv "$bin_dir/$b.tmp" "$bin_dir/$b"
  done
  log "built ${missing[*]} in $(( (SECONDS - started) / 60 )) min"
}

# ---------------------------------------------------------------------------------------------------
# Images. Nothing can be pulled, so images are OCI image layouts written by hand: one uncompressed
# layer tar, a config, a manifest and an index whose io.containerd.image.name annotation names the
# image. The tars are reproducible (fixed owner, mtime and order), so re-importing is a no-op.
# ---------------------------------------------------------------------------------------------------
write_oci_archive() { # write_oci_archive OUT.tar IMAGE-NAME ROOTFS-DIR ENTRYPOINT-JSON CMD-JSON
  local out="$1" name="$2" rootfs="$3" entrypoint="$4" cmd="$5" work
  work="$(mktemp -d "$image_dir/.oci.XXXXXX")"
  mkdir -p "$work/blobs/sha256"
  tar --create --file "$work/layer.tar" --directory "$rootfs" --sort=name --owner=0 --group=0 \
      --numeric-owner --mtime=@0 .
  local layer_digest layer_size config_digest config_size manifest_digest manifest_size
  layer_digest="$(sha256sum "$work/layer.tar" | cut -d' ' -f1)"; layer_size="$(stat -c %s "$work/layer.tar")"
  mv "$work/layer.tar" "$work/blobs/sha256/$layer_digest"
  printf '%s' "{\"architecture\":\"amd64\",\"os\":\"linux\",\"created\":\"1970-01-01T00:00:00Z\",\"config\":{\"Env\":[\"PATH=/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin\"],\"Entrypoint\":$entrypoint,\"Cmd\":$cmd,\"WorkingDir\":\"/\"},\"rootfs\":{\"type\":\"layers\",\"diff_ids\":[\"sha256:$layer_digest\"]}}" > "$work/config.json"
  config_digest="$(sha256sum "$work/config.json" | cut -d' ' -f1)"; config_size="$(stat -c %s "$work/config.json")"
  mv "$work/config.json" "$work/blobs/sha256/$config_digest"
  printf '%s' "{\"schemaVersion\":2,\"mediaType\":\"application/vnd.oci.image.manifest.v1+json\",\"config\":{\"mediaType\":\"application/vnd.oci.image.config.v1+json\",\"digest\":\"sha256:$config_digest\",\"size\":$config_size},\"layers\":[{\"mediaType\":\"application/vnd.oci.image.layer.v1.tar\",\"digest\":\"sha256:$layer_digest\",\"size\":$layer_size}]}" > "$work/manifest.json"
  manifest_digest="$(sha256sum "$work/manifest.json" | cut -d' ' -f1)"; manifest_size="$(stat -c %s "$work/manifest.json")"
  mv "$work/manifest.json" "$work/blobs/sha256/$manifest_digest"
  printf '%s' "{\"schemaVersion\":2,\"manifests\":[{\"mediaType\":\"application/vnd.oci.image.manifest.v1+json\",\"digest\":\"sha256:$manifest_digest\",\"size\":$manifest_size,\"platform\":{\"architecture\":\"amd64\",\"os\":\"linux\"},\"annotations\":{\"io.containerd.image.name\":\"$name\",\"org.opencontainers.image.ref.name\":\"${name##*:}\"}}]}" > "$work/index.json"
  printf '%s' '{"imageLayoutVersion":"1.0.0"}' > "$work/oci-layout"
  tar --create --file "$out.tmp" --directory "$work" --sort=name --owner=0 --group=0 --numeric-owner \
      --mtime=@0 oci-layout index.json blobs
  mv "$out.tmp" "$out"
  rm -rf "$work"
}

# The sandbox ("pause") image: Kubernetes' own build/pause/linux/pause.c, compiled statically.
build_pause_image() {
  local archive="$image_dir/pause.tar"
  [[ -f "$archive" ]] && return 0
  mkdir -p "$image_dir"
  local rootfs; rootfs="$(mktemp -d "$image_dir/.rootfs.XXXXXX")"
  gcc -Os -static -DVERSION=v3.2-statefun -o "$rootfs/pause" "$source_dir/build/pause/linux/pause.c"
  strip "$rootfs/pause" 2>/dev/null || true
  write_oci_archive "$archive" "$pause_image" "$rootfs" '["/pause"]' 'null'
  rm -rf "$rootfs"
  log "wrote $archive ($pause_image)"
}

# A busybox image: Debian's busybox-static as /bin/busybox plus a link for every applet (sh, sleep,
# nc, httpd, ip, ...), an /etc/passwd, /tmp. Entrypoint none, Cmd ["sh"]. Note: this busybox's
# `wget` segfaults (also on the host, bookworm 1.35.0); use `nc` for HTTP checks:
#   printf 'GET / HTTP/1.0\r\n\r\n' | nc -w 5 10.244.0.1 8080
build_busybox_image() {
  local archive="$image_dir/busybox.tar"
  [[ -f "$archive" ]] && return 0
  mkdir -p "$image_dir"
  local rootfs applet; rootfs="$(mktemp -d "$image_dir/.rootfs.XXXXXX")"
  mkdir -p "$rootfs"/{bin,etc,tmp,root,proc,sys,dev,var/www}
  chmod 1777 "$rootfs/tmp"
  cp /bin/busybox "$rootfs/bin/busybox"
  for applet in $("$rootfs/bin/busybox" --list); do
    [[ "$applet" == busybox ]] || ln -s busybox "$rootfs/bin/$applet"
  done
  printf 'root:x:0:0:root:/root:/bin/sh\nnobody:x:65534:65534:nobody:/:/bin/false\n' > "$rootfs/etc/passwd"
  printf 'root:x:0:\nnobody:x:65534:\n' > "$rootfs/etc/group"
  write_oci_archive "$archive" "$busybox_image" "$rootfs" 'null' '["sh"]'
  rm -rf "$rootfs"
  log "wrote $archive ($busybox_image)"
}

import_image() { # import_image ARCHIVE NAME
  ctr images import "$1" >&2
  ctr images ls -q | grep -xF "$2" >/dev/null || fail "importing $1 did not create image $2"
}

# ---------------------------------------------------------------------------------------------------
# Credentials: one CA; the apiserver's serving cert (for 127.0.0.1, the bridge address and the
# `kubernetes` Service), a client cert the apiserver shows the kubelet, static bearer tokens for the
# admin and each component (with the user names the built-in RBAC roles are bound to), and the
# service-account signing key pair. Generated once per run directory.
# ---------------------------------------------------------------------------------------------------
ensure_credentials() {
  local pki="$run/pki"
  if [[ ! -f "$pki/done" ]]; then
    rm -rf "$pki"; mkdir -p "$pki"
    openssl req -x509 -newkey rsa:2048 -nodes -days 3650 -subj "/CN=statefun-node-ca" \
      -addext "basicConstraints=critical,CA:TRUE" -addext "keyUsage=critical,keyCertSign,cRLSign,digitalSignature" \
      -keyout "$pki/ca.key" -out "$pki/ca.crt" 2>/dev/null
    sign() { # sign NAME SUBJECT EXTENSIONS
      openssl req -newkey rsa:2048 -nodes -subj "$2" -keyout "$pki/$1.key" -out "$pki/$1.csr" 2>/dev/null
      printf '%s\n' "$3" > "$pki/$1.ext"
      openssl x509 -req -in "$pki/$1.csr" -CA "$pki/ca.crt" -CAkey "$pki/ca.key" -CAcreateserial -days 3650 \
        -extfile "$pki/$1.ext" -out "$pki/$1.crt" 2>/dev/null
      rm -f "$pki/$1.csr" "$pki/$1.ext"
    }
    sign apiserver "/CN=kube-apiserver" "basicConstraints=CA:FALSE
keyUsage=critical,digitalSignature,keyEncipherment
extendedKeyUsage=serverAuth
subjectAltName=IP:127.0.0.1,IP:$node_ip,IP:$api_service_ip,DNS:localhost,DNS:kubernetes,DNS:kubernetes.default,DNS:kubernetes.default.svc,DNS:kubernetes.default.svc.cluster.local"
    sign apiserver-kubelet-client "/O=system:masters/CN=kube-apiserver-kubelet-client" "basicConstraints=CA:FALSE
keyUsage=critical,digitalSignature,keyEncipherment
extendedKeyUsage=clientAuth"
    openssl genrsa -out "$pki/sa.key" 2048 2>/dev/null
    openssl rsa -in "$pki/sa.key" -pubout -out "$pki/sa.pub" 2>/dev/null
    {
      echo "$(openssl rand -hex 24),statefun-node-admin,statefun-node-admin,\"system:masters\""
      echo "$(openssl rand -hex 24),system:node:$node_name,system:node:$node_name,\"system:nodes\""
      echo "$(openssl rand -hex 24),system:kube-controller-manager,system:kube-controller-manager"
      echo "$(openssl rand -hex 24),system:kube-scheduler,system:kube-scheduler"
      echo "$(openssl rand -hex 24),system:kube-proxy,system:kube-proxy"
    } > "$pki/tokens.csv"
    chmod 600 "$pki"/*.key "$pki/tokens.csv"
    touch "$pki/done"
  fi
  local user token
  while IFS=, read -r token user _; do
    local file
    case "$user" in
      statefun-node-admin) file=admin ;;
      system:node:*) file=kubelet ;;
      system:*) file="${user#system:}" ;;
    esac
    cat > "$run/$file.kubeconfig" <<KUBECONFIG
apiVersion: v1
kind: Config
clusters:
- name: statefun-node
  cluster:
    server: https://127.0.0.1:$api_port
    certificate-authority-data: $(base64 -w0 < "$pki/ca.crt")
users:
- name: $user
  user:
    token: $token
contexts:
- name: statefun-node
  context:
    cluster: statefun-node
    user: $user
current-context: statefun-node
KUBECONFIG
    chmod 600 "$run/$file.kubeconfig"
  done < "$pki/tokens.csv"
}

# ---------------------------------------------------------------------------------------------------
# Host network: sysctls (saved once, restored by stop), the bridge, the Service route, the firewall.
# ---------------------------------------------------------------------------------------------------
saved_sysctls=(net.ipv4.ip_forward net.bridge.bridge-nf-call-iptables vm.overcommit_memory vm.panic_on_oom
               kernel.panic kernel.panic_on_oops kernel.keys.root_maxkeys kernel.keys.root_maxbytes)

setup_network() {
  # br_netfilter makes bridged pod<->pod replies pass through iptables, which a ClusterIP connection
  # between two pods on the same bridge needs (kube-proxy's DNAT must be undone on the way back).
  [[ -e /proc/sys/net/bridge/bridge-nf-call-iptables ]] || modprobe br_netfilter 2>/dev/null || true
  if [[ ! -f "$run/sysctl.saved" ]]; then
    local key
    for key in "${saved_sysctls[@]}"; do
      [[ -e "/proc/sys/${key//.//}" ]] && echo "$key=$(sysctl -n "$key")"
    done > "$run/sysctl.saved.tmp"
    mv "$run/sysctl.saved.tmp" "$run/sysctl.saved"
  fi
  # ip_forward: a pod's packet to a ClusterIP arrives on the bridge, is DNATed to a pod and routed
  # back out of the bridge. The firewall chain below keeps forwarding confined to the bridge.
  sysctl -qw net.ipv4.ip_forward=1
  [[ -e /proc/sys/net/bridge/bridge-nf-call-iptables ]] && sysctl -qw net.bridge.bridge-nf-call-iptables=1

  if ! ip link show "$bridge" >/dev/null 2>&1; then
    ip link add "$bridge" type bridge
    log "created bridge $bridge"
  fi
  ip addr show dev "$bridge" | grep -F "inet $node_ip/24" >/dev/null || ip addr add "$node_ip/24" dev "$bridge"
  ip link set "$bridge" up
  # Service IPs are virtual: kube-proxy DNATs them. Route the range onto the bridge so that a packet no
  # rule matched stays on the bridge instead of going to the default gateway.
  ip route replace "$service_cidr" dev "$bridge" src "$node_ip"

  # The chain sits in the mangle table, whose FORWARD hook runs before the filter table's, so the
  # ACCEPT rules kube-proxy puts first in filter/FORWARD cannot bypass it.
  iptables -w -t mangle -N "$fw_chain" 2>/dev/null || iptables -w -t mangle -F "$fw_chain"
  iptables -w -t mangle -A "$fw_chain" -i "$bridge" -o "$bridge" -j RETURN
  iptables -w -t mangle -A "$fw_chain" -i "$bridge" -j DROP   # pod -> anywhere but the bridge
  iptables -w -t mangle -A "$fw_chain" -o "$bridge" -j DROP   # elsewhere -> pods (the host's own traffic is not FORWARD)
  iptables -w -t mangle -C FORWARD -j "$fw_chain" 2>/dev/null || iptables -w -t mangle -I FORWARD 1 -j "$fw_chain"
}

# kube-proxy's rules. `kube-proxy --cleanup` removes most of them but leaves some chains
# (KUBE-MARK-MASQ, KUBE-MARK-DROP, KUBE-PROXY-CANARY); remove every KUBE-* chain and the jumps to
# them. (KUBE-* chains are only ever made by Kubernetes components, and only ours run here.)
remove_kube_iptables() {
  [[ -x "$bin_dir/kube-proxy" ]] && "$bin_dir/kube-proxy" --cleanup >/dev/null 2>&1 || true
  local ipt table rule chain
  for ipt in iptables ip6tables; do
    command -v "$ipt" >/dev/null || continue
    for table in filter nat mangle raw; do
      "$ipt" -w -t "$table" -S >/dev/null 2>&1 || continue
      while IFS= read -r rule; do
        eval "$ipt -w -t $table -D ${rule#-A }" 2>/dev/null || true
      done < <("$ipt" -w -t "$table" -S 2>/dev/null | grep -E '^-A (INPUT|OUTPUT|FORWARD|PREROUTING|POSTROUTING) .*-j KUBE-')
      for chain in $("$ipt" -w -t "$table" -S 2>/dev/null | awk '$1 == "-N" && $2 ~ /^KUBE-/ {print $2}'); do
        "$ipt" -w -t "$table" -F "$chain" 2>/dev/null || true
      done
      for chain in $("$ipt" -w -t "$table" -S 2>/dev/null | awk '$1 == "-N" && $2 ~ /^KUBE-/ {print $2}'); do
        "$ipt" -w -t "$table" -X "$chain" 2>/dev/null || true
      done
    done
  done
}

teardown_network() {
  while iptables -w -t mangle -C FORWARD -j "$fw_chain" 2>/dev/null; do iptables -w -t mangle -D FORWARD -j "$fw_chain"; done
  iptables -w -t mangle -F "$fw_chain" 2>/dev/null || true
  iptables -w -t mangle -X "$fw_chain" 2>/dev/null || true
  ip route del "$service_cidr" dev "$bridge" 2>/dev/null || true
  if ip link show "$bridge" >/dev/null 2>&1; then ip link del "$bridge"; log "removed bridge $bridge"; fi
  if [[ -f "$run/sysctl.saved" ]]; then
    local line
    while IFS= read -r line; do sysctl -qw "$line" 2>/dev/null || log "could not restore $line"; done < "$run/sysctl.saved"
    rm -f "$run/sysctl.saved"
    log "restored sysctls"
  fi
}

has_cap_sys_resource() { # capability 24 in the effective set
  local eff; eff="$(awk '/^CapEff:/ {print $2}' /proc/self/status)"
  (( (0x$eff >> 24) & 1 ))
}

# ---------------------------------------------------------------------------------------------------
# Configuration files
# ---------------------------------------------------------------------------------------------------
write_configs() {
  # The kubelet asks for negative oom_score_adj values (-998 for the pause container, -997 for
  # Guaranteed pods, -999 for itself). Lowering a score needs CAP_SYS_RESOURCE, which root lacks in
  # some sandboxes (this one: runc then fails with "can't get final child's PID from pipe: EOF").
  # Without it, containerd clamps the scores to its own (restrict_oom_score_adj, made for rootless
  # use) and the kubelet and kube-proxy keep score 0.
  local restrict_oom=false own_oom=-999
  if ! has_cap_sys_resource; then restrict_oom=true; own_oom=0; fi
  mkdir -p "$run/cni/net.d" "$run/cni/ipam" "$run/containerd/certs.d/_default" "$run/kubelet"
  # Pod network: see the header. isGateway puts 10.244.0.1 on the bridge (already there); no
  # isDefaultGateway and no ipMasq, so pods get only the routes listed here.
  # hairpinMode lets a pod reach itself through a Service.
  cat > "$run/cni/net.d/10-statefun.conflist" <<JSON
{
  "cniVersion": "0.4.0",
  "name": "statefun",
  "plugins": [
    {
      "type": "bridge",
      "bridge": "$bridge",
      "isGateway": true,
      "isDefaultGateway": false,
      "ipMasq": false,
      "hairpinMode": true,
      "ipam": {
        "type": "host-local",
        "ranges": [[{ "subnet": "$pod_cidr", "gateway": "$node_ip" }]],
        "routes": [{ "dst": "$service_cidr" }],
        "dataDir": "$run/cni/ipam"
      }
    }
  ]
}
JSON

  # Every registry host resolves to a closed local port: an accidental pull fails here, locally.
  cat > "$run/containerd/certs.d/_default/hosts.toml" <<'TOML'
server = "http://127.0.0.1:9"
[host."http://127.0.0.1:9"]
  capabilities = ["pull", "resolve"]
TOML

  # containerd: own root (kept, holds the images), state, socket; the CRI plugin with runc (cgroupfs,
  # SystemdCgroup = false), our pause image, our CNI config, network namespaces under our state dir.
  cat > "$run/containerd/config.toml" <<TOML
version = 2
root = "$ctrd_root"
state = "$run/containerd/state"
oom_score = 0
[grpc]
  address = "$ctrd_sock"
[ttrpc]
  address = "$ctrd_sock.ttrpc"
[debug]
  address = ""
[metrics]
  address = ""
[plugins]
  [plugins."io.containerd.internal.v1.opt"]
    path = "$run/containerd/opt"
  [plugins."io.containerd.grpc.v1.cri"]
    sandbox_image = "$pause_image"
    stream_server_address = "127.0.0.1"
    stream_server_port = "0"
    disable_tcp_service = true
    enable_selinux = false
    netns_mounts_under_state_dir = true
    restrict_oom_score_adj = $restrict_oom
    tolerate_missing_hugetlb_controller = true
    disable_hugetlb_controller = true
    [plugins."io.containerd.grpc.v1.cri".containerd]
      snapshotter = "overlayfs"
      default_runtime_name = "runc"
      [plugins."io.containerd.grpc.v1.cri".containerd.runtimes.runc]
        runtime_type = "io.containerd.runc.v2"
        [plugins."io.containerd.grpc.v1.cri".containerd.runtimes.runc.options]
          BinaryName = "$(command -v runc)"
          Root = "$run/containerd/runc"
          SystemdCgroup = false
    [plugins."io.containerd.grpc.v1.cri".cni]
      bin_dir = "/usr/lib/cni"
      conf_dir = "$run/cni/net.d"
      max_conf_num = 1
    [plugins."io.containerd.grpc.v1.cri".registry]
      config_path = "$run/containerd/certs.d"
TOML

  # Pods must never get the host's resolvers (outside the pod network). An empty file is not enough:
  # containerd then copies the host's /etc/resolv.conf. So both ClusterFirst pods (clusterDNS) and
  # Default/hostNetwork pods (this file) get $cluster_dns, a Service IP: a DNS server deployed later as
  # a Service with that clusterIP would just work; until then lookups time out on the bridge.
  echo "nameserver $cluster_dns" > "$run/resolv.conf"

  cat > "$run/kubelet/config.yaml" <<YAML
apiVersion: kubelet.config.k8s.io/v1beta1
kind: KubeletConfiguration
address: $node_ip
port: 10250
readOnlyPort: 0
healthzBindAddress: 127.0.0.1
healthzPort: 10248
authentication:
  anonymous: {enabled: false}
  webhook: {enabled: true}
  x509: {clientCAFile: "$run/pki/ca.crt"}
authorization: {mode: Webhook}
cgroupDriver: cgroupfs
failSwapOn: false
resolvConf: "$run/resolv.conf"
clusterDomain: cluster.local
clusterDNS: ["$cluster_dns"]
# kube-proxy makes its own iptables chains; the kubelet's extra ones (KUBE-FIREWALL on INPUT/OUTPUT of
# the whole host) are not needed here.
makeIPTablesUtilChains: false
# Disk pressure must not evict pods or garbage-collect the imported images (they cannot be pulled
# back): eviction only when the disk is really full, image GC never.
evictionHard: {memory.available: "100Mi", nodefs.available: "1%", imagefs.available: "1%"}
imageGCHighThresholdPercent: 100
imageGCLowThresholdPercent: 99
serializeImagePulls: false
oomScoreAdj: $own_oom
YAML
  echo "$own_oom" > "$run/oom-score-adj"
}

# ---------------------------------------------------------------------------------------------------
# start
# ---------------------------------------------------------------------------------------------------
api_ready() { curl -fsS --cacert "$run/pki/ca.crt" -H "Authorization: Bearer $(head -n1 "$run/pki/tokens.csv" | cut -d, -f1)" "https://127.0.0.1:$api_port/readyz"; }
node_ready() {
  [[ "$(kubectl get node "$node_name" -o 'jsonpath={.status.conditions[?(@.type=="Ready")].status}' 2>/dev/null)" == True ]]
}

start() {
  ensure_binaries
  mkdir -p "$run" "$ctrd_root"
  ensure_credentials
  write_configs
  setup_network

  launch etcd "$assets_dir/etcd" --name=statefun-node --data-dir="$run/etcd" \
    --listen-client-urls="http://127.0.0.1:$etcd_port" --advertise-client-urls="http://127.0.0.1:$etcd_port" \
    --listen-peer-urls="http://127.0.0.1:$etcd_peer_port" --initial-advertise-peer-urls="http://127.0.0.1:$etcd_peer_port" \
    --initial-cluster="statefun-node=http://127.0.0.1:$etcd_peer_port"

  launch kube-apiserver "$assets_dir/kube-apiserver" --etcd-servers="http://127.0.0.1:$etcd_port" \
    --bind-address=127.0.0.1 --secure-port="$api_port" --insecure-port=0 --advertise-address="$node_ip" \
    --cert-dir="$run/apiserver-certs" --tls-cert-file="$run/pki/apiserver.crt" --tls-private-key-file="$run/pki/apiserver.key" \
    --client-ca-file="$run/pki/ca.crt" --token-auth-file="$run/pki/tokens.csv" --authorization-mode=Node,RBAC \
    --enable-admission-plugins=NodeRestriction \
    --kubelet-client-certificate="$run/pki/apiserver-kubelet-client.crt" --kubelet-client-key="$run/pki/apiserver-kubelet-client.key" \
    --kubelet-preferred-address-types=InternalIP \
    --service-account-key-file="$run/pki/sa.pub" --service-account-signing-key-file="$run/pki/sa.key" \
    --service-account-issuer=https://kubernetes.default.svc.cluster.local \
    --service-cluster-ip-range="$service_cidr" --allow-privileged=true --profiling=false
  wait_for 120 "kube-apiserver /readyz" kube-apiserver api_ready

  # Pods reach the apiserver through the `kubernetes` Service, whose endpoint is the advertised
  # 10.244.0.1:$api_port; the apiserver itself only binds loopback.
  launch apiserver-bridge "$(command -v socat)" "TCP-LISTEN:$api_port,bind=$node_ip,reuseaddr,fork" "TCP:127.0.0.1:$api_port"

  mkdir -p "$run/containerd"
  # containerd 1.6 puts its shims' sockets in /run/containerd/s whatever the config says; note whether
  # we are the ones creating /run/containerd, so that `stop` can remove it again (if empty).
  [[ -e /run/containerd || -e "$run/created-run-containerd" ]] || touch "$run/created-run-containerd"
  launch containerd "$(command -v containerd)" --config "$run/containerd/config.toml" --log-level warn
  wait_for 60 "containerd" containerd ctr version
  build_pause_image
  import_image "$image_dir/pause.tar" "$pause_image"

  launch kube-controller-manager "$bin_dir/kube-controller-manager" --kubeconfig="$run/kube-controller-manager.kubeconfig" \
    --authentication-kubeconfig="$run/kube-controller-manager.kubeconfig" --authorization-kubeconfig="$run/kube-controller-manager.kubeconfig" \
    --bind-address=127.0.0.1 --secure-port=10257 --port=0 --cert-dir="$run/controller-manager-certs" \
    --leader-elect=false --use-service-account-credentials=true \
    --service-account-private-key-file="$run/pki/sa.key" --root-ca-file="$run/pki/ca.crt" \
    --cluster-signing-cert-file="$run/pki/ca.crt" --cluster-signing-key-file="$run/pki/ca.key" \
    --service-cluster-ip-range="$service_cidr" --profiling=false
  launch kube-scheduler "$bin_dir/kube-scheduler" --kubeconfig="$run/kube-scheduler.kubeconfig" \
    --authentication-kubeconfig="$run/kube-scheduler.kubeconfig" --authorization-kubeconfig="$run/kube-scheduler.kubeconfig" \
    --bind-address=127.0.0.1 --secure-port=10259 --port=0 --cert-dir="$run/scheduler-certs" \
    --leader-elect=false --profiling=false

  mkdir -p "$run/kubelet/root" "$run/kubelet/pki" "$run/kubelet/volume-plugins"
  launch kubelet "$bin_dir/kubelet" --config="$run/kubelet/config.yaml" --kubeconfig="$run/kubelet.kubeconfig" \
    --root-dir="$run/kubelet/root" --cert-dir="$run/kubelet/pki" --volume-plugin-dir="$run/kubelet/volume-plugins" \
    --container-runtime=remote --container-runtime-endpoint="unix://$ctrd_sock" --runtime-request-timeout=5m \
    --pod-infra-container-image="$pause_image" \
    --hostname-override="$node_name" --node-ip="$node_ip" --v=1

  launch kube-proxy "$bin_dir/kube-proxy" --kubeconfig="$run/kube-proxy.kubeconfig" --proxy-mode=iptables \
    --hostname-override="$node_name" --bind-address="$node_ip" --cluster-cidr="$pod_cidr" \
    --healthz-bind-address=127.0.0.1:10256 --metrics-bind-address=127.0.0.1:10249 \
    --nodeport-addresses="$node_ip/32" --oom-score-adj="$(cat "$run/oom-score-adj")" \
    --conntrack-max-per-core=0 --conntrack-tcp-timeout-established=0 --conntrack-tcp-timeout-close-wait=0

  wait_for 180 "node $node_name Ready" kubelet node_ready
  # Pods can be created once the ServiceAccount admission finds the namespace's default account.
  wait_for 120 "the default ServiceAccount" kube-controller-manager kubectl get serviceaccount default -n default
  local c
  for c in "${components[@]}"; do running "$c" || fail "$c is not running (log: $run/$c.log)"; done
  log "node $node_name is Ready; export KUBECONFIG=$run/admin.kubeconfig"
  echo "$run/admin.kubeconfig"
}

# ---------------------------------------------------------------------------------------------------
# stop
# ---------------------------------------------------------------------------------------------------
stop() {
  if [[ ! -d "$run" ]]; then log "nothing to stop"; return 0; fi
  # 1. Let the kubelet tear the pods down the normal way (stop containers, CNI DEL, remove the
  #    network namespaces): first stop the controllers so nothing recreates them, then delete them.
  stop_one kube-scheduler
  stop_one kube-controller-manager
  if running kube-apiserver && running kubelet && running containerd && [[ -x "$bin_dir/kubectl" ]]; then
    kubectl get pods --all-namespaces -o 'jsonpath={range .items[*]}{.metadata.uid}{"\n"}{end}' \
      >> "$run/pod-uids" 2>/dev/null || true
    kubectl delete pods --all --all-namespaces --grace-period=0 --force --wait=false >/dev/null 2>&1 || true
    local deadline=$((SECONDS + 60))
    while (( SECONDS < deadline )) && [[ -n "$(ctr tasks ls -q 2>/dev/null)" ]]; do sleep 1; done
  fi
  stop_one kube-proxy
  stop_one kubelet
  remove_kube_iptables

  # 2. Whatever the kubelet left (it was killed, or timed out): kill and delete it through containerd,
  #    and remove the network namespaces of our sandboxes (all under our state dir).
  if running containerd; then
    local id
    for id in $(ctr tasks ls -q 2>/dev/null); do
      ctr tasks kill --signal SIGKILL "$id" >/dev/null 2>&1 || true
    done
    sleep 1
    for id in $(ctr tasks ls -q 2>/dev/null); do ctr tasks delete --force "$id" >/dev/null 2>&1 || true; done
    for id in $(ctr containers ls -q 2>/dev/null); do ctr containers delete "$id" >/dev/null 2>&1 || true; done
  fi
  stop_one containerd
  stop_one apiserver-bridge
  stop_one kube-apiserver
  stop_one etcd

  # 3. Leftovers: shims still serving our socket (their containerd is gone), then mounts under our
  #    directory (network namespaces, pod volumes, sandbox /dev/shm, overlay rootfs), deepest first.
  #    (Matched on our private socket path, which only our containerd's shims carry on their command
  #    line; the pattern is compared in bash so no helper process carries it.)
  local f pid cmdline
  for f in /proc/[0-9]*/cmdline; do
    pid="${f#/proc/}"; pid="${pid%/cmdline}"
    [[ "$pid" == "$$" || "$pid" == "$BASHPID" ]] && continue
    cmdline="$( { tr '\0' ' ' < "$f"; } 2>/dev/null )" || continue
    [[ "$cmdline" == *"-address $ctrd_sock "* ]] || continue
    log "killing leftover process $pid: ${cmdline:0:160}"
    kill -KILL "$pid" 2>/dev/null || true
  done
  local mnt
  for mnt in $(awk -v prefix="$node_dir/" 'index($2, prefix) == 1 {print $2}' /proc/self/mounts | sort -r); do
    umount "$mnt" 2>/dev/null || umount -l "$mnt" 2>/dev/null || log "could not unmount $mnt"
  done

  # The kubelet writes pod logs to /var/log/pods/<ns>_<pod>_<uid> (a path it hard-codes) and links
  # them from /var/log/containers; remove those of the pods this node ran (their UIDs: the pods the
  # API listed at stop, and the directories in the kubelet's root dir), and links left dangling.
  local uid link
  for uid in $(cat "$run/pod-uids" 2>/dev/null; ls "$run/kubelet/root/pods" 2>/dev/null); do
    if [[ "$uid" =~ ^[0-9a-f-]{36}$ ]]; then rm -rf /var/log/pods/*_"$uid"; fi
  done
  rm -f "$run/pod-uids"
  for link in /var/log/containers/*.log; do
    if [[ -L "$link" && ! -e "$link" && "$(readlink "$link")" == /var/log/pods/* ]]; then rm -f "$link"; fi
  done

  # The kubelet's cgroups (/kubepods under each v1 hierarchy, or under the v2 root): empty by now.
  local cg
  for cg in /sys/fs/cgroup/*/kubepods /sys/fs/cgroup/kubepods; do
    if [[ -d "$cg" ]]; then find "$cg" -depth -type d -exec rmdir {} \; 2>/dev/null || log "could not remove cgroup $cg"; fi
  done

  if [[ -f "$run/created-run-containerd" ]]; then
    rmdir /run/containerd/s /run/containerd 2>/dev/null || true
    rm -f "$run/created-run-containerd"
  fi

  teardown_network
  # 4. Forget this cluster's data (the next start is a fresh cluster); keep logs, certificates and
  #    containerd's root (the imported images).
  rm -rf "$run/etcd" "$run/kubelet" "$run/containerd" "$run/cni" "$run"/*-certs
  local c left=()
  for c in "${components[@]}"; do running "$c" && left+=("$c"); done
  (( ${#left[@]} == 0 )) || fail "still running: ${left[*]}"
  log "stopped"
}

status() {
  local c
  for c in "${components[@]}"; do
    if running "$c"; then echo "$c running (pid $(cat "$run/$c.pid"))"; else echo "$c stopped"; fi
  done
}

image_busybox() {
  running containerd || fail "containerd is not running: run '$0 start' first"
  build_busybox_image
  import_image "$image_dir/busybox.tar" "$busybox_image"
  echo "$busybox_image"
}

# ---------------------------------------------------------------------------------------------------
# smoke-test: proves a pod runs, logs, reaches a server on the node's bridge address by IP, and reaches
# another pod through a ClusterIP Service. Uses only local images and 10.244.0.1 / 10.96.0.0/24.
# ---------------------------------------------------------------------------------------------------
smoke_test() {
  running kubelet || fail "the node is not running: run '$0 start' first"
  local image ns=statefun-smoke port=18080
  image="$(image_busybox | tail -n 1)"
  kubectl delete namespace "$ns" --ignore-not-found --wait=true >/dev/null 2>&1 || true
  kubectl create namespace "$ns" >&2
  wait_for 60 "ServiceAccount default in $ns" "" kubectl get serviceaccount default -n "$ns"

  # A server on the node's bridge address, as a test would run one (busybox httpd from the image).
  mkdir -p "$run/smoke-www"; echo "hello from the node" > "$run/smoke-www/index.html"
  /bin/busybox httpd -f -p "$node_ip:$port" -h "$run/smoke-www" 9>&- &
  smoke_server_pid=$!   # global: the EXIT trap runs after this function's locals are gone
  trap 'kill "$smoke_server_pid" 2>/dev/null || true' EXIT

  kubectl apply -n "$ns" -f - >&2 <<YAML
apiVersion: v1
kind: Pod
metadata: {name: hello}
spec:
  restartPolicy: Never
  containers:
  - name: hello
    image: $image
    imagePullPolicy: Never
    command: ["sh", "-c", "echo hello; printf 'GET / HTTP/1.0\\r\\n\\r\\n' | nc -w 5 $node_ip $port; sleep 3600"]
---
apiVersion: v1
kind: Pod
metadata: {name: web, labels: {app: web}}
spec:
  containers:
  - name: web
    image: $image
    imagePullPolicy: Never
    command: ["sh", "-c", "mkdir -p /www && echo hello from a pod behind a Service > /www/index.html && exec httpd -f -p 8080 -h /www"]
---
apiVersion: v1
kind: Service
metadata: {name: web}
spec:
  selector: {app: web}
  ports: [{port: 80, targetPort: 8080}]
YAML
  kubectl wait -n "$ns" --for=condition=Ready pod/hello pod/web --timeout=120s >&2
  local logs; logs=""
  for _ in $(seq 1 20); do logs="$(kubectl logs -n "$ns" hello 2>&1)"; [[ "$logs" == *"hello from the node"* ]] && break; sleep 0.5; done
  echo "--- kubectl logs hello:" >&2; echo "$logs" >&2
  [[ "$logs" == hello* ]] || fail "pod hello did not print hello"
  [[ "$logs" == *"hello from the node"* ]] || fail "pod hello could not reach http://$node_ip:$port"

  local cluster_ip out
  cluster_ip="$(kubectl get service -n "$ns" web -o 'jsonpath={.spec.clusterIP}')"
  out="$(kubectl exec -n "$ns" hello -- sh -c "printf 'GET / HTTP/1.0\r\n\r\n' | nc -w 5 $cluster_ip 80" 2>&1)" || true
  echo "--- pod hello -> Service web ($cluster_ip): $out" >&2
  [[ "$out" == *"behind a Service"* ]] || fail "Service $cluster_ip not reachable from a pod"
  # The in-cluster API address: kube-proxy -> 10.244.0.1:$api_port (socat) -> 127.0.0.1:$api_port.
  out="$(kubectl exec -n "$ns" hello -- sh -c "nc -w 5 $api_service_ip 443 </dev/null && echo connected" 2>&1)" || true
  echo "--- pod hello -> kubernetes Service $api_service_ip:443: $out" >&2
  [[ "$out" == *connected* ]] || fail "the kubernetes Service is not reachable from a pod"
  # `ip route get` asks the pod's routing table without sending anything: only on-link 10.244.0.0/24
  # and the Service range may be routable, anything else must be "Network unreachable".
  out="$(kubectl exec -n "$ns" hello -- sh -c 'ip route; ip route get 198.51.100.1' 2>&1)" || true
  echo "--- pod hello routes, and a route lookup for an outside address (must fail):" >&2; echo "$out" >&2
  [[ "$out" != *default* && "$out" == *"unreachable"* ]] || fail "a pod has a route out of the pod network"

  kubectl delete namespace "$ns" --wait=false >&2
  echo "smoke test passed" >&2
}

# One command at a time (start/stop/image/smoke-test share state).
mkdir -p "$node_dir"
exec 9> "$node_dir/.lock"
flock 9

case "${1:-}" in
  start) start ;;
  stop) stop ;;
  status) status ;;
  build) ensure_binaries; printf '%s\n' "$bin_dir" ;;
  image-busybox) image_busybox ;;
  import-image)
    [[ -f "${2:-}" ]] || { echo "usage: $0 import-image ARCHIVE.tar" >&2; exit 2; }
    running containerd || fail "containerd is not running: run '$0 start' first"
    ctr images import "$2" >&2 ;;
  smoke-test) smoke_test ;;
  ctr)
    shift
    running containerd || fail "containerd is not running: run '$0 start' first"
    ctr "$@" ;;
  *) echo "usage: $0 start|stop|status|build|image-busybox|import-image ARCHIVE|smoke-test|ctr ARGS..." >&2; exit 2 ;;
esac
