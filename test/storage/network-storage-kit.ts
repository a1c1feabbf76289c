import { virsh, virshOrThrow } from '@kelpie/lab';
import { closeSync, openSync, readSync } from 'node:fs';
import { VmLab } from '../vm/lifecycle-support';
import { labApi } from './lab-api';

/** Shared checks of the storage tests whose domains authenticate (iSCSI CHAP, cephx) or whose disks
 * are LUNs. */

/** The heartbeat counter the test guest writes to sector 0 of its disk, read from a LUN's file (-1: none). */
export function lunHeartbeat(file: string): number {
  const fd = openSync(file, 'r');
  try {
    const buf = Buffer.alloc(64);
    readSync(fd, buf, 0, 64, 0);
    return Number(/KELPIE-HEARTBEAT (\d+)/.exec(buf.toString('latin1'))?.[1] ?? -1);
  } finally {
    closeSync(fd);
  }
}

/** POST /storage-domains of `type` with a bad `connection`: 400 naming `field`, nothing written. */
export async function expectDomainRefused(lab: VmLab, type: string, connection: object, field: string) {
  const { api, get } = labApi(() => lab);
  const before = (await get<{ total: number }>('/storage-domains')).total;
  const res = await api('POST', '/storage-domains', {
    name: 'bad',
    datacenterId: lab.p.datacenterId,
    type,
    connection,
  });
  expect(res.status).toBe(400);
  expect(res.body.details).toEqual(expect.arrayContaining([expect.objectContaining({ field })]));
  expect((await get<{ total: number }>('/storage-domains')).total).toBe(before);
}

/** The domain's row and its sealed secret: one row, the secret nowhere in clear. */
export async function expectSealed(lab: VmLab, sdId: string, secret: string) {
  const rows = await lab.p.engine.sql<Record<string, unknown>>(
    `SELECT d.connection::text AS connection, s.sealed FROM storage_domain d
     JOIN storage_domain_secret s ON s.storage_domain_id = d.id WHERE d.id = $1`,
    [sdId],
  );
  expect(rows).toHaveLength(1);
  expect(JSON.stringify(rows)).not.toContain(secret);
  expect(String(rows[0]!.sealed)).toMatch(/^v1:/);
}

/** The pool's libvirt secret (usage `kind`) on a host is defined and private: its value never handed back. */
export async function expectPrivateSecret(lab: VmLab, labHost: string, kind: 'iscsi' | 'ceph', pool: string) {
  const secrets = await virshOrThrow(lab.uri(labHost), ['secret-list']);
  const uuid = new RegExp(`(\\S+)\\s+${kind} ${pool}`).exec(secrets)?.[1];
  expect(uuid).toBeDefined();
  const value = await virsh(lab.uri(labHost), ['secret-get-value', uuid!]);
  expect(value.code).not.toBe(0);
  expect(value.stderr).toMatch(/private/i);
}

/** Maintenance of the domain: its pool and secret gone from both lab hosts. */
export async function expectMaintenanceRemovesPool(lab: VmLab, sdId: string) {
  await labApi(() => lab).succeeded('POST', `/storage-domains/${sdId}/maintenance`);
  for (const h of ['h1', 'h2']) {
    expect((await virsh(lab.uri(h), ['pool-info', `kelpie-${sdId}`])).code).not.toBe(0);
    expect(await virshOrThrow(lab.uri(h), ['secret-list'])).not.toContain(`kelpie-${sdId}`);
  }
}

/** A POST /vms body: a 128 MiB kernel-booted test guest on h1 with one disk on `storageDomainId`. */
export const testVmBody = (lab: VmLab, name: string, storageDomainId: string, sizeGiB = 1) => ({
  name,
  clusterId: lab.p.clusterId,
  hostId: lab.p.hosts.h1.id,
  vcpus: 1,
  memoryMib: 128,
  disks: [{ sizeGiB, storageDomainId }],
  nics: [{ networkId: lab.networkId }],
  boot: {
    kind: 'kernel',
    kernel: lab.guest.kernel,
    initrd: lab.guest.initrd,
    cmdline: 'console=ttyS0 quiet',
  },
});
