#!/usr/bin/env bash
# README command 1: the whole platform on this machine — dependencies, Postgres and Redis, the build,
# a 2-host libvirt lab, one agent per lab host, the engine (runs migrations at boot) and the portal.
# Ready only when the running engine has seen every lab host Up.
set -euo pipefail
source "$(dirname "$0")/lib/bootstrap.sh"
bootstrap
cd "$KELPIE_ROOT"
log "building"
pnpm -r --workspace-concurrency=1 run build >/dev/null
node packages/devstack/dist/cli.js up
