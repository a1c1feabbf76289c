import { virsh, virshOrThrow } from '@kelpie/lab';
import type { MigrationTargets, Task, Vm } from '@kelpie/shared-types';
import { acceptedTask, finalTask } from '@kelpie/test-support';
import { randomBytes, randomUUID } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { dirname } from 'node:path';
import { eventually } from '../support/platform';
import { startVmLab, V1, VmLab } from '../vm/lifecycle-support';
import { withEfiVariable } from './efi-vars';

/** Machine type, firmware and boot order per VM, and the CPU model's missing features, in lab `kue1`
 * (2 hosts, real TCG guests): a q35 + UEFI guest (OVMF from Debian's `ovmf`) boots, proves it from
 * its own kernel log, and live-migrates with its NVRAM. */
let L: VmLab;
const ids: Record<string, string> = {};
const clusterId = () => L.p.clusterId;
const api = (method: string, path: string, body?: unknown) =>
  L.p.engine.api(method, path.startsWith('/api/') ? path : `${V1}${path}`, body);
const labHostOf = (hostId: string) => Object.keys(L.p.hosts).find((h) => L.p.hosts[h].id === hostId)!;
const getVm = async (id: string) => (await api('GET', `/vms/${id}`)).body as Vm;
const nvramOf = (id: string) => `/var/lib/libvirt/qemu/nvram/${id}_VARS.fd`;
const OVMF_VARS = '/usr/share/OVMF/OVMF_VARS_4M.fd';
const inHost = (h: string, argv: string[], options?: { input?: string }) =>
  L.p.lab.execInHost(h, argv, options);
const serialLog = async (h: string, id: string) =>
  (await inHost(h, ['cat', `/var/log/libvirt/qemu/${id}.serial.log`])).stdout;
const lastHeartbeat = (log: string) => {
  const all = [...log.matchAll(/KELPIE-HEARTBEAT (\d+)/g)];
  return all.length ? Number(all[all.length - 1]![1]) : -1;
};
/** A long action's final task (its 202 and Location checked). */
const task = async (method: string, path: string, body?: unknown): Promise<Task> =>
  finalTask(api, acceptedTask(await api(method, path, body), `${method} ${path}`).id, 120_000);

const kernelBoot = () => ({
  kind: 'kernel',
  kernel: L.guest.kernel,
  initrd: L.guest.initrd,
  // Not quiet: the guest's kernel log says which firmware and machine it booted on.
  cmdline: 'console=ttyS0',
});

beforeAll(async () => {
  L = await startVmLab({ labName: 'kue1', subnet: 193 });
}, 240_000);

afterAll(async () => {
  for (const id of Object.values(ids)) {
    await api('POST', `/vms/${id}/poweroff`).catch(() => undefined);
    await api('DELETE', `/vms/${id}?force=true`).catch(() => undefined);
  }
  await L?.close();
});

it('refuses bad machine/firmware values with 400 naming the field, and writes nothing', async () => {
  const before = ((await api('GET', '/vms')).body as { total: number }).total;
  const cases: [Record<string, unknown>, RegExp][] = [
    [{ machineType: 'i440fx' }, /machineType/],
    [{ firmware: 'efi' }, /firmware/],
    [{ firmware: 'bios', secureBoot: true }, /secureBoot.*needs firmware uefi/],
    [{ machineType: 'pc', firmware: 'uefi', secureBoot: true }, /secureBoot.*needs machineType q35/],
  ];
  for (const [body, field] of cases) {
    const res = await api('POST', '/vms', {
      name: 'kue1-bad',
      clusterId: clusterId(),
      memoryMib: 64,
      ...body,
    });
    expect({ body, status: res.status }).toEqual({ body, status: 400 });
    expect(JSON.stringify(res.body)).toMatch(field);
  }
  const cl = await api('PATCH', `/clusters/${clusterId()}`, { defaultFirmware: 'efi' });
  expect(cl.status).toBe(400);
  expect(JSON.stringify(cl.body)).toMatch(/defaultFirmware/);
  expect(((await api('GET', '/vms')).body as { total: number }).total).toBe(before);
});

