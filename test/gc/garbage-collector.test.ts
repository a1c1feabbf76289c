import { runOrThrow, virshOrThrow } from '@kelpie/lab';
import { KELPIE_VM_XMLNS, type GcReport, type Task } from '@kelpie/shared-types';
import { randomUUID } from 'node:crypto';
import { writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { startVmLab, V1, VmLab } from '../vm/lifecycle-support';
import { eventually } from '../support/platform';

const GRACE_MS = 10_000;
const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

/** Orphans made as a crash would leave them: Kelpie's names and metadata, no database rows. */
describe('garbage collector of orphan volumes and domains (lab kqe1)', () => {
  let L: VmLab;
  let shared: string;
  let uri: string;

  const virsh = (args: string[]) => virshOrThrow(uri, args);
  /** Volume names libvirt sees in the pool serving the shared directory (after a refresh). */
  const volumes = async () => {
    const pool = (await virsh(['pool-list', '--name']))
      .split('\n')
      .map((l) => l.trim())
      .find(Boolean)!;
    await virsh(['pool-refresh', '--pool', pool]);
    return (await virsh(['vol-list', '--pool', pool])).split('\n').map((l) => l.trim().split(/\s+/)[0]);
  };
  /** POST /vms of a 96 MiB VM with one 1 GiB disk on h1; answers its finished create task. */
  const createVm = async (name: string, extra: Record<string, unknown> = {}) => {
    const res = await L.p.engine.api('POST', `${V1}/vms`, {
      name,
      clusterId: L.p.clusterId,
      hostId: L.p.hosts.h1.id,
      memoryMib: 96,
      disks: [{ sizeGiB: 1, storageDomainId: L.sdId }],
      ...extra,
    });
    expect(res.status).toBe(202);
    return L.waitTask(res.body as Task);
  };
  /** A domain with Kelpie's metadata and no VM row, as a create or delete that died half-way leaves it. */
  const defineLeftoverDomain = async (name: string) => {
    const uuid = randomUUID();
    const xmlFile = join(shared, `${name}.xml`);
    await writeFile(
      xmlFile,
      `<domain type='qemu'><name>${name}</name><uuid>${uuid}</uuid>` +
        `<memory unit='MiB'>64</memory><vcpu>1</vcpu><os><type arch='x86_64' machine='pc'>hvm</type></os>` +
        `<metadata><kelpie:vm xmlns:kelpie="${KELPIE_VM_XMLNS}" id="${uuid}"/></metadata></domain>`,
    );
    await virsh(['define', '--file', xmlFile]);
    return uuid;
  };
  const domains = async () => (await virsh(['list', '--all', '--uuid'])).split('\n').map((l) => l.trim());

  beforeAll(async () => {
    L = await startVmLab({
      labName: 'kqe1',
      subnet: 117,
      hosts: 2,
      engineEnv: { KELPIE_GC_GRACE_MS: String(GRACE_MS), KELPIE_GC_INTERVAL_MS: '0' },
    });
    shared = L.p.labStatus.sharedDir;
    uri = L.uri('h1');
  }, 180_000);
  afterAll(async () => L?.close());

  it('a create libvirt refuses after its volume was made leaves no volume, domain or record behind', async () => {
    // A leftover domain of Kelpie's (its metadata, no VM row: not shown as external) holds the name:
    // libvirt refuses the define ("already exists with uuid"), after the disk's volume exists.
    const squatter = await defineLeftoverDomain('gc-clash');
    const before = await volumes();
    const task = await createVm('gc-clash');
    expect(task.status).toBe('failed');
    expect(task.errorMessage).toMatch(/already exists/);
    // The volume was made (the task's steps say so) and removed again by the create's rollback.
    expect(task.steps).toEqual(
      expect.arrayContaining([expect.objectContaining({ name: 'volumes', status: 'done' })]),
    );
    expect(await volumes()).toEqual(before);
    expect(await domains()).not.toContain(task.target!.id);
    expect(await L.p.engine.sql(`SELECT id FROM vm WHERE id = $1`, [task.target!.id])).toEqual([]);
    await virsh(['undefine', squatter]);
  }, 120_000);

  it('a create the scheduler refuses leaves no volume, domain or record behind', async () => {
    const before = await volumes();
    const task = await createVm('gc-doomed', { vcpus: 300 });
    expect(task.status).toBe('failed');
    expect(task.errorMessage).toMatch(/vCPUs/);
    expect(await volumes()).toEqual(before);
    expect(await domains()).not.toContain(task.target!.id);
    expect(await L.p.engine.sql(`SELECT id FROM vm WHERE id = $1`, [task.target!.id])).toEqual([]);
  }, 120_000);

  it('removes old orphans (audited), keeps young ones and every volume and domain a VM has', async () => {
    // A real VM: its volume and domain must survive every run.
    const created = await createVm('gc-real');
    expect(created.status).toBe('succeeded');
    const vmId = created.target!.id;
    const [realDisk] = await L.p.engine.sql<{ id: string; volume_path: string }>(
      `SELECT id, volume_path FROM disk WHERE vm_id = $1`,
      [vmId],
    );

    const oldVolume = `${randomUUID()}.qcow2`;
    await runOrThrow('qemu-img', ['create', '-q', '-f', 'qcow2', join(shared, oldVolume), '1M']);
    const orphanDomain = await defineLeftoverDomain('kelpie-orphan');
    await sleep(GRACE_MS + 1000);
    const youngVolume = `${randomUUID()}.img`;
    await runOrThrow('qemu-img', ['create', '-q', '-f', 'raw', join(shared, youngVolume), '1M']);
    expect(await volumes()).toEqual(expect.arrayContaining([oldVolume, youngVolume, `${realDisk.id}.qcow2`]));
    expect(await domains()).toEqual(expect.arrayContaining([orphanDomain, vmId]));

    // Dry run: names what a run would do, removes nothing.
    const dry = await L.p.engine.api('GET', `${V1}/gc/orphans`);
    expect(dry.status).toBe(200);
    const [dryHost] = (dry.body as GcReport).hosts;
    expect(dryHost.volumes.map((v) => [v.name, v.due, v.removed]).sort()).toEqual(
      [
        [oldVolume, true, false],
        [youngVolume, false, false],
      ].sort(),
    );
    expect(dryHost.domains).toEqual([
      expect.objectContaining({ uuid: orphanDomain, due: true, removed: false }),
    ]);
    expect(await volumes()).toEqual(expect.arrayContaining([oldVolume, youngVolume]));
    expect(await domains()).toContain(orphanDomain);

    const res = await L.p.engine.api('POST', `${V1}/gc/run`);
    expect(res.status).toBe(200);
    const [host] = (res.body as GcReport).hosts;
    expect(host.volumes.find((v) => v.name === oldVolume)).toMatchObject({ removed: true });
    expect(host.domains).toEqual([expect.objectContaining({ uuid: orphanDomain, removed: true })]);

    // libvirt agrees: the old orphans are gone, the young one and the VM's own are there.
    const left = await volumes();
    expect(left).not.toContain(oldVolume);
    expect(left).toEqual(expect.arrayContaining([youngVolume, `${realDisk.id}.qcow2`]));
    const defined = await domains();
    expect(defined).not.toContain(orphanDomain);
    expect(defined).toContain(vmId);
    // The orphan domain was never taken for an external VM.
    expect(await L.p.engine.sql(`SELECT id FROM vm WHERE id = $1`, [orphanDomain])).toEqual([]);

    const audit = async (type: string) =>
      ((await L.p.engine.api('GET', `${V1}/events?type=${type}`)).body as { items: { message: string }[] })
        .items;
    expect((await audit('gc.volume_removed')).map((e) => e.message)).toEqual([
      expect.stringContaining(join(shared, oldVolume)),
    ]);
    expect((await audit('gc.domain_removed')).map((e) => e.message)).toEqual([
      expect.stringContaining(orphanDomain),
    ]);
  }, 240_000);

  it('undefines a stopped copy of a VM that runs on another host as soon as that host reports it, keeping the disks', async () => {
    const created = await createVm('gc-twice');
    expect(created.status).toBe('succeeded');
    const vmId = created.target!.id;
    const start = await L.p.engine.api('POST', `${V1}/vms/${vmId}/start`);
    expect(start.status).toBe(202);
    expect((await L.waitTask(start.body as Task)).status).toBe('succeeded');
    // h2 keeps a definition of it, as a host fenced while the VM ran there and restarted on h1 would,
    // or a migration's source whose libvirtd died before it could undefine the VM.
    const xmlFile = join(shared, 'gc-twice.xml');
    await writeFile(xmlFile, await virsh(['dumpxml', '--inactive', vmId]));
    const uri2 = L.uri('h2');
    const [disk] = await L.p.engine.sql<{ volume_path: string }>(
      `SELECT volume_path FROM disk WHERE vm_id = $1`,
      [vmId],
    );
    const definedOnH2 = async () =>
      (await virshOrThrow(uri2, ['list', '--all', '--uuid']))
        .split('\n')
        .map((l) => l.trim())
        .includes(vmId);
    await virshOrThrow(uri2, ['define', '--file', xmlFile]);

    // No garbage collection runs here (interval 0): h2's report of the copy is enough.
    await eventually(
      'the stale copy gone from h2',
      async () => ((await definedOnH2()) ? undefined : true),
      60_000,
      250,
    );
    // libvirt: still running on h1, its disk untouched; the record unchanged.
    expect((await virsh(['domstate', vmId])).trim()).toBe('running');
    await runOrThrow('qemu-img', ['info', '-U', disk!.volume_path]);
    const vm = (await L.p.engine.api('GET', `${V1}/vms/${vmId}`)).body as { status: string; hostId: string };
    expect(vm).toMatchObject({ status: 'up', hostId: L.p.hosts.h1.id });
    const audit = (await L.p.engine.api('GET', `${V1}/events?objectId=${vmId}`)).body as {
      items: { type: string; message: string }[];
    };
    expect(audit.items.filter((e) => e.type === 'gc.domain_removed').map((e) => e.message)).toEqual([
      expect.stringMatching(
        /^undefined a stale copy of VM gc-twice .* on host .*-h2: the VM runs on .*-h1; its disks were kept$/,
      ),
    ]);
  }, 180_000);
});
