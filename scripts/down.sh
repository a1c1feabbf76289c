#!/usr/bin/env bash
# Stops what scripts/up.sh started (agents, lab hosts, engine). The database is kept.
set -euo pipefail
cd "$(dirname "$0")/.."
node packages/devstack/dist/cli.js down