it('refuses an IDE disk on a q35 VM up front (create, edit, disk create/attach), naming the field', async () => {
  const total = async (path: string) => ((await api('GET', path)).body as { total: number }).total;
  const [vmsBefore, disksBefore] = [await total('/vms'), await total('/disks')];
  const ide = { sizeGiB: 1, storageDomainId: L.sdId, bus: 'ide' };
  const refused = await api('POST', '/vms', {
    name: 'kue1-ide',
    clusterId: clusterId(),
    memoryMib: 64,
    machineType: 'q35',
    disks: [{ sizeGiB: 1, storageDomainId: L.sdId }, ide],
  });
  expect(refused.status).toBe(400);
  expect(refused.body).toMatchObject({ details: [{ field: 'disks[1].bus', reason: /no IDE controller/ }] });
  expect([await total('/vms'), await total('/disks')]).toEqual([vmsBefore, disksBefore]);

  // Record-only VMs: a pc one with an IDE disk, a q35 one.
  const vm = async (name: string, machineType: string) => {
    const r = await api('POST', '/vms', { name, clusterId: clusterId(), memoryMib: 64, machineType });
    expect(r.status).toBe(201);
    return (ids[name] = (r.body as Vm).id);
  };
  const pc = await vm('kue1-pc', 'pc');
  const q35 = await vm('kue1-q35', 'q35');
  const disk = { name: 'kue1-hd', storageDomainId: L.sdId, virtualSizeBytes: 1 << 30, bus: 'ide' };
  const hd = await api('POST', '/disks', { ...disk, vmId: pc });
  expect(hd.status).toBe(201);
  const hdId = (hd.body as { id: string }).id;
  try {
    const expectField = (r: { status: number; body: unknown }, field: string) => {
      expect(r.status).toBe(400);
      expect(r.body).toMatchObject({ details: [{ field, reason: /no IDE controller/ }] });
    };
    expectField(await api('PATCH', `/vms/${pc}`, { machineType: 'q35' }), 'machineType');
    expect((await getVm(pc)).machineType).toBe('pc');
    expectField(await api('POST', '/disks', { ...disk, name: 'kue1-hd2', vmId: q35 }), 'bus');
    expectField(await api('PATCH', `/disks/${hdId}`, { vmId: q35 }), 'vmId');
    expectField(
      await api('POST', `/vms/${q35}/disks`, { sizeGiB: 1, storageDomainId: L.sdId, bus: 'ide' }),
      'bus',
    );
    expect(await total('/disks')).toBe(disksBefore + 1);
    // SATA is q35's own: accepted.
    expect((await api('PATCH', `/disks/${hdId}`, { vmId: q35, bus: 'sata' })).status).toBe(200);
  } finally {
    expect((await api('DELETE', `/disks/${hdId}`)).status).toBeLessThan(300);
  }
});

