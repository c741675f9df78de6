#!/usr/bin/env bash
# Publishes (once per source state) the native operator: statefun-operator compiled ahead of time for linux-x64,
# as operator/Dockerfile builds it (README: Benchmarks). The LAST line printed on stdout is the binary's path.
#
# Cached outside the repository in ${STATEFUN_CACHE:-$HOME/.cache/statefun-operator}/native-operator/<key>, where
# the key is a hash of the operator's sources (operator/, crds/, runtime/StatefunOperator.Module/ and .Metrics/, the shared
# build files): a second run with the same sources only prints the path; only the newest source state is kept. A publish takes 2-5 minutes on 2 cores.
set -euo pipefail
cd "$(dirname "$0")/.."

log() { echo "[publish-native-operator] $*" >&2; }

sources=(operator crds runtime/StatefunOperator.Module runtime/StatefunOperator.Metrics Directory.Build.props Directory.Packages.props)
key="$(git ls-files --cached --others --exclude-standard -- "${sources[@]}" | sort | xargs -d '\n' sha256sum | sha256sum | cut -c1-16)"
cache_root="${STATEFUN_CACHE:-$HOME/.cache/statefun-operator}/native-operator"
out="$cache_root/$key"
binary="$out/statefun-operator"
if [[ -x "$binary" ]]; then
  echo "$binary"
  exit 0
fi

# The native link needs a C toolchain (clang as in the image, else gcc) and zlib's development files; missing
# Debian packages are installed, as scripts/kube-test-assets.sh does.
sudo_if_needed() {
  if [[ "$(id -u)" -eq 0 ]]; then "$@"; else sudo "$@"; fi
}
missing=()
command -v clang >/dev/null || command -v gcc >/dev/null || missing+=(clang)
dpkg-query -W -f='${Status}' zlib1g-dev 2>/dev/null | grep -q 'install ok installed' || missing+=(zlib1g-dev)
if [[ ${#missing[@]} -gt 0 ]]; then
  log "installing Debian packages: ${missing[*]}"
  sudo_if_needed apt-get update -qq >&2
  sudo_if_needed env DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends "${missing[@]}" >&2
fi
linker=()
command -v clang >/dev/null || linker=(-p:CppCompilerAndLinker=gcc)

rm -rf "$cache_root"/*.partial
log "publishing the native operator (sources $key) to $out; this takes a few minutes"
dotnet publish operator/StatefunOperator.Operator/StatefunOperator.Operator.csproj -c Release -r linux-x64 \
  -p:NativeOperator=true "${linker[@]}" -o "$out.partial" -nologo -v q -clp:ErrorsOnly >&2 \
  || { log "ERROR: the native publish failed (output above)"; exit 1; }
rm -rf "$out"
mv "$out.partial" "$out"
# One source state is kept (a publish with its symbol file is about 100 MB).
find "$cache_root" -mindepth 1 -maxdepth 1 -type d ! -name "$key" -exec rm -rf {} +
echo "$binary"
