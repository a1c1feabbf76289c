# PostgreSQL from Debian's packages, for machines no registry serves (the compose and schema tests): 15
# on bookworm, 17 on trixie. It reads the same settings as the official image the compose file names:
# POSTGRES_DB, POSTGRES_USER, POSTGRES_PASSWORD or POSTGRES_PASSWORD_FILE, data in
# /var/lib/postgresql/data.
ARG BASE_IMAGE=kelpie-local/debian:bookworm
FROM ${BASE_IMAGE}
ARG PG_MAJOR=15
RUN apt-get update && apt-get install -y --no-install-recommends postgresql-${PG_MAJOR} \
    && rm -rf /var/lib/apt/lists/* && install -d -o postgres -g postgres -m 0700 /var/lib/postgresql/data
ENV PATH=/usr/lib/postgresql/${PG_MAJOR}/bin:$PATH PGDATA=/var/lib/postgresql/data
COPY postgres-entrypoint.sh /usr/local/bin/docker-entrypoint.sh
USER postgres
EXPOSE 5432
ENTRYPOINT ["/usr/local/bin/docker-entrypoint.sh"]
CMD ["postgres"]
