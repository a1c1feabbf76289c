#!/usr/bin/env bash
# A Docker daemon of Kelpie's own and the local base images the compose stack is built on.
#
# The daemon keeps its own data and exec roots and leaves the machine's networking alone
# (--iptables=false would otherwise be needed anyway: dockerd's FORWARD policy DROP breaks the lab's
# bridged hosts). No registry serves images on the machines this runs on, so the bases are made from
# Debian's own packages: debootstrap → `docker import`, cached between runs.
#
#   source scripts/lib/docker.sh
#   ensure_dockerd            # exports DOCKER_HOST
#   ensure_base_images        # kelpie-local/debian:bookworm and kelpie-local/node:20-bookworm
#   build_stack_images        # the compose stack's images from this checkout's build (kelpie-local/*)
set -euo pipefail

KELPIE_DOCKER_ROOT=${KELPIE_DOCKER_ROOT:-/var/lib/kelpie-docker}
KELPIE_DOCKER_SOCK=${KELPIE_DOCKER_SOCK:-/run/kelpie-docker.sock}
KELPIE_IMAGE_CACHE=${KELPIE_IMAGE_CACHE:-/var/cache/kelpie-images}
DEBIAN_MIRROR=${DEBIAN_MIRROR:-http://deb.debian.org/debian}
LOCAL_DEBIAN_IMAGE=kelpie-local/debian:bookworm
LOCAL_NODE_IMAGE=kelpie-local/node:20-bookworm

_dlog() { printf '[kelpie] %s\n' "$*" >&2; }

# Debian's docker.io: its client speaks the daemon's API version (a newer client elsewhere on PATH
# may not), so everything here calls it by path.
DOCKER=/usr/bin/docker

ensure_dockerd() {
  export DOCKER_HOST="unix://$KELPIE_DOCKER_SOCK"
  if "$DOCKER" version >/dev/null 2>&1; then return 0; fi
  _dlog "starting dockerd ($KELPIE_DOCKER_SOCK)"
  mkdir -p "$KELPIE_DOCKER_ROOT/data" "$KELPIE_DOCKER_ROOT/exec" /var/log/kelpie
  setsid /usr/sbin/dockerd --iptables=false --ip-masq=false --bridge=none \
    --data-root "$KELPIE_DOCKER_ROOT/data" --exec-root "$KELPIE_DOCKER_ROOT/exec" \
    --pidfile "$KELPIE_DOCKER_ROOT/dockerd.pid" -H "$DOCKER_HOST" \
    >>/var/log/kelpie/dockerd.log 2>&1 </dev/null &
  for _ in $(seq 1 60); do
    "$DOCKER" version >/dev/null 2>&1 && return 0
    sleep 0.5
  done
  _dlog "dockerd did not answer on $KELPIE_DOCKER_SOCK; see /var/log/kelpie/dockerd.log"
  return 1
}

stop_dockerd() {
  local pid
  pid=$(cat "$KELPIE_DOCKER_ROOT/dockerd.pid" 2>/dev/null) || return 0
  kill "$pid" 2>/dev/null || return 0
  for _ in $(seq 1 40); do kill -0 "$pid" 2>/dev/null || return 0; sleep 0.5; done
}

_image_exists() { "$DOCKER" image inspect "$1" >/dev/null 2>&1; }

# Debian (minbase, CA certificates) imported from a cached root filesystem tarball: bookworm (12), the
# release Kelpie runs on, by default; trixie (13) carries the next Postgres major for the schema test.
ensure_debian_image() {
  local suite=${1:-bookworm}
  _image_exists "kelpie-local/debian:$suite" && return 0
  local tarball="$KELPIE_IMAGE_CACHE/debian-$suite-minbase.tar"
  if [ ! -s "$tarball" ]; then
    _dlog "debootstrap $suite (minbase) from $DEBIAN_MIRROR"
    local dir="$KELPIE_IMAGE_CACHE/rootfs.$$"
    rm -rf "$dir" && mkdir -p "$KELPIE_IMAGE_CACHE"
    debootstrap --variant=minbase --include=ca-certificates "$suite" "$dir" "$DEBIAN_MIRROR" >/dev/null
    rm -rf "$dir"/var/cache/apt/archives/*.deb "$dir"/var/lib/apt/lists/*
    tar -C "$dir" -cf "$tarball.tmp" . && mv "$tarball.tmp" "$tarball"
    rm -rf "$dir"
  fi
  "$DOCKER" import "$tarball" "kelpie-local/debian:$suite" >/dev/null
}

# PostgreSQL of one major from that Debian release's packages (15: bookworm, 17: trixie), as
# kelpie-local/postgres:<major>.
ensure_postgres_image() {
  local major=$1 suite
  case "$major" in 15) suite=bookworm ;; 17) suite=trixie ;; *) _dlog "no Debian release carries Postgres $major"; return 1 ;; esac
  _image_exists "kelpie-local/postgres:$major" && return 0
  ensure_debian_image "$suite"
  DOCKER_BUILDKIT=1 "$DOCKER" build -q --network host --build-arg "BASE_IMAGE=kelpie-local/debian:$suite" \
    --build-arg "PG_MAJOR=$major" -f "${KELPIE_ROOT:?}/deploy/local-images/postgres.Dockerfile" \
    -t "kelpie-local/postgres:$major" "$KELPIE_ROOT/deploy/local-images" >/dev/null
}

# Node 20 is not in Debian 12: the local Node image carries this machine's own Node (the one the
# project is built and tested with) on the Debian base.
ensure_node_image() {
  _image_exists "$LOCAL_NODE_IMAGE" && return 0
  local ctx
  ctx=$(mktemp -d)
  cp "$(command -v node)" "$ctx/node"
  printf 'FROM %s\nCOPY node /usr/local/bin/node\nRUN useradd --create-home --uid 1000 node\n' \
    "$LOCAL_DEBIAN_IMAGE" >"$ctx/Dockerfile"
  "$DOCKER" build -q -t "$LOCAL_NODE_IMAGE" "$ctx" >/dev/null
  rm -rf "$ctx"
}

# Redis 7 from Debian 12's packages, as kelpie-local/redis:test (the compose stack's and the
# testcontainers fault tests' Redis). Cached by the daemon's layers: rebuilt only when its files change.
ensure_redis_image() {
  ensure_debian_image
  DOCKER_BUILDKIT=1 "$DOCKER" build -q --network host --build-arg "BASE_IMAGE=$LOCAL_DEBIAN_IMAGE" \
    -f "${KELPIE_ROOT:?}/deploy/local-images/redis.Dockerfile" -t kelpie-local/redis:test \
    "$KELPIE_ROOT/deploy/local-images" >/dev/null
}

ensure_base_images() {
  ensure_debian_image
  ensure_node_image
}

# The build context of the Dockerfile's `BUILD=prebuilt`: what this checkout has built (engine with its
# production dependencies, the agent bundle, the portal), in the layout the Dockerfile expects.
make_prebuilt_context() {
  local out=$1 root=${KELPIE_ROOT:?}
  rm -rf "$out" && mkdir -p "$out/.prebuilt"
  cp -r "$root/deploy" "$out/deploy"
  (cd "$root" && pnpm --filter @kelpie/engine deploy --prod "$out/.prebuilt/engine" >/dev/null)
  cp -r "$root/apps/agent/bundle" "$out/.prebuilt/agent-bundle"
  cp -r "$root/apps/web/dist" "$out/.prebuilt/web"
}

# Engine and web from the project's Dockerfile on the local bases, Postgres and Redis from Debian's
# packages: kelpie-local/{engine,web,redis}:test and kelpie-local/postgres:15, the image names the compose
# test gives docker-compose.yml. Layers are cached by the daemon, so only what changed is rebuilt.
build_stack_images() {
  local ctx
  : "${KELPIE_ROOT:?}"
  ensure_base_images
  ctx=$(mktemp -d /tmp/kelpie-image-ctx.XXXXXX)
  make_prebuilt_context "$ctx"
  local args=(--network host --build-arg BUILD=prebuilt --build-arg "NODE_IMAGE=$LOCAL_NODE_IMAGE"
    --build-arg "BASE_IMAGE=$LOCAL_DEBIAN_IMAGE" -f "$ctx/deploy/Dockerfile")
  DOCKER_BUILDKIT=1 "$DOCKER" build -q "${args[@]}" --target engine -t kelpie-local/engine:test "$ctx" >/dev/null
  DOCKER_BUILDKIT=1 "$DOCKER" build -q "${args[@]}" --target web -t kelpie-local/web:test "$ctx" >/dev/null
  rm -rf "$ctx"
  ensure_postgres_image 15
  ensure_redis_image
  # Each build leaves the previous engine and web images untagged: keep the disk from filling up.
  "$DOCKER" image prune -f >/dev/null
}
