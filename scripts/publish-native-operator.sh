#!/usr/bin/env bash
# Publishes (once per source state) the native operator: statefun-operator compiled ahead of time for linux-x64,
# as operator/Dockerfile builds it (README: Benchmarks). The LAST line printed on stdout is the binary's path.
#
# Cached outside the repository in ${STATEFUN_CACHE:-$HOME/.cache/statefun-operator}/native-operator/<key>, where
# the key is a hash of the operator's sources (operator/, crds/, runtime/StatefunOperator.Module/, the shared
# build files): a second run with the same sources only prints the path. A publish takes 2-5 minutes on 2 cores.
#
# Needs a C toolchain for the native link: clang (as in the image) or, failing that, gcc.
set -euo pipefail
cd "$(dirname "$0")/.."

log() { echo "[publish-native-operator] $*" >&2; }

sources=(operator crds runtime/StatefunOperator.Module Directory.Build.props Directory.Packages.props)
key="$(git ls-files --cached --others --exclude-standard -- "${sources[@]}" | sort | xargs -d '\n' sha256sum | sha256sum | cut -c1-16)"
cache_root="${STATEFUN_CACHE:-$HOME/.cache/statefun-operator}/native-operator"
out="$cache_root/$key"
binary="$out/statefun-operator"
if [[ -x "$binary" ]]; then
  echo "$binary"
  exit 0
fi

linker=()
if command -v clang >/dev/null; then
  :
elif command -v gcc >/dev/null; then
  linker=(-p:CppCompilerAndLinker=gcc)
else
  log "ERROR: neither clang nor gcc is installed; the native link needs one (apt-get install clang)"
  exit 1
fi

rm -rf "$cache_root"/*.partial
log "publishing the native operator (sources $key) to $out; this takes a few minutes"
dotnet publish operator/StatefunOperator.Operator/StatefunOperator.Operator.csproj -c Release -r linux-x64 \
  -p:NativeOperator=true "${linker[@]}" -o "$out.partial" -nologo -v q -clp:ErrorsOnly >&2 \
  || { log "ERROR: the native publish failed (output above)"; exit 1; }
rm -rf "$out"
mv "$out.partial" "$out"
echo "$binary"
