#!/usr/bin/env bash
# Benchmarks: `bash bench/run.sh [--quick] [--no-build] [--no-doc] [--list] [names...]`.
# Bootstraps like scripts/test.sh (packages, Postgres, Redis, node_modules), builds, runs the
# benchmarks, writes bench/results/<name>-<timestamp>.json and regenerates docs/performance.md.
# Benchmarks measure; a missed target never fails the run (only a crash does).
set -uo pipefail
source "$(dirname "$0")/../scripts/lib/bootstrap.sh"
bootstrap
cd "$KELPIE_ROOT"

build=1
args=()
for a in "$@"; do
  if [ "$a" = "--no-build" ]; then build=0; else args+=("$a"); fi
done
if [ $build -eq 1 ]; then
  log "── build"
  pnpm -r --workspace-concurrency=1 run build || { log "build failed"; exit 1; }
fi
pnpm exec tsx bench/src/runner.ts "${args[@]}"
rc=$?
# The tables are generated; keep the document in the repository's format (CI checks it).
pnpm exec prettier --write docs/performance.md --log-level warn
exit $rc
