#!/bin/sh
# A hot standby of the stack's Postgres (deploy/compose.ha.yml): cloned from the primary with
# pg_basebackup at its first start (replication settings written by -R), then streaming the WAL and
# answering read-only queries. Promote it with `pg_ctl promote` (docs/deployment.md, "Losing a part").
#   PRIMARY_HOST            the primary's address (default postgres)
#   POSTGRES_USER           the user the primary lets replicate (deploy/postgres-replication.sh)
#   POSTGRES_PASSWORD_FILE  its password
set -eu
if [ ! -s "$PGDATA/PG_VERSION" ]; then
  # libpq reads the password from the environment of this one process, never from the command line.
  PGPASSWORD=$(cat "$POSTGRES_PASSWORD_FILE")
  export PGPASSWORD
  until pg_basebackup -h "${PRIMARY_HOST:-postgres}" -U "${POSTGRES_USER:-postgres}" -D "$PGDATA" -R -X stream -c fast; do
    echo "waiting for the primary to accept a base backup" >&2
    find "$PGDATA" -mindepth 1 -delete
    sleep 2
  done
  unset PGPASSWORD
  chmod 0700 "$PGDATA"
fi
exec postgres -D "$PGDATA" -c listen_addresses='*' -c hot_standby=on
