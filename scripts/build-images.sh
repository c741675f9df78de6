#!/usr/bin/env bash
# Builds the project's container images on a machine without a Docker engine or a reachable registry, from the
# shipped Dockerfiles, unchanged:
#
#   scripts/build-images.sh [all|runtime|operator|greeter|bases]      (default: all)
#
#   bases     the local stand-ins for the Microsoft base images the Dockerfiles start FROM, under exactly those names:
#               mcr.microsoft.com/dotnet/runtime-deps:10.0  Debian bookworm (debootstrap --variant=minbase) with what
#                                                           .NET needs, user `app` (uid/gid 1654, APP_UID=1654)
#               mcr.microsoft.com/dotnet/runtime:10.0       + Microsoft.NETCore.App from the host's .NET install
#               mcr.microsoft.com/dotnet/sdk:10.0           + the host's whole .NET SDK
#   runtime   statefun-runtime:dev      buildah bud -f runtime/Dockerfile
#   operator  statefun-operator:dev     buildah bud -f operator/Dockerfile (NativeAOT; takes a few minutes)
#   greeter   statefun-js-greeter:dev   tests/js-greeter (Apache Flink StateFun JS SDK) on Debian's nodejs:
#                                       `node /app/greeter.js <port> <egress-topic>`
#   cs-greeter statefun-cs-greeter:dev  buildah bud -f tests/StatefunOperator.CsGreeter/Dockerfile (the C# SDK greeter)
#                                       on mcr.microsoft.com/dotnet/aspnet:10.0 (runtime + the host's ASP.NET Core)
#   all       the three images (and the bases they need)
#
# Each built image is checked (run with podman, no network: the runtime without a module must exit 2 with its
# usage problem, the operator must print its usage for --help, the greeter its usage without arguments), exported as
# a docker-archive (uncompressed layers; RepoTags `<name>:dev`, so containerd names it docker.io/library/<name>:dev,
# which is what a pod's `image: <name>:dev` resolves to), and, when $CONTAINERD_ADDRESS names a containerd socket
# (scripts/kube-node.sh's), imported with `ctr -n k8s.io images import` and run once more through that containerd.
# The LAST line on stdout is the directory of the archives; everything else goes to stderr.
#
# Where things live (outside the repository): ${STATEFUN_CACHE:-~/.cache/statefun-operator}/images/
#   rootfs/<key>.tar   the debootstrapped root filesystem (kept; rebuilt only when its package list changes)
#   storage/, runroot/ buildah's (and podman's) image store: pass the same --root/--runroot to look at it, e.g.
#                      podman --root ~/.cache/statefun-operator/images/storage \
#                             --runroot ~/.cache/statefun-operator/images/runroot images
#   context/           the build context: the repository's files as git lists them (tracked and untracked but not
#                      ignored), so a developer's bin/ and obj/ never reach a COPY
#   archives/          <name>.tar (docker-archive) and <name>.id (the image ID it holds)
#   stamps/            the input key of each image's last successful build
#
# Cached and idempotent: a base is rebuilt only when its key changes (the debootstrap inputs, the host's .NET
# version, the text of the function that builds it); an image's `buildah bud` (with --layers) runs only when the
# build context, its Dockerfile, its base images or the build command changed, and then mostly hits the layer
# cache; an archive is rewritten (and re-imported) only when the image ID changed.
#
# Restores inside the build container are offline: the host's NuGet packages folder is mounted as an overlay
# (`-v ~/.nuget/packages:/root/.nuget/packages:O`: the container sees every package the host has and writes go to
# a throw-away layer), after the script has restored the same projects, for the same runtime identifier and
# properties as the Dockerfiles publish them, on the host (in a copy of the sources, not in the work tree). The
# build container has the host's network (`--network host`) for the operator stage's `apt-get install clang
# zlib1g-dev`, which uses the same Debian mirror as the host.
#
# Environment:
#   STATEFUN_CACHE              cache root (default ~/.cache/statefun-operator)
#   STATEFUN_BUILDAH_ISOLATION  buildah's isolation for RUN steps: oci (default) or chroot
#   CONTAINERD_ADDRESS          a containerd socket to import the images into (namespace k8s.io)
#   STATEFUN_IMAGE_TAG          the tag of the built images (default dev)
#   STATEFUN_IMAGES_HOST_CA     1 (default): mount the host's CA bundle into the RUN steps of `buildah bud`; 0: don't
# Needs root (debootstrap, buildah's overlay storage). Missing Debian packages (buildah, podman, debootstrap) are
# installed. Heavy steps run under `nice -n 19` (and `ionice -c 3`).
set -euo pipefail
cd "$(dirname "$0")/.."
repo="$PWD"

