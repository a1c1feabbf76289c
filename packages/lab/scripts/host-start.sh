#!/bin/bash
# Runs inside a lab host's fresh mount namespace (started by the lab as
#   ip netns exec <ns> unshare -m --propagation slave -- bash host-start.sh <host dir>).
# Binds the host's own libvirt directories over the system ones, then starts virtlogd, virtlockd and libvirtd;
# the daemons keep the mount namespace alive after this script exits.
set -euo pipefail
host_dir=$1

bind_dir() {
  mkdir -p "$host_dir/$1" "$2"
  mount --bind "$host_dir/$1" "$2"
}
bind_dir etc-libvirt /etc/libvirt
bind_dir var-lib-libvirt /var/lib/libvirt
bind_dir run-libvirt /run/libvirt
bind_dir var-log-libvirt /var/log/libvirt
bind_dir var-cache-libvirt /var/cache/libvirt
bind_dir etc-pki /etc/pki

# Open vSwitch in user space (this kernel has no OVS datapath): the host's own database and run
# directory, so ovs-vsctl (the agent's, libvirt's) inside the host talks to the host's own switch.
if [ "${KELPIE_LAB_OVS:-0}" = 1 ]; then
  bind_dir etc-openvswitch /etc/openvswitch
  bind_dir run-openvswitch /run/openvswitch
  bind_dir var-log-openvswitch /var/log/openvswitch
  [ -f /etc/openvswitch/conf.db ] ||
    ovsdb-tool create /etc/openvswitch/conf.db /usr/share/openvswitch/vswitch.ovsschema
  ovsdb-server --remote=punix:/run/openvswitch/db.sock --pidfile \
    --detach --log-file=/var/log/openvswitch/ovsdb-server.log
  ovs-vsctl --no-wait init
  ovs-vswitchd --pidfile --detach \
    --log-file=/var/log/openvswitch/ovs-vswitchd.log
fi

virtlogd -d -p "$host_dir/pids/virtlogd.pid"
# The lock manager (qemu.conf lock_manager = "lockd"): holds the disk leases of the host's guests.
virtlockd -d -p "$host_dir/pids/virtlockd.pid"
# On CPU 0 only: libvirt 9.0 keeps its QEMU capability probe only while the host CPU's CPUID data
# matches, and that data includes the APIC ID of the core the check runs on (leaf 0x1f), so a daemon
# on another core than the probing one threw the cached probe away and probed again (8 s per start).
# Guests are not pinned with it: libvirt gives every QEMU all host CPUs.
taskset -c 0 libvirtd -d --listen -p "$host_dir/pids/libvirtd.pid"
