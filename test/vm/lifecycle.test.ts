import { virsh, virshOrThrow } from '@kelpie/lab';
import { KELPIE_VM_XMLNS, Task, Vm } from '@kelpie/shared-types';
import { constants } from 'node:fs';
import { FileHandle, open } from 'node:fs/promises';
import { eventually } from '../support/platform';
import { startVmLab, V1, VmLab } from './lifecycle-support';

/** VM lifecycle through the platform (engine + real agents in 2 lab hosts, real TCG guests). */
let L: VmLab;
let vm1: Vm;
let vm2: Vm;

const api = (method: string, path: string, body?: unknown) => L.p.engine.api(method, `${V1}${path}`, body);
const getVm = async (id: string) => (await api('GET', `/vms/${id}`)).body as Vm;
const domstate = async (host: string, id: string) =>
  (await virshOrThrow(L.uri(host), ['domstate', id])).trim();

async function accepted(method: string, path: string, body?: unknown): Promise<Task> {
  const res = await api(method, path, body);
  if (res.status !== 202) throw new Error(`${method} ${path} → ${res.status} ${JSON.stringify(res.body)}`);
  expect(res.headers.get('location')).toBe(`/api/v1/tasks/${res.body.id}`);
  return res.body as Task;
}

async function succeeded(method: string, path: string, body?: unknown): Promise<Task> {
  const task = await L.waitTask(await accepted(method, path, body));
  expect({ path, status: task.status, error: task.errorMessage }).toMatchObject({ status: 'succeeded' });
  return task;
}

const serialLog = async (host: string, id: string) =>
  (await L.p.lab.execInHost(host, ['cat', `/var/log/libvirt/qemu/${id}.serial.log`])).stdout;
const readyCount = async (host: string, id: string) =>
  (await serialLog(host, id)).split('\n').filter((l) => l.includes('KELPIE-GUEST-READY')).length;

/** Opens the slave side of the pty QEMU holds for the guest's serial port (the lab hosts share the
 * machine's devpts): what is written there is typed into the guest's serial shell. Kept open while
 * used: QEMU only reads a pty that has a connected slave. */
async function openGuestSerial(host: string, id: string): Promise<FileHandle> {
  const xml = await virshOrThrow(L.uri(host), ['dumpxml', id]);
  const pty = /<serial type='pty'>\s*<source path='([^']+)'/.exec(xml)?.[1];
  if (!pty) throw new Error('no serial pty in the live XML');
  return open(pty, constants.O_RDWR | constants.O_NOCTTY | constants.O_NONBLOCK);
}

beforeAll(async () => {
  L = await startVmLab();
}, 180_000);

afterAll(async () => {
  await L?.close();
});