log() { echo "[build-images] $*" >&2; }
fail() { log "ERROR: $*"; exit 1; }

target="${1:-all}"
case "$target" in
  all|runtime|operator|greeter|cs-greeter|bases) ;;
  -h|--help|help) sed -n '2,/^set -euo/p' "$0" | sed '$d; s/^# \{0,1\}//' >&2; exit 0 ;;
  *) fail "unknown target '$target' (all|runtime|operator|greeter|cs-greeter|bases)" ;;
esac
[[ "$(id -u)" -eq 0 ]] || fail "run as root (debootstrap and buildah's overlay storage need it)"

cache="${STATEFUN_CACHE:-$HOME/.cache/statefun-operator}/images"
rootfs_dir="$cache/rootfs"
storage="$cache/storage"
runroot="$cache/runroot"
context="$cache/context"
restore_dir="$cache/restore"
archives="$cache/archives"
stamps="$cache/stamps"
greeter_dir="$cache/js-greeter"
mkdir -p "$rootfs_dir" "$storage" "$runroot" "$archives" "$stamps"

tag="${STATEFUN_IMAGE_TAG:-dev}"
isolation="${STATEFUN_BUILDAH_ISOLATION:-oci}"
suite=bookworm
# What Microsoft's runtime-deps (Debian 12) image installs on top of Debian: .NET's native dependencies.
base_packages=(ca-certificates libc6 libgcc-s1 libstdc++6 libssl3 zlib1g libicu72 tzdata)

nice_cmd=(nice -n 19)
command -v ionice >/dev/null && nice_cmd+=(ionice -c 3)
bh() { buildah --root "$storage" --runroot "$runroot" --storage-driver overlay "$@"; }
# podman's default rlimits for a root container (nofile/nproc 1048576) cannot be set where root lacks
# CAP_SYS_RESOURCE (this machine: runc's "error setting rlimit type 7: operation not permitted"): the checks run with
# small explicit ones.
pm_run() {
  podman --root "$storage" --runroot "$runroot" --storage-driver overlay --cgroup-manager cgroupfs \
    run --rm --network none --pull never --ulimit nofile=4096:4096 --ulimit nproc=4096:4096 "$@"
}
hash_of() { sha256sum | cut -c1-16; }
started_all=$SECONDS
# Working containers of this run (named *-<pid>) are removed however the script ends.
cleanup() {
  local c
  for c in $(bh containers --format '{{.ContainerName}}' 2>/dev/null | grep -E -- "-$$\$" || true); do
    bh rm "$c" >/dev/null 2>&1 || true
  done
}
trap cleanup EXIT

