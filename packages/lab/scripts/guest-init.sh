#!/bin/busybox sh
# /init of Kelpie's test guest (busybox initramfs). Command-line options:
#   ip=ADDR/PREFIX[,GATEWAY]  or the kernel form ip=CLIENT::GATEWAY:NETMASK::DEVICE:off
#   kelpie.dirty_mib=N         rewrite N MiB of memory in a loop (migration tests)
#   kelpie.serial_heartbeat=0  heartbeat only to /dev/vda, keep the serial console quiet
#   kelpie.ping=ADDR           ping ADDR every second, printing KELPIE-PING ADDR ok|fail (network tests)
#   kelpie.watchdog_hang=N     arm /dev/watchdog with an N s timeout, feed it once and never again (a hung
#                              guest as its watchdog sees it), printing KELPIE-WATCHDOG-ARMED
# The ACPI power button (virsh shutdown, and virsh reboot, which libvirt implements as an ACPI shutdown
# followed by a reset) powers the guest off at once: busybox acpid runs /etc/acpi/PWRF/00000080.
# KELPIE-GUEST-READY is printed once per boot, so a reboot shows up as a second line.
/bin/busybox mkdir -p /bin /sbin /usr/bin /usr/sbin /proc /sys /dev /tmp /run
/bin/busybox --install -s
export PATH=/bin:/sbin:/usr/bin:/usr/sbin
mount -t proc proc /proc
mount -t sysfs sysfs /sys
mount -t devtmpfs devtmpfs /dev
mount -t tmpfs -o size=90% tmpfs /tmp
exec </dev/ttyS0 >/dev/ttyS0 2>&1

for module in $(cat /lib/modules/load-order); do
  [ -f "/lib/modules/$module.ko" ] && insmod "/lib/modules/$module.ko"
done

mkdir -p /etc/acpi/PWRF
printf '#!/bin/sh\necho KELPIE-GUEST-POWEROFF >/dev/ttyS0\nsync\npoweroff -f\n' >/etc/acpi/PWRF/00000080
chmod 755 /etc/acpi/PWRF/00000080
acpid -c /etc/acpi -l /tmp/acpid.log -p /run/acpid.pid

arg() { for word in $(cat /proc/cmdline); do case "$word" in "$1="*) echo "${word#*=}";; esac; done; }

prefix_of_netmask() {
  bits=0
  for octet in $(echo "$1" | tr . ' '); do
    case $octet in 255) bits=$((bits+8));; 254) bits=$((bits+7));; 252) bits=$((bits+6));; 248) bits=$((bits+5));;
      240) bits=$((bits+4));; 224) bits=$((bits+3));; 192) bits=$((bits+2));; 128) bits=$((bits+1));; esac
  done
  echo $bits
}

ip link set lo up
ip_arg=$(arg ip)
if [ -n "$ip_arg" ]; then
  case "$ip_arg" in
    */*)
      address=${ip_arg%%,*}; gateway=""; device=eth0
      case "$ip_arg" in *,*) gateway=${ip_arg#*,};; esac ;;
    *:*)
      IFS=: read -r client _server gateway netmask _hostname device _auto <<EOT
$ip_arg
EOT
      address="$client/$(prefix_of_netmask "${netmask:-255.255.255.0}")"; device=${device:-eth0} ;;
  esac
  ip link set "$device" up
  ip addr add "$address" dev "$device"
  [ -n "$gateway" ] && ip route add default via "$gateway"
fi

dirty_mib=$(arg kelpie.dirty_mib)
if [ -n "$dirty_mib" ] && [ "$dirty_mib" -gt 0 ]; then
  ( while true; do dd if=/dev/zero of=/tmp/dirty bs=1M count="$dirty_mib" conv=notrunc 2>/dev/null; done ) &
fi

watchdog_hang=$(arg kelpie.watchdog_hang)
if [ -n "$watchdog_hang" ]; then
  if [ -c /dev/watchdog ] && watchdog -T "$watchdog_hang" -t 86400 /dev/watchdog; then
    echo KELPIE-WATCHDOG-ARMED >/dev/ttyS0
  else
    echo "KELPIE-WATCHDOG-MISSING $(ls /dev/watchdog* 2>&1)" >/dev/ttyS0
  fi
fi

serial_heartbeat=$(arg kelpie.serial_heartbeat)
(
  n=0
  while true; do
    n=$((n + 1))
    line="KELPIE-HEARTBEAT $n $(cut -d' ' -f1 /proc/uptime)"
    [ "$serial_heartbeat" = "0" ] || echo "$line" >/dev/ttyS0
    [ -b /dev/vda ] && printf '%-511s\n' "$line" | dd of=/dev/vda bs=512 count=1 conv=notrunc,fsync 2>/dev/null
    sleep 1
  done
) &

ping_target=$(arg kelpie.ping)
if [ -n "$ping_target" ]; then
  (
    while true; do
      if ping -c 1 -W 1 "$ping_target" >/dev/null 2>&1; then r=ok; else r=fail; fi
      echo "KELPIE-PING $ping_target $r" >/dev/ttyS0
      sleep 1
    done
  ) &
fi

echo "KELPIE-GUEST-READY $(cut -d' ' -f1 /proc/uptime)"
while true; do
  setsid cttyhack sh
  sleep 1
done
