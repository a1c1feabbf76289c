#!/bin/sh
# Starts nginx for the portal once it has a TLS certificate: the admin's (mounted at
# /etc/kelpie/tls/tls.crt + tls.key) or else the one the engine issues from its CA at first boot into
# the shared volume /var/lib/kelpie-web-tls (KELPIE_WEB_TLS_DIR on the engine): one file holding the
# certificate, the CA and the key, replaced atomically, so the two never mismatch.
#   KELPIE_ENGINES       engine addresses, space separated (default "engine:8080")
#   KELPIE_HTTPS_PORT    the HTTPS port browsers use, for the HTTP redirect (default 443)
set -eu
engines=${KELPIE_ENGINES:-engine:8080}
https_port=${KELPIE_HTTPS_PORT:-443}

if [ -s /etc/kelpie/tls/tls.crt ] && [ -s /etc/kelpie/tls/tls.key ]; then
  cert=/etc/kelpie/tls/tls.crt key=/etc/kelpie/tls/tls.key
else
  cert=/var/lib/kelpie-web-tls/portal.pem key=/var/lib/kelpie-web-tls/portal.pem
  i=0
  until [ -s "$cert" ]; do
    i=$((i + 1))
    [ "$i" -le 120 ] || { echo "no TLS certificate in /etc/kelpie/tls nor from the engine ($cert)" >&2; exit 1; }
    sleep 1
  done
fi

redirect_host='$host'
[ "$https_port" = 443 ] || redirect_host="\$host:$https_port"

# The site comes from the image's template; only these values depend on the deployment.
write_site() {
  servers=""
  for e in $engines; do servers="$servers    server $e max_fails=1 fail_timeout=5s;
"; done
  awk -v servers="$servers" -v cert="$cert" -v key="$key" -v rh="$redirect_host" '
    /#@ENGINES@/ { printf "%s", servers; next }
    { gsub(/@TLS_CERT@/, cert); gsub(/@TLS_KEY@/, key); gsub(/@REDIRECT_HOST@/, rh); print }
  ' /etc/kelpie/nginx-site.template >/etc/nginx/conf.d/kelpie.conf
}

# Every address the engine names resolve to now (several for `--scale engine=N`).
engine_addresses() {
  for e in $engines; do getent ahosts "${e%:*}" | awk '{ print $1 }'; done | sort -u | tr '\n' ' '
}

# nginx resolves upstream names only when it loads its configuration: when an engine replica is
# recreated or scaled (new addresses), reload it so requests reach the replicas that exist now.
follow_engines() {
  known=$(engine_addresses)
  while sleep 5; do
    now=$(engine_addresses)
    [ -n "$now" ] && [ "$now" != "$known" ] || continue
    nginx -s reload && known=$now && echo "engines now at: $now" >&2
  done
}

write_site
follow_engines &
exec nginx -g 'daemon off;'