# ---------------------------------------------------------------------------------------------------------------
# Tools
# ---------------------------------------------------------------------------------------------------------------
ensure_tools() {
  local missing=()
  command -v buildah >/dev/null || missing+=(buildah)
  command -v podman >/dev/null || missing+=(podman)
  command -v debootstrap >/dev/null || missing+=(debootstrap)
  command -v runc >/dev/null || missing+=(runc)
  command -v rsync >/dev/null || missing+=(rsync)
  if [[ ${#missing[@]} -gt 0 ]]; then
    log "installing Debian packages: ${missing[*]}"
    apt-get update -qq >&2
    DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends "${missing[@]}" >&2
  fi
  command -v dotnet >/dev/null || fail "dotnet is not on PATH: the runtime and sdk images copy the host's .NET"
}

# The host's Debian mirror (the first URIs of its Debian sources), so the image's apt uses what the host uses.
debian_mirror() {
  local uri
  uri="$(grep -h -E '^\s*URIs:' /etc/apt/sources.list.d/*.sources 2>/dev/null | awk '{print $2}' \
         | grep -E '/debian/?$' | head -n1 || true)"
  [[ -n "$uri" ]] || uri="$(grep -h -E '^\s*deb\s' /etc/apt/sources.list 2>/dev/null | awk '{print $2}' \
         | grep -E '/debian/?$' | head -n1 || true)"
  echo "${uri:-http://deb.debian.org/debian}"
}

# The image's apt sources: the host's Debian sources file when it has one (deb822), else main, updates, security.
write_apt_sources() { # write_apt_sources ROOT MIRROR
  local root="$1" mirror="$2"
  rm -f "$root/etc/apt/sources.list"
  mkdir -p "$root/etc/apt/sources.list.d"
  if [[ -f /etc/apt/sources.list.d/debian.sources ]]; then
    cp /etc/apt/sources.list.d/debian.sources "$root/etc/apt/sources.list.d/debian.sources"
  else
    cat > "$root/etc/apt/sources.list.d/debian.sources" <<EOF
Types: deb
URIs: $mirror
Suites: $suite $suite-updates
Components: main
Signed-By: /usr/share/keyrings/debian-archive-keyring.gpg

Types: deb
URIs: ${mirror%/debian*}/debian-security
Suites: $suite-security
Components: main
Signed-By: /usr/share/keyrings/debian-archive-keyring.gpg
EOF
  fi
}

# ---------------------------------------------------------------------------------------------------------------
# The root filesystem: debootstrap --variant=minbase, as a tar (kept across runs)
# ---------------------------------------------------------------------------------------------------------------
rootfs_tar() { # prints the tar's path, building it when missing
  local mirror key tar dir
  mirror="$(debian_mirror)"
  key="$( { echo "$suite $mirror ${base_packages[*]}"; declare -f rootfs_tar write_apt_sources; \
            cat /etc/apt/sources.list.d/debian.sources 2>/dev/null || true; } | hash_of)"
  tar="$rootfs_dir/$key.tar"
  if [[ -f "$tar" ]]; then echo "$tar"; return 0; fi
  dir="$rootfs_dir/$key.partial"
  rm -rf "$dir"
  log "debootstrap --variant=minbase $suite from $mirror (a few minutes)"
  local t0=$SECONDS
  "${nice_cmd[@]}" debootstrap --variant=minbase --components=main --include="$(IFS=,; echo "${base_packages[*]}")" \
    "$suite" "$dir" "$mirror" > "$rootfs_dir/debootstrap.log" 2>&1 \
    || { tail -n 30 "$rootfs_dir/debootstrap.log" >&2; fail "debootstrap failed (log: $rootfs_dir/debootstrap.log)"; }
  write_apt_sources "$dir" "$mirror"
  # What a container image leaves out: the downloaded .debs, apt's lists, logs, the host's resolver and name
  # (the container runtime provides /etc/resolv.conf, /etc/hosts and /etc/hostname).
  rm -rf "$dir"/var/cache/apt/archives/*.deb "$dir"/var/cache/apt/*.bin "$dir"/var/lib/apt/lists/* \
         "$dir"/var/log/* "$dir"/var/cache/debconf/*-old "$dir"/var/lib/dpkg/*-old \
         "$dir"/etc/resolv.conf "$dir"/etc/hostname "$dir"/dev/*
  mkdir -p "$dir/var/lib/apt/lists/partial"
  printf 'statefun\n' > "$dir/etc/hostname"
  tar --create --file "$tar.tmp" --directory "$dir" --numeric-owner --xattrs --sort=name .
  mv "$tar.tmp" "$tar"
  rm -rf "$dir"
  find "$rootfs_dir" -maxdepth 1 -name '*.tar' ! -name "$key.tar" -delete
  log "root filesystem $tar ($(du -h "$tar" | cut -f1)) in $((SECONDS - t0)) s"
  echo "$tar"
}

# ---------------------------------------------------------------------------------------------------------------
# Base images, each tagged localhost/statefun-base/<name>:<key> (the cache) and with the mcr name the Dockerfiles use
# ---------------------------------------------------------------------------------------------------------------
image_exists() { bh inspect --type image "$1" >/dev/null 2>&1; }
image_id() { bh inspect --type image --format '{{.FromImageID}}' "$1"; }

dotnet_root() { dirname "$(readlink -f "$(command -v dotnet)")"; }
host_runtime_version() { # the newest Microsoft.NETCore.App 10.x of the host
  ls "$(dotnet_root)/shared/Microsoft.NETCore.App" | grep -E '^10\.' | sort -V | tail -n1
}

# ensure_base NAME MCR-NAME KEY BUILD-FUNCTION: builds when localhost/statefun-base/NAME:KEY is missing, then
# (re)points MCR-NAME at it and drops older keys.
ensure_base() {
  local name="$1" mcr="$2" key="$3" build="$4" cached="localhost/statefun-base/$1:$3"
  if ! image_exists "$cached"; then
    local t0=$SECONDS
    log "building base $name ($mcr)"
    "$build" "$cached"
    log "base $name built in $((SECONDS - t0)) s"
  fi
  bh tag "$cached" "$mcr"
  local old
  for old in $(bh images --format '{{.Name}}:{{.Tag}}' | grep -E "^localhost/statefun-base/$name:" \
                 | grep -vxF "$cached" || true); do
    bh rmi "$old" >/dev/null 2>&1 || true
  done
}

build_runtime_deps() { # build_runtime_deps IMAGE
  local tar ctr mnt
  tar="$(rootfs_tar)"
  ctr="$(bh from --name statefun-base-runtime-deps-$$ scratch)"
  mnt="$(bh mount "$ctr")"
  tar --extract --file "$tar" --directory "$mnt" --numeric-owner --xattrs --same-permissions
  bh unmount "$ctr" >/dev/null
  # Security and point-release updates from the host's mirror, then the non-root user of Microsoft's images.
  "${nice_cmd[@]}" buildah --root "$storage" --runroot "$runroot" --storage-driver overlay run \
    --isolation "$isolation" --network host "$ctr" -- sh -euc '
      export DEBIAN_FRONTEND=noninteractive
      apt-get update -qq
      apt-get -y -qq -o Dpkg::Options::=--force-confold upgrade >/dev/null
      apt-get clean
      rm -rf /var/lib/apt/lists/* /var/log/apt/* /var/log/dpkg.log /var/cache/debconf/*-old /var/lib/dpkg/*-old
      mkdir -p /var/lib/apt/lists/partial
      groupadd --system --gid 1654 app
      useradd --no-log-init --system --uid 1654 --gid app --create-home --home-dir /home/app --shell /bin/false app
    ' >&2
  bh config --env APP_UID=1654 --env ASPNETCORE_HTTP_PORTS=8080 --env DOTNET_RUNNING_IN_CONTAINER=true \
    --env PATH=/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin \
    --cmd '["bash"]' --workingdir / --os linux --arch amd64 \
    --label org.opencontainers.image.description="local stand-in for mcr.microsoft.com/dotnet/runtime-deps:10.0 (Debian $suite minbase)" \
    "$ctr"
  bh commit --rm --quiet "$ctr" "$1" >/dev/null
}

build_runtime() { # build_runtime IMAGE: runtime-deps + Microsoft.NETCore.App and the dotnet host
  local root version ctr mnt
  root="$(dotnet_root)"; version="$(host_runtime_version)"
  ctr="$(bh from --name statefun-base-runtime-$$ --pull=never mcr.microsoft.com/dotnet/runtime-deps:10.0)"
  mnt="$(bh mount "$ctr")"
  mkdir -p "$mnt/usr/share/dotnet"
  tar --create --directory "$root" --owner=0 --group=0 --numeric-owner \
      dotnet host LICENSE.txt ThirdPartyNotices.txt "shared/Microsoft.NETCore.App/$version" \
    | tar --extract --directory "$mnt/usr/share/dotnet"
  ln -sfn /usr/share/dotnet/dotnet "$mnt/usr/bin/dotnet"
  bh unmount "$ctr" >/dev/null
  bh config --env DOTNET_VERSION="$version" "$ctr"
  bh commit --rm --quiet "$ctr" "$1" >/dev/null
}

build_sdk() { # build_sdk IMAGE: runtime + the rest of the host's .NET SDK
  local root ctr mnt sdk_version
  root="$(dotnet_root)"; sdk_version="$(dotnet --version)"
  ctr="$(bh from --name statefun-base-sdk-$$ --pull=never mcr.microsoft.com/dotnet/runtime:10.0)"
  mnt="$(bh mount "$ctr")"
  tar --create --directory "$root" --owner=0 --group=0 --numeric-owner \
      --exclude=./dotnet --exclude=./host --exclude=./LICENSE.txt --exclude=./ThirdPartyNotices.txt \
      --exclude="./shared/Microsoft.NETCore.App/$(host_runtime_version)" --exclude=./metadata . \
    | tar --extract --directory "$mnt/usr/share/dotnet"
  bh unmount "$ctr" >/dev/null
  # What Microsoft's SDK image sets (no telemetry, no first-run banner, no dev certificate).
  bh config --env DOTNET_SDK_VERSION="$sdk_version" --env DOTNET_NOLOGO=true --env DOTNET_CLI_TELEMETRY_OPTOUT=1 \
    --env DOTNET_GENERATE_ASPNET_CERTIFICATE=false --env DOTNET_USE_POLLING_FILE_WATCHER=true \
    --env NUGET_XMLDOC_MODE=skip "$ctr"
  bh commit --rm --quiet "$ctr" "$1" >/dev/null
}

build_aspnet() { # build_aspnet IMAGE: runtime + Microsoft.AspNetCore.App from the host's .NET install
  local root version ctr mnt
  root="$(dotnet_root)"; version="$(host_aspnet_version)"
  ctr="$(bh from --name statefun-base-aspnet-$$ --pull=never mcr.microsoft.com/dotnet/runtime:10.0)"
  mnt="$(bh mount "$ctr")"
  tar --create --directory "$root" --owner=0 --group=0 --numeric-owner "shared/Microsoft.AspNetCore.App/$version" \
    | tar --extract --directory "$mnt/usr/share/dotnet"
  bh unmount "$ctr" >/dev/null
  bh config --env ASPNET_VERSION="$version" "$ctr"
  bh commit --rm --quiet "$ctr" "$1" >/dev/null
}

host_aspnet_version() { ls "$(dotnet_root)/shared/Microsoft.AspNetCore.App" | grep -E '^10\.' | sort -V | tail -n1; }

base_key_runtime_deps() { { echo "${base_packages[*]} $suite $(debian_mirror)"; declare -f rootfs_tar write_apt_sources build_runtime_deps; } | hash_of; }
base_key_runtime() { { base_key_runtime_deps; host_runtime_version; declare -f build_runtime; } | hash_of; }
base_key_sdk() { { base_key_runtime; dotnet --version; ls "$(dotnet_root)/sdk" "$(dotnet_root)/packs"; declare -f build_sdk; } | hash_of; }

ensure_runtime_deps() { ensure_base runtime-deps mcr.microsoft.com/dotnet/runtime-deps:10.0 "$(base_key_runtime_deps)" build_runtime_deps; }
ensure_runtime() { ensure_runtime_deps; ensure_base runtime mcr.microsoft.com/dotnet/runtime:10.0 "$(base_key_runtime)" build_runtime; }
ensure_sdk() { ensure_runtime; ensure_base sdk mcr.microsoft.com/dotnet/sdk:10.0 "$(base_key_sdk)" build_sdk; }
base_key_aspnet() { { base_key_runtime; host_aspnet_version; declare -f build_aspnet; } | hash_of; }
ensure_aspnet() { ensure_runtime; ensure_base aspnet mcr.microsoft.com/dotnet/aspnet:10.0 "$(base_key_aspnet)" build_aspnet; }

# ---------------------------------------------------------------------------------------------------------------
# The build context: the repository's files as git lists them (what `docker build .` would send, minus build output)
# ---------------------------------------------------------------------------------------------------------------
stage_context() { # stage_context DIR
  local dir="$1" list
  list="$(mktemp)"
  if git -C "$repo" rev-parse --is-inside-work-tree >/dev/null 2>&1; then
    (cd "$repo" && git ls-files -z --cached --others --exclude-standard) > "$list.all"
  else
    (cd "$repo" && find . -type f -not -path './.git/*' -not -path '*/bin/*' -not -path '*/obj/*' \
       -not -path './.local/*' -not -path '*/node_modules/*' -not -path '*/TestResults/*' -printf '%P\0') > "$list.all"
  fi
  # Tracked files deleted in the work tree are skipped; files no longer listed are removed from the copy.
  (cd "$repo" && xargs -0 -r -a "$list.all" sh -c 'for f; do [ -f "$f" ] && printf "%s\n" "$f"; done' sh) \
    | sort > "$list"
  mkdir -p "$dir"
  rsync -a --files-from="$list" "$repo/" "$dir/"
  (cd "$dir" && find . -type f -printf '%P\n' | sort) | comm -23 - "$list" | (cd "$dir" && xargs -r -d '\n' rm -f)
  find "$dir" -mindepth 1 -type d -empty -delete
  rm -f "$list" "$list.all"
}

context_hash() { (cd "$context" && find . -type f -print0 | sort -z | xargs -0 -r sha256sum) | hash_of; }

# Restores on the host (network, host's trust) what the Dockerfile's publish will restore in the container, so the
# container finds every package in the mounted packages folder. In a copy of the context: the work tree's obj/
# folders are left alone.
host_restore() { # host_restore PROJECT [MSBUILD-ARGS...]
  local project="$1"; shift
  mkdir -p "$restore_dir"
  rsync -a --delete --exclude='bin/' --exclude='obj/' "$context/" "$restore_dir/" 2>/dev/null \
    || { rm -rf "$restore_dir"; cp -a "$context" "$restore_dir"; }
  log "restoring $project for linux-x64 on the host ($*)"
  (cd "$restore_dir" && "${nice_cmd[@]}" dotnet restore "$project" -r linux-x64 "$@" -nologo -v q >&2) \
    || fail "dotnet restore $project failed on the host"
}

nuget_packages() { echo "${NUGET_PACKAGES:-$HOME/.nuget/packages}"; }

# ---------------------------------------------------------------------------------------------------------------
# The application images
# ---------------------------------------------------------------------------------------------------------------
# bud_image NAME DOCKERFILE BASES...: buildah bud when the inputs changed.
bud_image() {
  local name="$1" dockerfile="$2"; shift 2
  local image="localhost/$name:$tag" key base ids="" ignore=()
  for base in "$@"; do ids+="$(image_id "$base") "; done
  [[ -f "$context/$dockerfile.dockerignore" ]] && ignore=(--ignorefile "$context/$dockerfile.dockerignore")
  # The RUN steps trust what the host trusts: its CA bundle (a copy) is mounted over the image's, for the RUN steps
  # only (the built image keeps Debian's). Without it, behind a TLS-intercepting proxy, NuGet's audit cannot read
  # nuget.org's vulnerability data: NU1900, an error under the project's TreatWarningsAsErrors.
  local trust=()
  if [[ "${STATEFUN_IMAGES_HOST_CA:-1}" == 1 && -f /etc/ssl/certs/ca-certificates.crt ]]; then
    cmp -s /etc/ssl/certs/ca-certificates.crt "$cache/host-ca-certificates.crt" \
      || cp /etc/ssl/certs/ca-certificates.crt "$cache/host-ca-certificates.crt"
    trust=(-v "$cache/host-ca-certificates.crt:/etc/ssl/certs/ca-certificates.crt:ro")
  fi
  local bud=(bud --layers --pull=never --network host --isolation "$isolation" --format docker
             -v "$(nuget_packages):/root/.nuget/packages:O" "${trust[@]}" "${ignore[@]}"
             -f "$context/$dockerfile" -t "$image" "$context")
  key="$( { context_hash; echo "$ids ${bud[*]}"; declare -f bud_image; } | hash_of)"
  if image_exists "$image" && [[ "$(cat "$stamps/$name" 2>/dev/null)" == "$key $(image_id "$image")" ]]; then
    log "$image is up to date ($(image_id "$image" | cut -c1-12))"
    return 0
  fi
  case "$name" in
    statefun-runtime) host_restore runtime/StatefunOperator.Runtime.Host/StatefunOperator.Runtime.Host.csproj -p:SelfContained=false ;;
    statefun-operator) host_restore operator/StatefunOperator.Operator/StatefunOperator.Operator.csproj -p:NativeOperator=true ;;
    statefun-cs-greeter) host_restore tests/StatefunOperator.CsGreeter/StatefunOperator.CsGreeter.csproj -p:SelfContained=false ;;
  esac
  local t0=$SECONDS buildlog="$cache/$name.build.log"
  log "buildah ${bud[*]}"
  log "(log: $buildlog)"
  if ! "${nice_cmd[@]}" buildah --root "$storage" --runroot "$runroot" --storage-driver overlay "${bud[@]}" \
        > "$buildlog" 2>&1; then
    tail -n 40 "$buildlog" >&2
    fail "building $image from $dockerfile failed (log: $buildlog)"
  fi
  echo "$key $(image_id "$image")" > "$stamps/$name"
  log "$image built in $((SECONDS - t0)) s ($(image_id "$image" | cut -c1-12))"
}

build_greeter() { # statefun-js-greeter: runtime-deps + Debian's nodejs + tests/js-greeter with its node_modules
  local name=statefun-js-greeter image="localhost/statefun-js-greeter:$tag" key src="$context/tests/js-greeter"
  [[ -f "$src/package.json" && -f "$src/greeter.js" ]] || fail "tests/js-greeter/{package.json,greeter.js} missing"
  key="$( { cat "$src/package.json" "$src/greeter.js" "$src/package-lock.json" 2>/dev/null
            image_id mcr.microsoft.com/dotnet/runtime-deps:10.0; declare -f build_greeter; } | hash_of)"
  if image_exists "$image" && [[ "$(cat "$stamps/$name" 2>/dev/null)" == "$key $(image_id "$image")" ]]; then
    log "$image is up to date ($(image_id "$image" | cut -c1-12))"
    return 0
  fi
  local t0=$SECONDS
  command -v npm >/dev/null || fail "npm is needed (on the host) to install the greeter's dependencies"
  rm -rf "$greeter_dir"; mkdir -p "$greeter_dir"
  cp "$src/package.json" "$src/greeter.js" "$greeter_dir/"
  [[ -f "$src/package-lock.json" ]] && cp "$src/package-lock.json" "$greeter_dir/"
  log "npm install (production dependencies of tests/js-greeter)"
  if [[ -f "$greeter_dir/package-lock.json" ]]; then
    (cd "$greeter_dir" && npm ci --omit=dev --no-audit --no-fund --loglevel=error >&2)
  else
    (cd "$greeter_dir" && npm install --omit=dev --no-audit --no-fund --no-package-lock --loglevel=error >&2)
  fi
  local ctr mnt
  ctr="$(bh from --name statefun-js-greeter-$$ --pull=never mcr.microsoft.com/dotnet/runtime-deps:10.0)"
  "${nice_cmd[@]}" buildah --root "$storage" --runroot "$runroot" --storage-driver overlay run \
    --isolation "$isolation" --network host "$ctr" -- sh -euc '
      export DEBIAN_FRONTEND=noninteractive
      apt-get update -qq
      apt-get install -y -qq --no-install-recommends nodejs >/dev/null
      apt-get clean
      rm -rf /var/lib/apt/lists/* /var/log/apt/* /var/log/dpkg.log /var/cache/debconf/*-old /var/lib/dpkg/*-old
      mkdir -p /var/lib/apt/lists/partial
      node --version
    ' >&2 || { bh rm "$ctr" >/dev/null 2>&1; fail "installing nodejs in the greeter image failed"; }
  mnt="$(bh mount "$ctr")"
  mkdir -p "$mnt/app"
  tar --create --directory "$greeter_dir" --owner=0 --group=0 --numeric-owner . | tar --extract --directory "$mnt/app"
  bh unmount "$ctr" >/dev/null
  bh config --workingdir /app --user 1654 --env NODE_ENV=production --port 8000 \
    --entrypoint '["node", "/app/greeter.js"]' --cmd '[]' \
    --label org.opencontainers.image.description="StateFun JS SDK greeter (tests/js-greeter): node /app/greeter.js <port> <egress-topic>" \
    "$ctr"
  bh commit --rm --quiet --format docker "$ctr" "$image" >/dev/null
  echo "$key $(image_id "$image")" > "$stamps/$name"
  log "$image built in $((SECONDS - t0)) s ($(image_id "$image" | cut -c1-12))"
}

# ---------------------------------------------------------------------------------------------------------------
# Checks, export, import
# ---------------------------------------------------------------------------------------------------------------
# expect_run WHAT EXPECTED-EXIT EXPECTED-TEXT COMMAND...: runs a container command, checks its exit code and output.
expect_run() {
  local what="$1" want_rc="$2" want_text="$3"; shift 3
  local out rc=0
  out="$("$@" 2>&1)" || rc=$?
  printf '%s\n' "$out" | head -n 12 | while IFS= read -r line; do log "  $what| $line"; done
  [[ "$rc" -eq "$want_rc" ]] || fail "$what: exit code $rc, expected $want_rc"
  grep -qF -- "$want_text" <<<"$out" || fail "$what: output lacks '$want_text'"
  log "$what: exit $rc as expected"
}

check_image() { # check_image NAME (podman, no network)
  local name="$1" image="localhost/$1:$tag" id
  id="$(image_id "$image")"
  [[ "$(cat "$stamps/$name.checked" 2>/dev/null)" == "$id" ]] && return 0
  case "$name" in
    statefun-runtime)
      expect_run "podman run $name:$tag (no module)" 2 "statefun-runtime:" \
        pm_run "$image"
      expect_run "podman run $name:$tag --module /nonexistent.yaml" 2 "/nonexistent.yaml" \
        pm_run "$image" --module /nonexistent.yaml ;;
    statefun-operator)
      expect_run "podman run $name:$tag help" 0 "usage:" pm_run "$image" help
      # The default command (`run`) outside a cluster and without a kubeconfig: refused with a message, not a crash.
      expect_run "podman run $name:$tag (default command, no cluster)" 2 "no Kubernetes API to talk to" \
        pm_run "$image" ;;
    statefun-js-greeter)
      expect_run "podman run $name:$tag (no arguments)" 2 "usage: node greeter.js" \
        pm_run "$image" ;;
    statefun-cs-greeter)
      expect_run "podman run $name:$tag (no arguments)" 2 "usage: statefun-cs-greeter" \
        pm_run "$image" ;;
  esac
  local user
  user="$(bh inspect --type image --format '{{.Docker.Config.User}}' "$image")"
  log "$name:$tag runs as user '$user'"
  echo "$id" > "$stamps/$name.checked"
}

export_image() { # export_image NAME: docker-archive <name>.tar, rewritten only when the image changed
  local name="$1" image="localhost/$1:$tag" id archive="$archives/$1.tar"
  id="$(image_id "$image")"
  if [[ -f "$archive" && "$(cat "$archives/$name.id" 2>/dev/null)" == "$id" ]]; then
    return 0
  fi
  rm -f "$archive" "$archives/$name.id"
  "${nice_cmd[@]}" buildah --root "$storage" --runroot "$runroot" --storage-driver overlay push --quiet \
    "$image" "docker-archive:$archive.tmp:$name:$tag" >&2
  mv "$archive.tmp" "$archive"
  echo "$id" > "$archives/$name.id"
}

import_image() { # import_image NAME: into $CONTAINERD_ADDRESS's k8s.io namespace, and run once there
  local name="$1" archive="$archives/$1.tar" ref="docker.io/library/$1:$tag"
  local c=(ctr --address "$CONTAINERD_ADDRESS" -n k8s.io)
  local have
  have="$("${c[@]}" images ls "name==$ref" 2>/dev/null | awk 'NR>1 {print $3}')"
  local id; id="$(cat "$archives/$name.id")"
  if [[ -n "$have" && "$(cat "$stamps/$name.imported" 2>/dev/null)" == "$CONTAINERD_ADDRESS $id $have" ]]; then
    log "$ref already in $CONTAINERD_ADDRESS"
    return 0
  fi
  log "ctr images import $archive ($CONTAINERD_ADDRESS, k8s.io)"
  "${nice_cmd[@]}" "${c[@]}" images import "$archive" >&2
  "${c[@]}" images ls -q | grep -xF "$ref" >/dev/null || fail "importing $archive did not create $ref"
  local cid="statefun-build-images-$$-${name##*-}"
  case "$name" in
    statefun-runtime)   expect_run "ctr run $ref (no module)" 2 "statefun-runtime:" "${c[@]}" run --rm "$ref" "$cid" ;;
    statefun-operator)  expect_run "ctr run $ref help" 0 "usage:" "${c[@]}" run --rm "$ref" "$cid" /app/statefun-operator help ;;
    statefun-js-greeter) expect_run "ctr run $ref (no arguments)" 2 "usage: node greeter.js" "${c[@]}" run --rm "$ref" "$cid" ;;
    statefun-cs-greeter) expect_run "ctr run $ref (no arguments)" 2 "usage: statefun-cs-greeter" "${c[@]}" run --rm "$ref" "$cid" ;;
  esac
  have="$("${c[@]}" images ls "name==$ref" | awk 'NR>1 {print $3}')"
  echo "$CONTAINERD_ADDRESS $id $have" > "$stamps/$name.imported"
}

# ---------------------------------------------------------------------------------------------------------------
ensure_tools
images=()
case "$target" in
  bases) ensure_sdk ;;
  runtime) ensure_sdk; images=(statefun-runtime) ;;
  operator) ensure_sdk; images=(statefun-operator) ;;
  greeter) ensure_runtime_deps; images=(statefun-js-greeter) ;;
  cs-greeter) ensure_sdk; ensure_aspnet; images=(statefun-cs-greeter) ;;
  all) ensure_sdk; ensure_aspnet; images=(statefun-runtime statefun-operator statefun-js-greeter statefun-cs-greeter) ;;
esac

if [[ ${#images[@]} -gt 0 ]]; then
  stage_context "$context"
  for name in "${images[@]}"; do
    case "$name" in
      statefun-runtime) bud_image statefun-runtime runtime/Dockerfile mcr.microsoft.com/dotnet/sdk:10.0 mcr.microsoft.com/dotnet/runtime:10.0 ;;
      statefun-operator) bud_image statefun-operator operator/Dockerfile mcr.microsoft.com/dotnet/sdk:10.0 mcr.microsoft.com/dotnet/runtime-deps:10.0 ;;
      statefun-js-greeter) build_greeter ;;
      statefun-cs-greeter) bud_image statefun-cs-greeter tests/StatefunOperator.CsGreeter/Dockerfile mcr.microsoft.com/dotnet/sdk:10.0 mcr.microsoft.com/dotnet/aspnet:10.0 ;;
    esac
    check_image "$name"
    export_image "$name"
    [[ -n "${CONTAINERD_ADDRESS:-}" ]] && import_image "$name"
  done
fi

log "images ($storage):"
for ref in mcr.microsoft.com/dotnet/runtime-deps:10.0 mcr.microsoft.com/dotnet/runtime:10.0 mcr.microsoft.com/dotnet/aspnet:10.0 mcr.microsoft.com/dotnet/sdk:10.0 \
           "${images[@]/%/:$tag}"; do
  [[ "$ref" == mcr.* ]] || ref="localhost/$ref"
  image_exists "$ref" || continue
  log "  $(printf '%-45s' "$ref") $(bh images --format '{{.Size}}' "$ref" | head -n1)  id $(image_id "$ref" | cut -c1-12)"
done
for name in "${images[@]}"; do
  log "  archive $archives/$name.tar: $(du -h "$archives/$name.tar" | cut -f1)"
done
[[ -n "${CONTAINERD_ADDRESS:-}" ]] || [[ ${#images[@]} -eq 0 ]] || log "CONTAINERD_ADDRESS not set: nothing imported into a containerd"
log "done in $((SECONDS - started_all)) s"
echo "$archives"
