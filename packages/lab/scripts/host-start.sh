#!/bin/bash
# Runs inside a lab host's fresh mount namespace (started by the lab as
#   ip netns exec <ns> unshare -m --propagation slave -- bash host-start.sh <host dir>).
# Binds the host's own libvirt directories over the system ones, then starts virtlogd and libvirtd;
# the daemons keep the mount namespace alive after this script exits.
set -euo pipefail
host_dir=$1

bind_dir() {
  mkdir -p "$2"
  mount --bind "$host_dir/$1" "$2"
}
bind_dir etc-libvirt /etc/libvirt
bind_dir var-lib-libvirt /var/lib/libvirt
bind_dir run-libvirt /run/libvirt
bind_dir var-log-libvirt /var/log/libvirt
bind_dir var-cache-libvirt /var/cache/libvirt

virtlogd -d -p "$host_dir/pids/virtlogd.pid"
libvirtd -d --listen -p "$host_dir/pids/libvirtd.pid"
