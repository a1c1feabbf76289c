#!/usr/bin/env bash
# Shared by scripts/up.sh and scripts/test.sh: makes a fresh Debian 12 machine ready for Kelpie.
# Idempotent; every step checks before it acts.
set -euo pipefail

PNPM_VERSION=12.4.2
ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)"
export KELPIE_ROOT="$ROOT"

log() { printf '[kelpie] %s\n' "$*" >&2; }

# Debian packages the platform, the lab and the browser tests need.
DEB_PACKAGES=(
  postgresql redis-server
  qemu-system-x86 qemu-utils libvirt-daemon-system libvirt-clients dnsmasq-base iproute2 socat
  busybox-static cpio gzip xorriso genisoimage
  tgt qemu-block-extra libvirt-daemon-driver-storage-iscsi-direct
  ceph-mon ceph-mgr ceph-osd ceph-common libvirt-daemon-driver-storage-rbd
  xz-utils openssh-server openipmi fence-agents ipmitool openvswitch-switch sshfs ovmf
  chromium docker-compose websockify docker.io debootstrap
)

ensure_debian_packages() {
  local missing=()
  for p in "${DEB_PACKAGES[@]}"; do
    dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q 'install ok installed' || missing+=("$p")
  done
  [ ${#missing[@]} -eq 0 ] && return 0
  log "installing Debian packages: ${missing[*]}"
  # Packages must not start services on install (no systemd here; we start what we need ourselves).
  local had_policy=0
  [ -e /usr/sbin/policy-rc.d ] && had_policy=1
  if [ $had_policy -eq 0 ]; then printf '#!/bin/sh\nexit 101\n' >/usr/sbin/policy-rc.d; chmod +x /usr/sbin/policy-rc.d; fi
  DEBIAN_FRONTEND=noninteractive apt-get update -qq
  DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends "${missing[@]}" >/dev/null
  if [ $had_policy -eq 0 ]; then rm -f /usr/sbin/policy-rc.d; fi
}

ensure_postgres() {
  if ! pg_isready -h 127.0.0.1 -p 5432 -q 2>/dev/null; then
    log "starting PostgreSQL"
    local ver
    ver=$(ls /etc/postgresql | sort -V | tail -n1)
    pg_ctlcluster --skip-systemctl-redirect "$ver" main start
    for _ in $(seq 1 30); do pg_isready -h 127.0.0.1 -p 5432 -q && break; sleep 1; done
  fi
}

ensure_redis() {
  if ! redis-cli -h 127.0.0.1 -p 6379 ping >/dev/null 2>&1; then
    log "starting Redis"
    mkdir -p /var/lib/redis /var/log/redis
    redis-server --daemonize yes --bind 127.0.0.1 -::1 --port 6379 --save "" --appendonly no \
      --dir /var/lib/redis --logfile /var/log/redis/ci.log
    for _ in $(seq 1 30); do redis-cli ping >/dev/null 2>&1 && break; sleep 0.5; done
  fi
}

ensure_pnpm() {
  if [ "$(pnpm --version 2>/dev/null || true)" != "$PNPM_VERSION" ]; then
    log "installing pnpm $PNPM_VERSION"
    npm install -g --silent "pnpm@$PNPM_VERSION" >/dev/null
  fi
}

ensure_node_modules() {
  cd "$ROOT"
  pnpm install --frozen-lockfile --reporter=silent
}

# Without udev nobody gives /dev/kvm to the kvm group: libvirt (QEMU as libvirt-qemu) then finds KVM
# unusable differently on every call, throws its QEMU capability cache away and re-probes (~48 s per
# `virsh create`). Debian's udev rule would make it root:kvm 0660.
ensure_kvm_device() {
  [ -e /dev/kvm ] && getent group kvm >/dev/null || return 0
  if [ "$(stat -c '%G %a' /dev/kvm)" != "kvm 660" ]; then
    log "giving /dev/kvm to group kvm (0660), as udev would"
    chgrp kvm /dev/kvm && chmod 660 /dev/kvm
  fi
}

bootstrap() {
  ensure_debian_packages
  ensure_kvm_device
  ensure_postgres
  ensure_redis
  ensure_pnpm
  ensure_node_modules
}
