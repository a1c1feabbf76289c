import { testGuest, virsh, virshOrThrow } from '@kelpie/lab';
import { DomainSnapshot, Host, HostStatus, Task, Vm, VmStatus } from '@kelpie/shared-types';
import { existsSync } from 'node:fs';
import { CommandBus, VmStateSyncService } from '@kelpie/engine/testing';
import { addLabInfrastructure, eventually, startTestPlatform, TestPlatform } from '../support/platform';

/**
 * A VM whose domain vanished from its host while the agent was away, then whose disk file vanished
 * too (what `scripts/down.sh` + `up.sh` did with the lab's storage): the VM is detached only after a
 * second listing without it, and starting it fails naming the disk instead of booting a new empty one.
 */
const V1 = '/api/v1';
let p: TestPlatform;
let sdId: string;
let networkId: string;
let guest: { kernel: string; initrd: string };
/** Each inventory of h1 the engine applied: the VM's host right after it was applied. */
const listings: { listed: boolean; hostIdAfter: string | null }[] = [];
let watchedVm = '';

const api = (method: string, path: string, body?: unknown) => p.engine.api(method, `${V1}${path}`, body);
const uri = () => p.labStatus.hosts[0].uri;
const getVm = async (id: string) => (await api('GET', `/vms/${id}`)).body as Vm;
async function waitTask(task: Task): Promise<Task> {
  return eventually(
    `task ${task.type} final`,
    async () => {
      const t = (await api('GET', `/tasks/${task.id}?wait=20000`)).body as Task;
      return ['succeeded', 'failed', 'cancelled', 'interrupted'].includes(t.status) ? t : undefined;
    },
    120_000,
    10,
  );
}
async function succeeded(method: string, path: string, body?: unknown): Promise<Task> {
  const res = await api(method, path, body);
  if (res.status !== 202) throw new Error(`${method} ${path} → ${res.status} ${JSON.stringify(res.body)}`);
  const task = await waitTask(res.body as Task);
  if (task.status !== 'succeeded') throw new Error(`${task.type} ${task.status}: ${task.errorMessage}`);
  return task;
}

beforeAll(async () => {
  p = await startTestPlatform({
    labName: 'kqb2',
    subnet: 106,
    hosts: 1,
    // Listings only when the test asks for them (agent start, host.refresh): their count is exact.
    agentEnv: { KELPIE_RECONCILE_INTERVAL_MS: '3600000' },
  });
  ({ sdId, networkId } = await addLabInfrastructure(p));
  await eventually(
    'h1 up',
    async () => ((await api('GET', `/hosts/${p.hosts.h1.id}`)).body as Host).status === HostStatus.Up,
    60_000,
    200,
  );
  guest = await testGuest();
  // Observes (and passes through) every inventory the engine applies for h1.
  const sync = p.engine.app.get(VmStateSyncService);
  const apply = sync.applyInventory.bind(sync);
  sync.applyInventory = async (hostId: string, domains: DomainSnapshot[]) => {
    await apply(hostId, domains);
    if (hostId !== p.hosts.h1.id || !watchedVm) return;
    const [row] = await p.engine.sql<{ host_id: string | null }>('SELECT host_id FROM vm WHERE id = $1', [
      watchedVm,
    ]);
    listings.push({ listed: domains.some((d) => d.uuid === watchedVm), hostIdAfter: row.host_id });
  };
}, 180_000);

afterAll(async () => {
  await p?.close();
});

describe('a VM whose domain and disk vanished', () => {
  let vmId: string;
  let diskPath: string;

  it('is detached from its host only after the second listing without its domain', async () => {
    const created = await api('POST', '/vms', {
      name: 'kqb2-vm',
      clusterId: p.clusterId,
      hostId: p.hosts.h1.id,
      vcpus: 1,
      memoryMib: 128,
      disks: [{ sizeGiB: 1, storageDomainId: sdId }],
      nics: [{ networkId }],
      boot: { kind: 'kernel', kernel: guest.kernel, initrd: guest.initrd, cmdline: 'console=ttyS0 quiet' },
    });
    expect(created.status).toBe(202);
    const task = await waitTask(created.body as Task);
    expect(task.status).toBe('succeeded');
    vmId = task.target!.id;
    const [disk] = await p.engine.sql<{ volume_path: string; provisioned_at: Date | null }>(
      'SELECT volume_path, provisioned_at FROM disk WHERE vm_id = $1',
      [vmId],
    );
    diskPath = disk.volume_path;
    expect(disk.provisioned_at).not.toBeNull();
    expect(existsSync(diskPath)).toBe(true);
    await succeeded('POST', `/vms/${vmId}/start`);
    await succeeded('POST', `/vms/${vmId}/poweroff`);
    watchedVm = vmId;

    // The domain disappears while the agent is away: no undefine event can reach the engine.
    await p.lab.stopAgent('h1');
    await virshOrThrow(uri(), ['undefine', vmId]);
    await p.startAgent('h1');
    await eventually('the listing of the restarted agent applied', async () => listings.length >= 1, 30_000);
    expect(listings[0]).toEqual({ listed: false, hostIdAfter: p.hosts.h1.id });
    expect((await getVm(vmId)).hostId).toBe(p.hosts.h1.id);

    await p.engine.app.get(CommandBus).send(p.hosts.h1.id, 'host.refresh', {});
    await eventually('a second listing applied', async () => listings.length >= 2, 30_000);
    expect(listings[1]).toEqual({ listed: false, hostIdAfter: null });
    expect(await getVm(vmId)).toMatchObject({
      hostId: null,
      status: VmStatus.Down,
      statusReason: 'not defined on its host',
    });
  });

  it('refuses to start with 422 naming the disk and its storage domain, and re-creates nothing', async () => {
    const deleted = await virsh(uri(), ['vol-delete', diskPath]);
    if (deleted.code !== 0) throw new Error(`vol-delete: ${deleted.stderr}`);
    expect(existsSync(diskPath)).toBe(false);

    const res = await api('POST', `/vms/${vmId}/start`);

    expect(res.status).toBe(422);
    expect(res.body.message).toContain(`(${diskPath}) on storage domain shared`);
    expect(res.body.details).toEqual(
      expect.arrayContaining([
        expect.objectContaining({ ref: expect.objectContaining({ type: 'disk', name: 'kqb2-vm-disk1' }) }),
        expect.objectContaining({ ref: expect.objectContaining({ type: 'storage_domain', id: sdId }) }),
      ]),
    );
    // Nothing was defined or created: no domain, no file, no volume in libvirt's view of the pool.
    expect(existsSync(diskPath)).toBe(false);
    expect(await virshOrThrow(uri(), ['list', '--all', '--uuid'])).not.toContain(vmId);
    const pools = (await virshOrThrow(uri(), ['pool-list', '--all', '--name'])).split('\n').filter(Boolean);
    for (const pool of pools) {
      await virsh(uri(), ['pool-refresh', pool.trim()]);
      expect(await virshOrThrow(uri(), ['vol-list', pool.trim()])).not.toContain(diskPath);
    }
    expect((await getVm(vmId)).hostId).toBeNull();
    const tasks = await p.engine.sql('SELECT id FROM task WHERE type = $1 AND target_id = $2', [
      'vm.start',
      vmId,
    ]);
    expect(tasks).toHaveLength(1); // only the start that succeeded earlier
  });
});
