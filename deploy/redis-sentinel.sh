#!/bin/sh
# One Redis Sentinel of the stack (deploy/compose.ha.yml). Sentinels watch the primary, agree (quorum)
# that it is down, promote the replica and tell every client where the primary now is. They rewrite
# their own configuration, so it is written once, into the container's data directory.
#   KELPIE_REDIS_ANNOUNCE_IP   the address every engine and agent reaches the Redis servers and
#                              sentinels on (their published ports)
#   KELPIE_REDIS_PORT          the primary's published port at first start
#   SENTINEL_PORT              this sentinel's published port (announced to the other sentinels)
#   SENTINEL_DOWN_AFTER_MS     how long the primary may be silent before it is called down (3000)
set -eu
conf=/data/sentinel.conf
if [ ! -s "$conf" ]; then
  cat >"$conf" <<CONF
port 26379
sentinel announce-ip ${KELPIE_REDIS_ANNOUNCE_IP}
sentinel announce-port ${SENTINEL_PORT}
sentinel monitor kelpie ${KELPIE_REDIS_ANNOUNCE_IP} ${KELPIE_REDIS_PORT} 2
sentinel down-after-milliseconds kelpie ${SENTINEL_DOWN_AFTER_MS:-3000}
sentinel failover-timeout kelpie 30000
sentinel parallel-syncs kelpie 1
CONF
fi
exec redis-server "$conf" --sentinel
