# Redis 7 from Debian's packages, for machines no registry serves (the compose test). Like the official
# image: protected mode off (the compose network is the boundary), data in /data, `redis-server ARGS`.
ARG BASE_IMAGE=kelpie-local/debian:bookworm
FROM ${BASE_IMAGE}
RUN apt-get update && apt-get install -y --no-install-recommends redis-server \
    && rm -rf /var/lib/apt/lists/* && install -d -o redis -g redis /data
COPY redis-entrypoint.sh /usr/local/bin/docker-entrypoint.sh
USER redis
WORKDIR /data
EXPOSE 6379
ENTRYPOINT ["/usr/local/bin/docker-entrypoint.sh"]
CMD ["redis-server"]
