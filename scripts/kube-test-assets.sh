#!/usr/bin/env bash
# Builds (once) the binaries the operator's integration tests run: etcd and kube-apiserver.
#
# Result: a directory holding `etcd` and `kube-apiserver`, cached outside the repository in
#   ${STATEFUN_KUBE_ASSETS_DIR:-$HOME/.cache/statefun-operator/kube-assets}
# The LAST line printed on stdout is that directory (use it as KUBEBUILDER_ASSETS).
# Everything else (progress, build logs) goes to stderr or to log files in the cache.
#
# Idempotent: a second run with the binaries present only prints the directory.
#
# Where the binaries come from (no prebuilt downloads, only Debian packages):
#   etcd            Debian's `etcd-server` (3.4).
#   kube-apiserver  built from Debian's `kubernetes` SOURCE package (1.20.2) with Debian's Go (1.19),
#                   after replacing the vendored github.com/modern-go/reflect2 1.0.1 (it faults
#                   under Go >= 1.18) with Debian's golang-github-modern-go-reflect2-dev (1.0.2).
#                   `make WHAT=cmd/kube-apiserver` takes about 6 minutes on 2 cores.
#
# The deb-src entry lives in a private apt configuration under the cache directory; the machine's
# own apt sources are not changed. Its mirror is taken from the machine's existing `deb` sources.
set -euo pipefail

cache_root="${STATEFUN_KUBE_CACHE_DIR:-$HOME/.cache/statefun-operator}"
assets_dir="${STATEFUN_KUBE_ASSETS_DIR:-$cache_root/kube-assets}"
work_dir="$cache_root/kube-build"
apt_dir="$cache_root/apt-src"

log() { echo "[kube-test-assets] $*" >&2; }
fail() { echo "[kube-test-assets] ERROR: $*" >&2; exit 1; }

if [[ -x "$assets_dir/kube-apiserver" && -x "$assets_dir/etcd" ]]; then
  echo "$assets_dir"
  exit 0
fi

mkdir -p "$assets_dir" "$work_dir" "$apt_dir"

sudo_if_needed() {
  if [[ "$(id -u)" -eq 0 ]]; then "$@"; else sudo "$@"; fi
}

apt_packages=(etcd-server golang-go rsync golang-github-modern-go-reflect2-dev dpkg-dev make)
missing=()
for package in "${apt_packages[@]}"; do
  dpkg-query -W -f='${Status}' "$package" 2>/dev/null | grep -q 'install ok installed' || missing+=("$package")
done
if [[ ${#missing[@]} -gt 0 ]]; then
  log "installing Debian packages: ${missing[*]}"
  sudo_if_needed apt-get update -qq >&2
  sudo_if_needed env DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends "${missing[@]}" >&2
fi

# etcd: Debian ships it as /usr/bin/etcd.
etcd_binary="$(command -v etcd || true)"
[[ -n "$etcd_binary" ]] || fail "etcd-server is installed but no etcd binary is on PATH"
ln -sf "$etcd_binary" "$assets_dir/etcd"

if [[ ! -x "$assets_dir/kube-apiserver" ]]; then
  # A private apt configuration with a deb-src entry for the same mirror the machine already uses.
  mirror="$(
    { grep -hE '^\s*URIs:' /etc/apt/sources.list.d/*.sources 2>/dev/null | awk '{print $2}' || true;
      grep -hE '^\s*deb\s' /etc/apt/sources.list /etc/apt/sources.list.d/*.list 2>/dev/null \
        | sed -E 's/\[[^]]*\]//' | awk '{print $2}' || true; } \
      | grep -E '/debian/?$' | head -n 1
  )" || true
  [[ -n "$mirror" ]] || fail "could not find the Debian mirror in /etc/apt sources (need a 'deb' entry ending in /debian)"
  codename="$(. /etc/os-release && echo "${VERSION_CODENAME:-bookworm}")"
  keyring=/usr/share/keyrings/debian-archive-keyring.gpg
  mkdir -p "$apt_dir/lists/partial" "$apt_dir/archives/partial" "$apt_dir/download"
  echo "deb-src [signed-by=$keyring] $mirror $codename main" > "$apt_dir/sources.list"
  apt_options=(
    -o "Dir::Etc::SourceList=$apt_dir/sources.list"
    -o "Dir::Etc::SourceParts=-"
    -o "Dir::State::Lists=$apt_dir/lists"
    -o "Dir::Cache::Archives=$apt_dir/archives"
    -o "APT::Get::List-Cleanup=0"
  )
  log "fetching the kubernetes source package index from $mirror ($codename, deb-src)"
  apt-get "${apt_options[@]}" update -qq >&2
  if ! ls "$apt_dir/download"/kubernetes_*.dsc >/dev/null 2>&1; then
    log "downloading the kubernetes source package"
    (cd "$apt_dir/download" && apt-get "${apt_options[@]}" source --download-only kubernetes >&2)
  fi
  dsc="$(ls "$apt_dir/download"/kubernetes_*.dsc | head -n 1)"
  source_dir="$work_dir/kubernetes"
  if [[ ! -d "$source_dir/cmd/kube-apiserver" ]]; then
    log "unpacking $(basename "$dsc")"
    rm -rf "$source_dir"
    dpkg-source --no-check -x "$dsc" "$source_dir" >&2
  fi
  reflect2_source=/usr/share/gocode/src/github.com/modern-go/reflect2
  [[ -d "$reflect2_source" ]] || fail "missing $reflect2_source (package golang-github-modern-go-reflect2-dev)"
  vendored="$source_dir/vendor/github.com/modern-go/reflect2"
  [[ -d "$vendored" ]] || fail "unexpected source layout: $vendored does not exist"
  log "replacing vendored reflect2 with Debian's $(dpkg-query -W -f='${Version}' golang-github-modern-go-reflect2-dev)"
  rm -rf "$vendored"
  mkdir -p "$vendored"
  cp -r "$reflect2_source"/. "$vendored"/
  rm -f "$vendored/go.mod" "$vendored/go.sum"

  build_log="$work_dir/build.log"
  log "building kube-apiserver (about 6 minutes on 2 cores); log: $build_log"
  if ! (cd "$source_dir" && env -u GOFLAGS -u GOPATH GO111MODULE=on GOFLAGS=-mod=vendor GOTOOLCHAIN=local \
          KUBE_GIT_VERSION="v$(dpkg-parsechangelog -l "$source_dir/debian/changelog" -S Version | sed -E 's/^.*\+really//; s/[-+~].*//')" \
          make WHAT=cmd/kube-apiserver > "$build_log" 2>&1); then
    tail -n 40 "$build_log" >&2
    fail "kube-apiserver build failed (full log: $build_log)"
  fi
  built="$(find "$source_dir/_output" -type f -name kube-apiserver -perm -u+x | head -n 1)"
  [[ -n "$built" ]] || fail "build finished but no kube-apiserver binary was found under $source_dir/_output"
  cp "$built" "$assets_dir/kube-apiserver.tmp"
  mv "$assets_dir/kube-apiserver.tmp" "$assets_dir/kube-apiserver"
  log "built $("$assets_dir/kube-apiserver" --version 2>/dev/null || echo kube-apiserver)"
fi

echo "$assets_dir"
