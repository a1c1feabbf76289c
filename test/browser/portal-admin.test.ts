import { testGuest, virsh, virshOrThrow } from '@kelpie/lab';
import type { Cluster, DataCenter, Page as ApiPage, Snapshot, Task, Vm } from '@kelpie/shared-types';
import { screenshot } from '@kelpie/test-support';
import { portalLab } from './support/portal-lab';
import { addLabInfrastructure, eventually } from '../support/platform';
import { run202 } from '../vm/support-ks';

/**
 * What an admin does from the browser on a real 1-host lab (kpo1, subnet 167), through the UI only:
 * a datacenter and a cluster created (and a refused delete naming the blocking cluster), a running VM's
 * memory edited live and its vCPUs for the next start, a disk hot-plugged, a snapshot reverted and
 * deleted — each asserted against the API and libvirt. Every new dialog is shot at 1280×800.
 */
let sdId: string;
let vmId = '';

const lab = portalLab({
  labName: 'kpo1',
  subnet: 167,
  beforeClose: async () => vmId && virsh(lab.uri(), ['destroy', vmId]),
});
const { ok, go, dialog, uri } = lab;
const inactiveXml = () => virshOrThrow(uri(), ['dumpxml', '--inactive', vmId]);

beforeAll(async () => {
  const infra = await addLabInfrastructure(lab.p);
  sdId = infra.sdId;
  // The VM under test is set up through the API (the wizard has its own test): running, with a
  // qcow2 disk (internal snapshots) and room to grow its memory live (max 192 MiB).
  const guest = await testGuest();
  const created = await run202(lab.p, 'POST', '/api/v1/vms', {
    name: 'kpo-vm1',
    clusterId: lab.p.clusterId,
    vcpus: 1,
    memoryMib: 128,
    maxMemoryMib: 192,
    disks: [{ sizeGiB: 1, storageDomainId: sdId }],
    nics: [{ networkId: infra.networkId }],
    boot: { kind: 'kernel', kernel: guest.kernel, initrd: guest.initrd, cmdline: 'console=ttyS0 quiet' },
  });
  vmId = (created.target as { id: string }).id;
  await run202(lab.p, 'POST', `/api/v1/vms/${vmId}/start`);
}, 120_000);