it('templates carry machine type, firmware and Secure Boot: a template from a VM keeps them, a VM from it inherits them', async () => {
  const made = await api('POST', '/vms', {
    name: 'kue1-tpl',
    clusterId: clusterId(),
    memoryMib: 64,
    machineType: 'q35',
    firmware: 'uefi',
    secureBoot: true,
  });
  expect(made.status).toBe(201);
  const tplId = (ids.tpl = (made.body as Vm).id);
  const tpl = await api('POST', `/vms/${tplId}/template`, {});
  expect(tpl.status).toBe(201);
  const uefi = { machineType: 'q35', firmware: 'uefi', secureBoot: true };
  expect(tpl.body).toMatchObject({ isTemplate: true, ...uefi });
  // The cluster's defaults (pc + BIOS) give way to the template's.
  const child = async (name: string, body: Record<string, unknown> = {}) => {
    const r = await api('POST', '/vms', { name, clusterId: clusterId(), sourceTemplateId: tplId, ...body });
    expect(r.status).toBe(201);
    ids[name] = (r.body as Vm).id;
    return getVm((r.body as Vm).id);
  };
  expect(await child('kue1-child')).toMatchObject({ sourceTemplateId: tplId, ...uefi });
  // What the create names wins; Secure Boot does not follow onto a machine that cannot have it.
  expect(await child('kue1-child-bios', { firmware: 'bios' })).toMatchObject({
    machineType: 'q35',
    firmware: 'bios',
    secureBoot: false,
  });
  expect(await child('kue1-child-nosb', { secureBoot: false })).toMatchObject({ ...uefi, secureBoot: false });
  // Children first: a template with VMs made from it cannot go.
  for (const name of ['kue1-child', 'kue1-child-bios', 'kue1-child-nosb', 'tpl']) {
    expect((await task('DELETE', `/vms/${ids[name]}`)).status).toBe('succeeded');
    delete ids[name];
  }
});

it("the stored bootOrder orders the domain's boot devices; Secure Boot asks libvirt for the enrolled-keys OVMF", async () => {
  const t = await task('POST', '/vms', {
    name: 'kue1-order',
    clusterId: clusterId(),
    memoryMib: 64,
    graphicsVnc: false,
    bootOrder: ['network', 'cdrom', 'hd'],
    nics: [{ networkId: L.networkId }],
    machineType: 'q35',
    firmware: 'uefi',
    secureBoot: true,
  });
  expect({ status: t.status, error: t.errorMessage }).toEqual({ status: 'succeeded', error: null });
  ids.order = t.target!.id;
  const h = labHostOf((t.result as { hostId: string }).hostId);
  const xml = await virshOrThrow(L.uri(h), ['dumpxml', '--inactive', ids.order]);
  expect(xml).toMatch(/<interface type='bridge'>[\s\S]*?<boot order='1'\/>[\s\S]*?<\/interface>/);
  expect(xml).toMatch(
    /<disk type='file' device='cdrom'>[\s\S]*?<target dev='hdc' bus='sata'\/>[\s\S]*?<boot order='2'\/>/,
  );
  expect(xml).toMatch(/<feature enabled='yes' name='secure-boot'\/>/);
  expect(xml).toMatch(/<smm state='on'\/>/);
  // Changed while defined and stopped: pending, and the next start defines the domain anew.
  const edit = await api('PATCH', `/vms/${ids.order}`, {
    bootOrder: ['cdrom', 'network'],
    secureBoot: false,
    firmware: 'bios',
    machineType: 'pc',
  });
  expect(edit.status).toBe(200);
  expect((edit.body as Vm).pendingRestart?.fields).toEqual(
    expect.arrayContaining(['bootOrder', 'secureBoot', 'firmware', 'machineType']),
  );
  const start = await task('POST', `/vms/${ids.order}/start`);
  expect({ status: start.status, error: start.errorMessage }).toEqual({ status: 'succeeded', error: null });
  const again = await virshOrThrow(L.uri(h), ['dumpxml', '--inactive', ids.order]);
  expect(again).toMatch(/machine='pc-i440fx-[0-9.]+'/);
  expect(again).not.toContain('nvram');
  expect(again).toMatch(/<target dev='hdc' bus='ide'\/>\s*<readonly\/>\s*<boot order='1'\/>/);
  expect(again).toMatch(/<interface type='bridge'>[\s\S]*?<boot order='2'\/>[\s\S]*?<\/interface>/);
  expect((await getVm(ids.order)).pendingRestart).toBeNull();
  expect((await task('POST', `/vms/${ids.order}/poweroff`)).status).toBe('succeeded');
});

