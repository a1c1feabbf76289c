#!/usr/bin/env bash
# README command 2: the complete test suite — static checks, unit tests, integration tests against
# real Postgres, Redis and libvirt (a lab of its own), browser tests. Exits non-zero on any failure.
set -uo pipefail
source "$(dirname "$0")/lib/bootstrap.sh"
bootstrap
cd "$KELPIE_ROOT"

RESULTS="$KELPIE_ROOT/test-artifacts/results"
rm -rf "$RESULTS" && mkdir -p "$RESULTS"
failed_steps=()

step() {
  local name="$1"; shift
  log "── $name"
  local t0=$SECONDS
  if "$@"; then log "   $name ok ($((SECONDS - t0)) s)"; else log "   $name FAILED ($((SECONDS - t0)) s)"; failed_steps+=("$name"); fi
}

step build pnpm -r --workspace-concurrency=1 run build
step typecheck pnpm -r run typecheck
step lint pnpm run lint
step format pnpm exec prettier --check . --log-level warn
step docker-compose env KELPIE_AGENT_REDIS_URL=redis://mgmt.example.org:6379 docker-compose -f docker-compose.yml config -q
step openapi-current node apps/engine/dist/tools/openapi.js --check
# The portal's API types are generated from that document; stale ones mean the portal and engine disagree.
step api-client-current node packages/shared-types/dist/tools/gen-api.js --check
step migrations-match-entities node apps/engine/dist/tools/schema-check.js
# The agent as a Debian package for admins who deploy agents with their own tooling (docs/deployment.md).
step agent-deb node apps/agent/dist/tools/build-deb.js --out "$KELPIE_ROOT/test-artifacts/deb"
# jest uses one worker less than the cores (one, here) unless told: the unit files need no services.
step unit pnpm exec jest --selectProjects unit --maxWorkers=2 --json --outputFile="$RESULTS/jest-unit.json"
step web-unit pnpm --filter @kelpie/web exec vitest run --reporter=default --reporter=json --outputFile="$RESULTS/vitest-web.json"
# Two test files at a time: each has its own lab, database, Redis prefix and admin token, and most of a
# file's time is spent waiting on guests, libvirt and timeouts; two at once halves the wall time on the
# two-core CI machine (measured: every file passes under far heavier load).
step integration pnpm exec jest --selectProjects integration --maxWorkers=2 --forceExit --json --outputFile="$RESULTS/jest-integration.json"
# The compose stack and the Postgres-majors schema test build images and run containers: one at a time,
# after the lab tests, whose guests and libvirtd a concurrent image build starved (migrations timed out).
step containers pnpm exec jest --selectProjects containers --runInBand --forceExit --json --outputFile="$RESULTS/jest-containers.json"

# Test files take their labs down in afterAll; in CI this also catches a crashed run so no lab is left
# behind (not on a developer machine, where other runs' labs may be in use; kl is the devstack's).
for lab in /var/lib/kelpie-lab/k*; do
  [ "${CI:-}" = "true" ] && [ -d "$lab" ] && [ "$(basename "$lab")" != kl ] || continue
  log "removing leftover test lab $(basename "$lab")"
  node packages/lab/dist/cli.js down --name "$(basename "$lab")" >/dev/null 2>&1 || failed_steps+=("lab-cleanup")
done

node scripts/lib/summarize-results.mjs "$RESULTS"
if [ ${#failed_steps[@]} -gt 0 ]; then
  log "failed steps: ${failed_steps[*]}"
  exit 1
fi
log "all steps passed"