describe('administering from the portal (Chromium)', () => {
  it('creates a datacenter and a cluster with its policies; a delete refused while the cluster exists names it', async () => {
    await go('/datacenters');
    await lab.page.getByRole('button', { name: 'New datacenter' }).click();
    const newDc = dialog('New datacenter');
    await newDc.getByLabel('Name').fill('kpo-dc');
    await newDc.getByLabel('Description').fill('made in the portal');
    await screenshot(lab.page, 'admin-dc-new');
    await newDc.getByRole('button', { name: 'Create datacenter' }).click();
    await lab.page.waitForURL(/\/datacenters\/[0-9a-f-]{36}$/);
    const dcId = lab.page.url().split('/').pop()!;
    const dc = await ok<DataCenter>('GET', `/datacenters/${dcId}`);
    expect(dc).toMatchObject({ name: 'kpo-dc', description: 'made in the portal' });

    await lab.page.getByRole('button', { name: 'New cluster' }).click();
    const newCluster = dialog('New cluster');
    await newCluster.getByLabel('Name', { exact: true }).fill('kpo-cl');
    await newCluster.getByLabel('CPU model').fill('qemu64');
    await newCluster.getByLabel('Scheduling policy').selectOption('power_saving');
    await newCluster.getByLabel(/Post-copy/).check();
    await newCluster.getByLabel('Max downtime (ms)').fill('5');
    await newCluster.getByRole('button', { name: 'Create cluster' }).click();
    // The API's bound shows by its field, in words; nothing was created.
    await newCluster.getByText(/must not be less than 10/).waitFor();
    await screenshot(lab.page, 'admin-cluster-new-refused');
    expect((await ok<ApiPage<Cluster>>('GET', `/clusters?datacenterId=${dcId}`)).total).toBe(0);
    await newCluster.getByLabel('Max downtime (ms)').fill('300');
    await newCluster.getByRole('button', { name: 'Create cluster' }).click();
    await lab.page.waitForURL(/\/clusters\/[0-9a-f-]{36}$/);
    const cluster = await ok<Cluster>('GET', `/clusters/${lab.page.url().split('/').pop()}`);
    expect(cluster).toMatchObject({
      name: 'kpo-cl',
      datacenterId: dcId,
      cpuModel: 'qemu64',
      schedulingPolicy: 'power_saving',
      migrationPolicy: { postCopy: true, maxDowntimeMs: 300 },
    });

    await lab.page.getByRole('button', { name: 'Edit' }).click();
    const editCluster = dialog('Edit cluster kpo-cl');
    await editCluster.getByLabel('Max bandwidth (MiB/s)').fill('200');
    await screenshot(lab.page, 'admin-cluster-edit');
    await editCluster.getByRole('button', { name: 'Save' }).click();
    await editCluster.waitFor({ state: 'detached' });
    expect((await ok<Cluster>('GET', `/clusters/${cluster.id}`)).migrationPolicy.maxBandwidthMiBps).toBe(200);

    await go(`/datacenters/${dcId}`);
    await lab.page.getByRole('button', { name: 'Delete' }).click();
    const del = dialog('Delete datacenter kpo-dc?');
    await del.getByRole('button', { name: 'Delete' }).click();
    await del.getByRole('link', { name: 'kpo-cl' }).waitFor();
    await screenshot(lab.page, 'admin-dc-delete-refused');
    expect((await lab.p.engine.api('GET', `/api/v1/datacenters/${dcId}`)).status).toBe(200);
    await del.getByRole('button', { name: 'Cancel' }).click();

    await go(`/clusters/${cluster.id}`);
    await lab.page.getByRole('button', { name: 'Delete' }).click();
    await dialog('Delete cluster kpo-cl?').getByRole('button', { name: 'Delete' }).click();
    await lab.page.waitForURL(/\/clusters$/);
    expect((await lab.p.engine.api('GET', `/api/v1/clusters/${cluster.id}`)).status).toBe(404);
  });

  it("edits a running VM's memory live and its vCPUs for the next start (pending-restart badge)", async () => {
    await go(`/vms/${vmId}`);
    await lab.page.getByRole('heading', { name: /kpo-vm1/ }).waitFor();
    await lab.page.getByRole('button', { name: 'Edit', exact: true }).click();
    let edit = dialog('Edit kpo-vm1');
    await edit.getByLabel('Memory (MiB)', { exact: true }).fill('160');
    await screenshot(lab.page, 'admin-vm-edit');
    await edit.getByRole('button', { name: 'Save' }).click();
    await edit.waitFor({ state: 'detached' });
    const live = await ok<Vm>('GET', `/vms/${vmId}`);
    expect(live).toMatchObject({ memoryMib: 160, pendingRestart: null });
    expect(await inactiveXml()).toMatch(/<currentMemory unit='KiB'>163840<\/currentMemory>/);

    await lab.page.getByRole('button', { name: 'Edit', exact: true }).click();
    edit = dialog('Edit kpo-vm1');
    await edit.getByLabel('vCPUs').fill('2');
    await edit.getByRole('button', { name: 'Save' }).click();
    await edit.waitFor({ state: 'detached' });
    await lab.page.getByText('pending restart', { exact: true }).waitFor();
    await lab.page.getByText(/Changes to vCPUs take effect at the next start/).waitFor();
    await screenshot(lab.page, 'admin-vm-pending-restart');
    expect((await ok<Vm>('GET', `/vms/${vmId}`)).pendingRestart?.fields).toEqual(['vcpus']);
    expect(await inactiveXml()).toMatch(/<vcpu placement='static'>2<\/vcpu>/);
    expect(await virshOrThrow(uri(), ['dumpxml', vmId])).toMatch(/<vcpu placement='static'>1<\/vcpu>/);
  });

  it('hot-plugs a disk into the running VM: libvirt lists it', async () => {
    await go(`/vms/${vmId}`);
    await lab.page.getByRole('button', { name: 'Add disk' }).click();
    const add = dialog('Add a disk to kpo-vm1');
    await add.getByLabel('Storage domain').selectOption({ label: 'shared' });
    await add.getByLabel('Size (GiB)').fill('1');
    await add.getByLabel('Name (optional)').fill('kpo-data');
    await screenshot(lab.page, 'admin-vm-add-disk');
    await add.getByRole('button', { name: 'Add disk' }).click();
    await add.waitFor({ state: 'detached', timeout: 120_000 });
    await screenshot(lab.page, 'admin-vm-after-add-disk');
    const disks = await ok<ApiPage<{ name: string; targetDev: string | null }>>('GET', `/disks?vmId=${vmId}`);
    const disk = disks.items.find((d) => d.name === 'kpo-data')!;
    expect(disk.targetDev).toBeTruthy();
    // The attach task (shown with its progress in the activity panel) ends plugged in live.
    const attach = await eventually(
      'the attach task finished',
      async () =>
        (await ok<ApiPage<Task>>('GET', `/tasks?objectId=${vmId}&limit=50`)).items.find(
          (t) => t.type === 'vm.attach-disk' && !['queued', 'running'].includes(t.status),
        ),
      120_000,
      250,
    );
    expect(attach).toMatchObject({ status: 'succeeded', result: { live: true, targetDev: disk.targetDev } });
    expect(await virshOrThrow(uri(), ['domblklist', vmId])).toContain(disk.targetDev!);
    await lab.page.getByRole('cell', { name: 'kpo-data', exact: true }).waitFor();
  });

  it('reverts to a snapshot and deletes it', async () => {
    await go(`/vms/${vmId}`);
    await lab.page.getByRole('button', { name: 'Actions ▾' }).click();
    await lab.page.getByRole('menuitem', { name: 'Snapshot…' }).click();
    const take = dialog(/Snapshot kpo-vm1/);
    await take.getByLabel('Snapshot name').fill('kpo-s1');
    await take.getByRole('button', { name: 'Take snapshot' }).click();
    await take.waitFor({ state: 'detached' });
    const snap = await eventually(
      'snapshot kpo-s1 listed',
      async () =>
        (await ok<ApiPage<Snapshot>>('GET', `/snapshots?vmId=${vmId}`)).items.find(
          (s) => s.name === 'kpo-s1',
        ),
      120_000,
      250,
    );
    await eventually(
      'snapshot on the host',
      async () => (await virshOrThrow(uri(), ['snapshot-list', '--name', vmId])).includes(snap.id),
      120_000,
      250,
    );

    // The list gets the snapshot from the live stream; if it never does, say what the page shows.
    const revertButton = lab.page.getByRole('button', { name: 'Revert kpo-s1' });
    await revertButton.waitFor({ timeout: 60_000 }).catch(async (err: Error) => {
      await screenshot(lab.page, 'admin-snapshot-not-listed');
      const shown = await lab.page.locator('section[aria-labelledby=vm-snaps]').textContent();
      throw new Error(`${err.message}; the Snapshots panel shows: ${shown}`);
    });
    await revertButton.click();
    const revert = dialog('Revert kpo-s1?');
    await screenshot(lab.page, 'admin-snapshot-revert');
    await revert.getByRole('button', { name: 'Revert' }).click();
    await revert.waitFor({ state: 'detached', timeout: 120_000 });
    const reverts = await ok<ApiPage<Task>>('GET', `/tasks?objectId=${vmId}&type=vm.snapshot.revert`);
    expect(reverts.items[0]?.status).toBe('succeeded');
    expect((await virshOrThrow(uri(), ['snapshot-current', '--name', vmId])).trim()).toBe(snap.id);

    await lab.page.getByRole('button', { name: 'Delete kpo-s1' }).click();
    const del = dialog('Delete snapshot kpo-s1?');
    await screenshot(lab.page, 'admin-snapshot-delete');
    await del.getByRole('button', { name: 'Delete snapshot' }).click();
    await del.waitFor({ state: 'detached', timeout: 120_000 });
    expect((await ok<ApiPage<Snapshot>>('GET', `/snapshots?vmId=${vmId}`)).total).toBe(0);
    expect((await virshOrThrow(uri(), ['snapshot-list', '--name', vmId])).trim()).toBe('');
    await lab.page.getByText('No snapshots.').waitFor();
  });
});