it('a watchdog (i6300esb) in the definition; a guest that stops feeding it is powered off, and the expiry is a VM event', async () => {
  const total = async () => ((await api('GET', '/vms')).body as { total: number }).total;
  const before = await total();
  const bad = await api('POST', '/vms', {
    name: 'kue1-wd-bad',
    clusterId: clusterId(),
    watchdogAction: 'explode',
  });
  expect(bad.status).toBe(400);
  expect(JSON.stringify(bad.body)).toMatch(/watchdogAction/);
  expect(await total()).toBe(before);

  const t = await task('POST', '/vms', {
    name: 'kue1-wd',
    clusterId: clusterId(),
    memoryMib: 128,
    graphicsVnc: false,
    watchdogAction: 'poweroff',
    // The guest's init arms /dev/watchdog with a 2 s timeout and never feeds it again: a hung guest.
    boot: { ...kernelBoot(), cmdline: 'console=ttyS0 quiet kelpie.watchdog_hang=2' },
  });
  expect({ status: t.status, error: t.errorMessage }).toEqual({ status: 'succeeded', error: null });
  const id = (ids.watchdog = t.target!.id);
  expect(await getVm(id)).toMatchObject({ watchdogAction: 'poweroff' });
  const since = new Date();
  expect((await task('POST', `/vms/${id}/start`)).status).toBe('succeeded');
  const h = labHostOf((await getVm(id)).hostId!);
  const xml = await virshOrThrow(L.uri(h), ['dumpxml', id]);
  expect(xml).toMatch(/<watchdog model='i6300esb' action='poweroff'>/);

  const armed = await eventually(
    'the guest armed its watchdog (or said why not)',
    async () => /KELPIE-WATCHDOG-(ARMED|MISSING.*)/.exec(await serialLog(h, id))?.[0],
    90_000,
    500,
  );
  if (armed !== 'KELPIE-WATCHDOG-ARMED') {
    console.log(`the guest could not arm its watchdog (${armed}): its expiry is not tested`);
    return;
  }
  // QEMU powers the hung guest off; libvirt reports the watchdog; the engine records it and the VM is down.
  await eventually('the VM down', async () => (await getVm(id)).status === 'down', 90_000, 500);
  expect((await virshOrThrow(L.uri(h), ['domstate', id])).trim()).toBe('shut off');
  const events = await L.p.engine.sql<{ type: string; message: string }>(
    `SELECT type, message FROM event WHERE time >= $1 AND type = 'vm.watchdog'`,
    [since],
  );
  expect(events.map((e) => e.message)).toEqual([
    expect.stringMatching(/^the watchdog of VM kue1-wd expired .*: QEMU powered the guest off$/),
  ]);
});

