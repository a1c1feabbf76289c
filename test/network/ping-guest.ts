import type { TestGuest } from '@kelpie/lab';

/** The body of `POST /vms` for a small test guest pinned to a host that pings `ping` from `ip` on its
 * one NIC (the network files' guests: VLAN reachability, port mirroring). */
export function pingGuestVm(
  guest: TestGuest,
  o: {
    name: string;
    clusterId: string;
    hostId: string;
    nic: Record<string, string>;
    ip: string;
    ping: string;
  },
) {
  return {
    name: o.name,
    clusterId: o.clusterId,
    hostId: o.hostId,
    vcpus: 1,
    memoryMib: 96,
    maxMemoryMib: 96,
    nics: [o.nic],
    boot: {
      kind: 'kernel',
      kernel: guest.kernel,
      initrd: guest.initrd,
      cmdline: `console=ttyS0 panic=-1 quiet ip=${o.ip}/24 kelpie.serial_heartbeat=0 kelpie.ping=${o.ping}`,
    },
    graphicsVnc: false,
  };
}

/** The created object of a 201, or an error naming the request. */
export async function created<T = { id: string }>(
  res: { status: number; body: unknown },
  what: string,
): Promise<T> {
  if (res.status !== 201) throw new Error(`${what} → ${res.status} ${JSON.stringify(res.body)}`);
  return res.body as T;
}
