#!/usr/bin/env bash
# Stops what scripts/up.sh started: engine, agents, lab hosts. Kept: the database and the VM disks on
# the lab's shared storage (a later up.sh finds them again). `--delete-storage` also deletes the disks.
set -euo pipefail
cd "$(dirname "$0")/.."
node packages/devstack/dist/cli.js down "$@"