it('a stopped UEFI VM started on another host (an enforcing rule refuses its own) keeps its UEFI variables', async () => {
  const t = await task('POST', '/vms', {
    name: 'kue1-cold',
    clusterId: clusterId(),
    memoryMib: 192,
    graphicsVnc: false,
    machineType: 'q35',
    firmware: 'uefi',
    boot: kernelBoot(),
  });
  expect({ status: t.status, error: t.errorMessage }).toEqual({ status: 'succeeded', error: null });
  const id = (ids.cold = t.target!.id);
  const src = labHostOf((t.result as { hostId: string }).hostId);
  const dst = src === 'h1' ? 'h2' : 'h1';
  expect((await virshOrThrow(L.uri(src), ['domstate', id])).trim()).toBe('shut off');

  // The VM's variable store on its host: OVMF's template plus one non-volatile variable of our own
  // (as a boot entry or an enrolled key would be), written while the VM is stopped.
  const marker = randomBytes(16);
  const vars = withEfiVariable(readFileSync(OVMF_VARS), 'KelpieMark1', randomUUID(), marker);
  const needle = Buffer.concat([Buffer.from('KelpieMark1\0', 'utf16le'), marker]);
  expect(readFileSync(OVMF_VARS).includes(needle)).toBe(false);
  const wrote = await inHost(
    src,
    ['sh', '-c', `mkdir -p ${dirname(nvramOf(id))} && base64 -d > ${nvramOf(id)}`],
    { input: vars.toString('base64') },
  );
  expect(wrote.code).toBe(0);

  // An enforcing rule now keeps it off its host: the start moves it (undefined there, defined on the other).
  const rule = await api('POST', `/clusters/${clusterId()}/affinity-groups`, {
    name: 'kue1-off-src',
    polarity: 'negative',
    enforcing: true,
    vmIds: [id],
    hostIds: [L.p.hosts[src].id],
  });
  expect(rule.status).toBe(201);
  try {
    const start = await task('POST', `/vms/${id}/start`);
    expect({ status: start.status, error: start.errorMessage }).toEqual({ status: 'succeeded', error: null });
    expect(labHostOf((await getVm(id)).hostId!)).toBe(dst);
    expect((await virsh(L.uri(dst), ['domstate', id])).stdout.trim()).toBe('running');
    expect((await virsh(L.uri(src), ['domstate', id])).code).not.toBe(0);
    expect((await inHost(src, ['test', '-e', nvramOf(id)])).code).toBe(1);
    // OVMF ran on the new host with the carried store, and the variable is still in its file there.
    await eventually(
      'OVMF booted the guest on the new host',
      async () => /efi: EFI v[0-9.]+ by EDK II/.test(await serialLog(dst, id)),
      120_000,
      500,
    );
    const there = Buffer.from((await inHost(dst, ['base64', '-w0', nvramOf(id)])).stdout.trim(), 'base64');
    expect(there.length).toBe(vars.length);
    expect(there.includes(needle)).toBe(true);
  } finally {
    await api('DELETE', `/clusters/${clusterId()}/affinity-groups/${(rule.body as { id: string }).id}`);
  }
  expect((await task('POST', `/vms/${id}/poweroff`)).status).toBe('succeeded');
});

