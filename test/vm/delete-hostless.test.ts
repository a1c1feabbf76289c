import { virsh, virshOrThrow } from '@kelpie/lab';
import { Disk, Host, HostStatus, Task, Vm } from '@kelpie/shared-types';
import { existsSync } from 'node:fs';
import { eventually } from '../support/platform';
import { startVmLab, V1, VmLab } from './lifecycle-support';

/**
 * Deleting a VM whose record lost its host while its domain still runs on a host of the cluster (a
 * migration whose completion was never recorded, found by the chaos soak): the delete looks for the
 * domain on every host of the cluster and deletes it where it is, instead of removing only the
 * records and leaving QEMU running unmanaged.
 */
let L: VmLab;

const api = (method: string, path: string, body?: unknown) => L.p.engine.api(method, `${V1}${path}`, body);
const domstate = async (host: string, id: string) =>
  (await virshOrThrow(L.uri(host), ['domstate', id])).trim();

async function deleteTask(path: string): Promise<Task> {
  const res = await api('DELETE', path);
  expect({ path, status: res.status }).toEqual({ path, status: 202 });
  return L.waitTask(res.body as Task, 120_000);
}

/** The defect's state: the record has no host (as a listing of the source leaves it) while libvirt
 * keeps the domain. */
async function makeHostless(id: string): Promise<void> {
  await L.p.engine.sql(
    `UPDATE vm SET host_id = NULL, status = 'down', status_reason = 'not defined on its host', graphics_port = NULL
      WHERE id = $1`,
    [id],
  );
}

beforeAll(async () => {
  // No periodic relisting: it would give the VM its host back (h1 lists the domain) before the delete
  // runs; libvirt's events still flow. The defect's record stays as the test makes it.
  // Lab names have at most 4 characters: `k172` for subnet 172.
  L = await startVmLab({
    labName: 'k172',
    subnet: 172,
    hosts: 2,
    agentEnv: { KELPIE_RECONCILE_INTERVAL_MS: '3600000' },
  });
}, 180_000);

afterAll(async () => {
  await L?.close();
});

describe('deleting a VM without a host', () => {
  it('finds its domain still running on h1 and deletes it there (force powers it off)', async () => {
    const res = await api('POST', '/vms', {
      name: 'kh-lost',
      clusterId: L.p.clusterId,
      hostId: L.p.hosts.h1.id,
      vcpus: 1,
      memoryMib: 128,
      disks: [{ sizeGiB: 1, storageDomainId: L.sdId }],
      boot: {
        kind: 'kernel',
        kernel: L.guest.kernel,
        initrd: L.guest.initrd,
        cmdline: 'console=ttyS0 panic=-1 quiet',
      },
    });
    expect(res.status).toBe(202);
    const created = await L.waitTask(res.body as Task);
    expect(created.status).toBe('succeeded');
    const id = created.target!.id;
    const started = await L.waitTask((await api('POST', `/vms/${id}/start`)).body as Task);
    expect({ status: started.status, error: started.errorMessage }).toMatchObject({ status: 'succeeded' });
    const [disk] = (await api('GET', `/disks?vmId=${id}`)).body.items as Disk[];
    expect(existsSync(disk.volumePath!)).toBe(true);

    await makeHostless(id);
    expect((await api('GET', `/vms/${id}`)).body as Vm).toMatchObject({ hostId: null, status: 'down' });
    expect(await domstate('h1', id)).toBe('running');

    // Without force a running domain is refused, as for a VM on its host: nothing is touched.
    const refused = await deleteTask(`/vms/${id}?withDisks=true`);
    expect(refused).toMatchObject({ status: 'failed', errorCode: 'invalid_state' });
    expect(refused.errorMessage).toMatch(/k172-h1 has its domain \(libvirt: running\)/);
    expect(await domstate('h1', id)).toBe('running');
    expect((await api('GET', `/vms/${id}`)).status).toBe(200);

    // A refused delete may have let a libvirt event give the VM its host back: make it hostless again.
    await makeHostless(id);
    const task = await deleteTask(`/vms/${id}?withDisks=true&force=true`);
    expect({ status: task.status, error: task.errorMessage }).toMatchObject({ status: 'succeeded' });
    expect(task.result).toMatchObject({
      foundOn: [{ hostId: L.p.hosts.h1.id, state: 'running' }],
      notAsked: [],
      deletedVolumes: expect.arrayContaining([disk.volumePath]),
    });
    const dominfo = await virsh(L.uri('h1'), ['dominfo', id]);
    expect(dominfo.code).not.toBe(0);
    expect(await L.domainsEverywhere()).toEqual({ h1: [], h2: [] });
    expect(existsSync(disk.volumePath!)).toBe(false);
    expect((await api('GET', `/vms/${id}`)).status).toBe(404);
  });

  it('a VM whose domain is on no host: its records only', async () => {
    const vm = (await api('POST', '/vms', { name: 'kh-nowhere', clusterId: L.p.clusterId })).body as Vm;
    expect(vm.hostId).toBeNull();
    const task = await deleteTask(`/vms/${vm.id}`);
    expect({ status: task.status, error: task.errorMessage }).toMatchObject({ status: 'succeeded' });
    expect(task.result).toEqual({ deletedVolumes: [], foundOn: [], notAsked: [] });
    expect((await api('GET', `/vms/${vm.id}`)).status).toBe(404);
  });

  it('a host that cannot be asked fails the delete naming it; force removes the records and names it', async () => {
    const vm = (await api('POST', '/vms', { name: 'kh-unsure', clusterId: L.p.clusterId })).body as Vm;
    await L.p.lab.stopAgent('h2');
    await eventually(
      'k172-h2 not responding',
      async () =>
        ((await api('GET', `/hosts/${L.p.hosts.h2.id}`)).body as Host).status === HostStatus.NonResponsive,
      60_000,
      500,
    );
    const failed = await deleteTask(`/vms/${vm.id}`);
    expect(failed).toMatchObject({ status: 'failed', errorCode: 'host_unavailable' });
    expect(failed.errorMessage).toMatch(/k172-h2 \(host is not responding\) could not be asked.*force=true/);
    expect((await api('GET', `/vms/${vm.id}`)).status).toBe(200);

    const forced = await deleteTask(`/vms/${vm.id}?force=true`);
    expect({ status: forced.status, error: forced.errorMessage }).toMatchObject({ status: 'succeeded' });
    expect(forced.result).toMatchObject({
      foundOn: [],
      notAsked: [{ hostId: L.p.hosts.h2.id, hostName: 'k172-h2', why: 'host is not responding' }],
    });
    expect((await api('GET', `/vms/${vm.id}`)).status).toBe(404);
  });
});
