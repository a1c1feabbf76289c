#!/bin/sh
# Run once when the primary's cluster is created (mounted into /docker-entrypoint-initdb.d): the
# stack's database user may stream the WAL to a hot standby (deploy/compose.ha.yml), with the same
# password authentication as every other connection.
echo "host replication ${POSTGRES_USER:-postgres} all scram-sha-256" >>"$PGDATA/pg_hba.conf"