it('a q35 + UEFI VM (cluster defaults) boots OVMF, live-migrates with its NVRAM and keeps running', async () => {
  const defaults = await api('PATCH', `/clusters/${clusterId()}`, {
    defaultMachineType: 'q35',
    defaultFirmware: 'uefi',
    // The lab hosts' migration certificates are another test's subject.
    migrationEncrypted: false,
  });
  expect(defaults.status).toBe(200);
  const t = await task('POST', '/vms', {
    name: 'kue1-uefi',
    clusterId: clusterId(),
    memoryMib: 192,
    graphicsVnc: false,
    boot: kernelBoot(),
  });
  expect({ status: t.status, error: t.errorMessage }).toEqual({ status: 'succeeded', error: null });
  const id = (ids.uefi = t.target!.id);
  expect(await getVm(id)).toMatchObject({ machineType: 'q35', firmware: 'uefi', secureBoot: false });
  const start = await task('POST', `/vms/${id}/start`);
  expect(start.status).toBe('succeeded');
  const src = labHostOf((await getVm(id)).hostId!);
  const dst = src === 'h1' ? 'h2' : 'h1';

  // The live definition: OVMF's code and the VM's own NVRAM, q35.
  const live = await virshOrThrow(L.uri(src), ['dumpxml', id]);
  expect(live).toMatch(/machine='pc-q35-[0-9.]+'/);
  expect(live).toMatch(/<loader readonly='yes' type='pflash'>\/usr\/share\/OVMF\/OVMF_CODE_4M\.fd<\/loader>/);
  expect(live).toContain(`template='/usr/share/OVMF/OVMF_VARS_4M.fd'>${nvramOf(id)}</nvram>`);
  // The guest's own word: EFI firmware by EDK II (OVMF), the Q35 chipset, and its boot marker.
  await eventually(
    'the guest booted',
    async () => lastHeartbeat(await serialLog(src, id)) >= 2,
    120_000,
    500,
  );
  const boot = await serialLog(src, id);
  expect(boot).toMatch(/efi: EFI v[0-9.]+ by EDK II/);
  expect(boot).toMatch(/DMI: QEMU Standard PC \(Q35 \+ ICH9, 2009\)/);
  expect(boot).toContain('KELPIE-GUEST-READY');
  // OVMF wrote its variables: the file is no longer the template.
  expect((await inHost(src, ['cmp', '-s', '/usr/share/OVMF/OVMF_VARS_4M.fd', nvramOf(id)])).code).toBe(1);
  const vars = (await inHost(src, ['sha256sum', nvramOf(id)])).stdout.split(' ')[0];

  // The cluster model a TCG host cannot run: the target refused, naming the features it lacks.
  expect((await api('PATCH', `/clusters/${clusterId()}`, { cpuModel: 'Skylake-Server' })).status).toBe(200);
  try {
    const targets = (await api('GET', `/vms/${id}/migrate/targets`)).body as MigrationTargets;
    const other = targets.targets.find((o) => o.hostId === L.p.hosts[dst].id)!;
    expect(other.eligible).toBe(false);
    expect(other.problems.join()).toMatch(
      /CPU model Skylake-Server is not usable on this host \(tcg; lacks [a-z0-9_-]+(, [a-z0-9_.-]+)*.*avx512f/,
    );
    const refused = await api('POST', `/vms/${id}/migrate`, { targetHostId: L.p.hosts[dst].id });
    // The target's CPU conflicts with the request (409), naming the field and every missing feature.
    expect(refused.status).toBe(409);
    expect(refused.body).toMatchObject({
      details: [
        { field: 'targetHostId', reason: expect.stringMatching(/^CPU model Skylake-Server .*lacks vme, /) },
        { field: 'targetHostId', reason: expect.stringMatching(/^missing CPU features: vme, .*avx512f/) },
      ],
    });
  } finally {
    expect((await api('PATCH', `/clusters/${clusterId()}`, { cpuModel: null })).status).toBe(200);
  }

  const before = lastHeartbeat(await serialLog(src, id));
  const m = await task('POST', `/vms/${id}/migrate`, { targetHostId: L.p.hosts[dst].id });
  expect({ status: m.status, error: m.errorMessage }).toEqual({ status: 'succeeded', error: null });
  expect((await virsh(L.uri(dst), ['domstate', id])).stdout.trim()).toBe('running');
  expect((await virsh(L.uri(src), ['domstate', id])).code).not.toBe(0);
  // The guest goes on counting on the destination (its serial log there continues the count).
  await eventually(
    'heartbeats on the destination',
    async () => lastHeartbeat(await serialLog(dst, id)) > before + 2,
    60_000,
    500,
  );
  // Its UEFI variables came along; the source's stale copy is gone.
  expect((await inHost(dst, ['sha256sum', nvramOf(id)])).stdout.split(' ')[0]).toBe(vars);
  expect((await inHost(src, ['test', '-e', nvramOf(id)])).code).toBe(1);
  const moved = await virshOrThrow(L.uri(dst), ['dumpxml', '--inactive', id]);
  expect(moved).toContain(`${nvramOf(id)}</nvram>`);

  // Cold settings on a running VM wait for the next start.
  const edit = await api('PATCH', `/vms/${id}`, { machineType: 'pc', firmware: 'bios' });
  expect(edit.status).toBe(200);
  expect((edit.body as Vm).pendingRestart?.fields).toEqual(
    expect.arrayContaining(['machineType', 'firmware']),
  );

  expect((await task('POST', `/vms/${id}/poweroff`)).status).toBe('succeeded');
  // A stop keeps what only a new definition applies.
  expect((await getVm(id)).pendingRestart?.fields).toEqual(
    expect.arrayContaining(['machineType', 'firmware']),
  );

  // Deleted: the domain and its NVRAM leave the host.
  expect((await api('DELETE', `/vms/${id}`)).status).toBeLessThan(300);
  await eventually(
    'the domain and its NVRAM removed',
    async () =>
      (await virsh(L.uri(dst), ['domstate', id])).code !== 0 &&
      (await inHost(dst, ['test', '-e', nvramOf(id)])).code === 1,
    30_000,
    500,
  );
  delete ids.uefi;
});
