#!/bin/sh
set -eu
[ "${1:-}" = redis-server ] && shift
exec redis-server --protected-mode no --dir /data "$@"