describe('VM lifecycle', () => {
  it('creates a VM with a disk and a NIC on host 1: volume, XML (qemu, cache none, uuid, metadata)', async () => {
    const res = await api('POST', '/vms', {
      name: 'kv-guest1',
      clusterId: L.p.clusterId,
      hostId: L.p.hosts.h1.id,
      vcpus: 1,
      memoryMib: 128,
      maxMemoryMib: 192,
      disks: [{ sizeGiB: 1, storageDomainId: L.sdId }],
      nics: [{ networkId: L.networkId }],
      boot: {
        kind: 'kernel',
        kernel: L.guest.kernel,
        initrd: L.guest.initrd,
        cmdline: 'console=ttyS0 panic=-1 quiet ip=10.81.0.61/24',
      },
      graphicsVnc: true,
    });
    expect(res.status).toBe(202);
    const task = await L.waitTask(res.body);
    expect(task).toMatchObject({ status: 'succeeded', type: 'vm.create' });
    expect(task.result).toMatchObject({ hostId: L.p.hosts.h1.id });
    expect(task.steps.map((s) => s.name)).toEqual(['schedule', 'storage', 'volumes', 'define']);
    expect(task.steps[0].message).toMatch(/requested host kv-h1/);
    vm1 = await getVm(task.target!.id);
    expect(vm1).toMatchObject({ hostId: L.p.hosts.h1.id, status: 'down', external: false });

    const xml = await virshOrThrow(L.uri('h1'), ['dumpxml', vm1.id]);
    expect(xml).toMatch(/<domain type='qemu'/);
    expect(xml).toContain(`<uuid>${vm1.id}</uuid>`);
    expect(xml).toContain(KELPIE_VM_XMLNS);
    expect(xml).toContain(`<kelpie:vm xmlns:kelpie="${KELPIE_VM_XMLNS}" id="${vm1.id}"/>`);
    expect(xml).toMatch(/cache='none'/);
    expect(xml).toContain("<tb-cache unit='KiB'>16384</tb-cache>");
    expect(xml).toMatch(/<graphics type='vnc' port='-1' autoport='yes' listen='0.0.0.0'/);

    const disks = (await api('GET', `/disks?vmId=${vm1.id}`)).body.items;
    expect(disks).toHaveLength(1);
    expect(disks[0].volumePath).toBe(`${L.p.labStatus.sharedDir}/${disks[0].id}.qcow2`);
    expect(xml).toContain(`<source file='${disks[0].volumePath}'`);
    const info = await virshOrThrow(L.uri('h1'), [
      'vol-info',
      '--pool',
      `kelpie-${L.sdId}`,
      `${disks[0].id}.qcow2`,
    ]);
    expect(info).toMatch(/Capacity:\s+1\.00 GiB/);
    const nics = (await api('GET', `/nics?vmId=${vm1.id}`)).body.items;
    expect(nics).toHaveLength(1);
    expect(xml).toContain(`<mac address='${nics[0].mac}'/>`);
    expect(xml).toContain("<source bridge='br0'/>");
  });

  it('lets the scheduler place a VM without a host and records why', async () => {
    const task = await succeeded('POST', '/vms', {
      name: 'kv-guest2',
      clusterId: L.p.clusterId,
      memoryMib: 96,
      disks: [{ sizeGiB: 1, storageDomainId: L.sdId, format: 'raw' }],
      boot: {
        kind: 'kernel',
        kernel: L.guest.kernel,
        initrd: L.guest.initrd,
        cmdline: 'console=ttyS0 quiet',
      },
      graphicsVnc: false,
    });
    // kv-guest1 commits 128 MiB on h1: the least committed host is h2.
    expect(task.result).toMatchObject({ hostId: L.p.hosts.h2.id });
    expect(task.result!.placement).toMatch(
      /^kv-h2: least committed memory \(0 MiB, 0 VM\(s\)\) among 2 fitting hosts/,
    );
    expect(task.steps[0].message).toMatch(/scheduler chose kv-h2/);
    vm2 = await getVm(task.target!.id);
    expect(vm2.hostId).toBe(L.p.hosts.h2.id);
    expect(await virshOrThrow(L.uri('h2'), ['domstate', vm2.id])).toMatch(/shut off/);
    expect((await virsh(L.uri('h1'), ['domstate', vm2.id])).code).not.toBe(0);
  });

  it('starts the guest; it reaches its readiness line; engine and libvirt agree', async () => {
    const task = await succeeded('POST', `/vms/${vm1.id}/start`);
    expect(task.result).toMatchObject({ status: 'up', hostId: L.p.hosts.h1.id });
    expect(await domstate('h1', vm1.id)).toBe('running');
    expect((await getVm(vm1.id)).status).toBe('up');
    await eventually('guest ready line', async () => (await readyCount('h1', vm1.id)) >= 1, 60_000, 500);
  });

  it('suspend/resume/reboot/reset reach the right domstate and engine status', async () => {
    await succeeded('POST', `/vms/${vm1.id}/suspend`);
    expect(await domstate('h1', vm1.id)).toBe('paused');
    expect((await getVm(vm1.id)).status).toBe('paused');

    await succeeded('POST', `/vms/${vm1.id}/resume`);
    expect(await domstate('h1', vm1.id)).toBe('running');
    expect((await getVm(vm1.id)).status).toBe('up');

    const beforeReboot = await readyCount('h1', vm1.id);
    await succeeded('POST', `/vms/${vm1.id}/reboot`);
    expect(await domstate('h1', vm1.id)).toBe('running');
    expect((await getVm(vm1.id)).status).toBe('up');
    // The guest honours the ACPI power button: libvirt's reboot (ACPI shutdown, then a reset) really
    // boots it again, so it prints its readiness line a second time.
    await eventually(
      'guest ready again after reboot',
      async () => (await readyCount('h1', vm1.id)) > beforeReboot,
      90_000,
      500,
    );
    expect(await serialLog('h1', vm1.id)).toContain('KELPIE-GUEST-POWEROFF');
    expect(await domstate('h1', vm1.id)).toBe('running');
    expect((await getVm(vm1.id)).status).toBe('up');

    const before = await readyCount('h1', vm1.id);
    await succeeded('POST', `/vms/${vm1.id}/reset`);
    expect(await domstate('h1', vm1.id)).toBe('running');
    expect((await getVm(vm1.id)).status).toBe('up');
    // A reset really restarts the guest: it prints its readiness line again.
    await eventually(
      'guest ready again after reset',
      async () => (await readyCount('h1', vm1.id)) > before,
      60_000,
      500,
    );
  });

  it('hot-plugs a disk and a NIC into the running guest (libvirt and the guest see them), then unplugs them', async () => {
    const diskTask = await succeeded('POST', `/vms/${vm1.id}/disks`, { sizeGiB: 1, storageDomainId: L.sdId });
    expect(diskTask.result).toMatchObject({ targetDev: 'vdb', live: true });
    const nicTask = await succeeded('POST', `/vms/${vm1.id}/nics`, { networkId: L.networkId });
    expect(nicTask.result).toMatchObject({ live: true });

    const blk = await virshOrThrow(L.uri('h1'), ['domblklist', vm1.id]);
    expect(blk).toMatch(/vdb\s+\S+\.qcow2/);
    const ifs = await virshOrThrow(L.uri('h1'), ['domiflist', vm1.id]);
    expect(ifs).toContain(String(nicTask.result!.mac));
    // Persistent too.
    const inactive = await virshOrThrow(L.uri('h1'), ['dumpxml', '--inactive', vm1.id]);
    expect(inactive).toContain("dev='vdb'");
    expect(inactive).toContain(String(nicTask.result!.mac));

    // The guest sees them: ask its serial shell.
    const serial = await openGuestSerial('h1', vm1.id);
    let seen: string;
    try {
      seen = await eventually(
        'guest lists vdb and eth1',
        async () => {
          await serial.write('\necho KVDEV $(ls /sys/block) $(ls /sys/class/net) KVEND\n');
          await new Promise((r) => setTimeout(r, 1500));
          const line = (await serialLog('h1', vm1.id))
            .split('\n')
            .reverse()
            .find((l) => l.startsWith('KVDEV'));
          return line && /\bvdb\b/.test(line) && /\beth1\b/.test(line) ? line : undefined;
        },
        30_000,
        500,
      ).catch(async (err: Error) => {
        throw new Error(`${err.message}; serial log tail: ${(await serialLog('h1', vm1.id)).slice(-1500)}`);
      });
    } finally {
      await serial.close();
    }
    expect(seen).toMatch(/\bvda\b/);

    await succeeded('DELETE', `/vms/${vm1.id}/nics/${String(nicTask.result!.nicId)}`);
    await succeeded('DELETE', `/vms/${vm1.id}/disks/${String(diskTask.result!.diskId)}?deleteVolume=true`);
    // A hot-unplug task ends when the guest has let go of the device, not when libvirt asked it to.
    expect(await virshOrThrow(L.uri('h1'), ['domblklist', vm1.id])).not.toMatch(/\bvdb\b/);
    expect(await virshOrThrow(L.uri('h1'), ['domiflist', vm1.id])).not.toContain(String(nicTask.result!.mac));
    expect((await api('GET', `/nics?vmId=${vm1.id}`)).body.total).toBe(1);
    expect((await api('GET', `/disks?vmId=${vm1.id}`)).body.total).toBe(1);
  });

  it('edits memory live up to max, other hardware pending; memory beyond max is 409 and sends nothing', async () => {
    const res = await api('PATCH', `/vms/${vm1.id}`, { memoryMib: 160 });
    expect(res.status).toBe(200);
    expect(res.body.memoryMib).toBe(160);
    expect(res.body.pendingRestart).toBeNull();
    // Persistent at once; live through the balloon (`setmem --live`, task-free: the PATCH answers after
    // the agent did it). The test guest has no balloon driver, so its actual memory cannot be seen to move.
    expect(await virshOrThrow(L.uri('h1'), ['dumpxml', '--inactive', vm1.id])).toMatch(
      /<currentMemory unit='KiB'>163840<\/currentMemory>/,
    );

    const v = await api('PATCH', `/vms/${vm1.id}`, { vcpus: 2, description: 'edited' });
    expect(v.status).toBe(200);
    expect(v.body.pendingRestart.fields).toEqual(['vcpus']);
    expect(await virshOrThrow(L.uri('h1'), ['dumpxml', '--inactive', vm1.id])).toMatch(
      /<vcpu placement='static'>2<\/vcpu>/,
    );
    expect(await virshOrThrow(L.uri('h1'), ['dumpxml', vm1.id])).toMatch(
      /<vcpu placement='static'>1<\/vcpu>/,
    );

    const jobs = await L.queuedJobs('h1');
    const tooMuch = await api('PATCH', `/vms/${vm1.id}`, { memoryMib: 512 });
    expect(tooMuch.status).toBe(409);
    expect(tooMuch.body.code).toBe('invalid_state');
    expect(tooMuch.body.details[0]).toMatchObject({ field: 'memoryMib' });
    expect(await L.queuedJobs('h1')).toBe(jobs);
    expect((await getVm(vm1.id)).memoryMib).toBe(160);
  });

  it('refuses every illegal transition with 409 and the reason; nothing reaches a host', async () => {
    const before = { h1: await L.queuedJobs('h1'), h2: await L.queuedJobs('h2') };
    const domains = await L.domainsEverywhere();
    const states = { h1: await domstate('h1', vm1.id), h2: await domstate('h2', vm2.id) };
    const illegal: [string, string, RegExp][] = [
      [vm1.id, 'start', /already up/],
      [vm1.id, 'resume', /only a paused VM/],
      [vm2.id, 'suspend', /only a running VM/],
      [vm2.id, 'shutdown', /only a running VM/],
      [vm2.id, 'reboot', /only a running VM/],
      [vm2.id, 'reset', /only a running VM/],
      [vm2.id, 'resume', /only a paused VM/],
      [vm2.id, 'poweroff', /nothing to power off/],
    ];
    for (const [id, action, reason] of illegal) {
      const res = await api('POST', `/vms/${id}/${action}`);
      expect({ action, status: res.status, code: res.body.code }).toEqual({
        action,
        status: 409,
        code: 'invalid_state',
      });
      expect(res.body.details[0].reason).toMatch(reason);
    }
    const del = await api('DELETE', `/vms/${vm1.id}`);
    expect(del.status).toBe(409);
    expect(del.body.details[0].reason).toMatch(/force=true/);
    expect({ h1: await L.queuedJobs('h1'), h2: await L.queuedJobs('h2') }).toEqual(before);
    expect(await L.domainsEverywhere()).toEqual(domains);
    expect({ h1: await domstate('h1', vm1.id), h2: await domstate('h2', vm2.id) }).toEqual(states);
    expect((await api('GET', `/tasks?objectId=${vm2.id}&type=vm.suspend`)).body.total).toBe(0);
  });

  it('refuses actions on a VM whose host is not up (503) without sending anything', async () => {
    await L.p.engine.sql(`UPDATE host SET status = 'maintenance' WHERE id = $1`, [L.p.hosts.h2.id]);
    try {
      const jobs = await L.queuedJobs('h2');
      const res = await api('POST', `/vms/${vm2.id}/snapshots`, { name: 'while-in-maintenance' });
      expect(res.status).toBe(503);
      expect(res.body.code).toBe('host_unavailable');
      expect(res.body.message).toMatch(/kv-h2 is in maintenance/);
      expect(await L.queuedJobs('h2')).toBe(jobs);
    } finally {
      await L.p.engine.sql(`UPDATE host SET status = 'up' WHERE id = $1`, [L.p.hosts.h2.id]);
    }
  });

  it('starts a stopped VM whose host is in maintenance on another host: it belongs to its cluster', async () => {
    await L.p.engine.sql(`UPDATE host SET status = 'maintenance' WHERE id = $1`, [L.p.hosts.h2.id]);
    try {
      const task = await succeeded('POST', `/vms/${vm2.id}/start`);
      expect(task.result).toMatchObject({ status: 'up', hostId: L.p.hosts.h1.id });
      expect(await domstate('h1', vm2.id)).toBe('running');
      // The maintenance host no longer holds a stale definition that could start it a second time.
      expect((await virsh(L.uri('h2'), ['domstate', vm2.id])).code).not.toBe(0);
      await succeeded('POST', `/vms/${vm2.id}/poweroff`);
    } finally {
      await L.p.engine.sql(`UPDATE host SET status = 'up' WHERE id = $1`, [L.p.hosts.h2.id]);
    }
  });

  it('shuts down gracefully through ACPI (no force) and powers off', async () => {
    const poweroffsBefore = (await serialLog('h1', vm1.id)).split('KELPIE-GUEST-POWEROFF').length;
    // No forceAfterTimeout: the task only succeeds if the guest itself powers off on the power button.
    const task = await succeeded('POST', `/vms/${vm1.id}/shutdown`, {
      timeoutSeconds: 60,
      forceAfterTimeout: false,
    });
    expect(task.result).toMatchObject({ status: 'down', hostId: L.p.hosts.h1.id });
    // libvirt records why the domain stopped: the guest shut down, it was not destroyed.
    expect((await virshOrThrow(L.uri('h1'), ['domstate', '--reason', vm1.id])).trim()).toBe(
      'shut off (shutdown)',
    );
    expect((await serialLog('h1', vm1.id)).split('KELPIE-GUEST-POWEROFF').length).toBe(poweroffsBefore + 1);
    const down = await getVm(vm1.id);
    expect(down.status).toBe('down');
    expect(down.statusReason).toBe('shutdown');

    // Pending vcpus took effect at the next start.
    await succeeded('POST', `/vms/${vm1.id}/start`);
    expect(await virshOrThrow(L.uri('h1'), ['dumpxml', vm1.id])).toMatch(
      /<vcpu placement='static'>2<\/vcpu>/,
    );
    expect((await getVm(vm1.id)).pendingRestart).toBeNull();
    await succeeded('POST', `/vms/${vm1.id}/poweroff`);
    expect(await domstate('h1', vm1.id)).toBe('shut off');
    expect((await getVm(vm1.id)).status).toBe('down');
  });

  it('starts a stopped VM whose host lost its definition before the engine noticed: defined again, then started', async () => {
    // What `scripts/down.sh` + `up.sh` do to a kept VM: libvirtd stopped, its definition removed, libvirtd
    // back — no libvirt event says the domain went away, only the next two listings would.
    const name = (await virshOrThrow(L.uri('h1'), ['domname', vm1.id])).trim();
    await L.p.lab.stopLibvirtd('h1');
    await L.p.lab.execInHost('h1', ['rm', '-f', `/etc/libvirt/qemu/${name}.xml`]);
    await L.p.lab.restartLibvirtd('h1');
    expect((await virsh(L.uri('h1'), ['domstate', vm1.id])).code).not.toBe(0);

    const task = await succeeded('POST', `/vms/${vm1.id}/start`);
    expect(task.result).toMatchObject({ status: 'up', hostId: L.p.hosts.h1.id });
    expect(await domstate('h1', vm1.id)).toBe('running');
    // Defined from Kelpie's record: its metadata and disks are back in the persistent definition.
    expect(await virshOrThrow(L.uri('h1'), ['dumpxml', '--inactive', vm1.id])).toContain(KELPIE_VM_XMLNS);
    await succeeded('POST', `/vms/${vm1.id}/poweroff`);
  });

  it('deletes a VM with its disks (force powers off a running one first)', async () => {
    await succeeded('POST', `/vms/${vm1.id}/start`);
    const disks1 = (await api('GET', `/disks?vmId=${vm1.id}`)).body.items;
    const disks2 = (await api('GET', `/disks?vmId=${vm2.id}`)).body.items;
    const withoutDisks = await api('DELETE', `/vms/${vm2.id}`);
    expect(withoutDisks.status).toBe(409);
    expect(withoutDisks.body.code).toBe('has_children');

    await succeeded('DELETE', `/vms/${vm2.id}?withDisks=true`);
    await succeeded('DELETE', `/vms/${vm1.id}?withDisks=true&force=true`);
    for (const [vm, host] of [
      [vm1, 'h1'],
      [vm2, 'h1'],
    ] as const) {
      expect((await api('GET', `/vms/${vm.id}`)).status).toBe(404);
      expect((await virsh(L.uri(host), ['domstate', vm.id])).code).not.toBe(0);
    }
    for (const d of [...disks1, ...disks2]) {
      expect((await api('GET', `/disks/${d.id}`)).status).toBe(404);
      expect((await L.p.lab.execInHost('h1', ['test', '-e', d.volumePath])).code).not.toBe(0);
    }
  });
});
