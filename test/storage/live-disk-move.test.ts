import { virsh, virshOrThrow } from '@kelpie/lab';
import { StorageDomain, Task } from '@kelpie/shared-types';
import { execFileSync } from 'node:child_process';
import { existsSync, mkdirSync, readdirSync, statSync } from 'node:fs';
import { readdir, readFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { CommandBus } from '@kelpie/engine/testing';
import { EngineProcess, startEngineProcess } from '../support/engine-process';
import { eventually } from '../support/platform';
import { accepted } from '../support/tasks';
import { TgtTarget } from '../support/tgt';
import { startVmLab, VmLab } from '../vm/lifecycle-support';
import { labApi } from './lab-api';
import { lunHeartbeat, testVmBody } from './network-storage-kit';

/**
 * Moving a running VM's disk between two dir domains (lab kdm1, 1 host): the real test guest keeps
 * writing its heartbeat to sector 0 of its raw disk while `blockcopy` mirrors it into the target
 * domain and the domain pivots; the domain XML then reads the new volume, the old one is gone. A
 * cancelled move leaves the VM on its source and nothing of the copy behind. A move whose engine or
 * agent is killed mid-copy is settled from the host and ends on the new volume. New disks go only to
 * active domains, and two VMs created at once on an iscsi domain never get the same LUN.
 */
/** Engine liveness TTL and agent job lock: a killed engine's task is adopted, a killed agent's
 * command redelivered, within seconds. */
const TTL_MS = '4000';
const LOCK_MS = '5000';
let lab: VmLab;
let a: StorageDomain;
let b: StorageDomain;
let vmId: string;
let tgt: TgtTarget | undefined;
let engineA: EngineProcess | undefined;
const { api, get, succeeded } = labApi(() => lab);

interface Disk {
  id: string;
  storageDomainId: string;
  volumePath: string;
}

async function dirDomain(name: string): Promise<StorageDomain> {
  const dir = join(lab.p.labStatus.sharedDir, `kdm1-${name}`);
  mkdirSync(dir, { recursive: true });
  const sd = (
    await api('POST', '/storage-domains', { name, datacenterId: lab.p.datacenterId, type: 'dir', path: dir })
  ).body as StorageDomain;
  await succeeded('POST', `/storage-domains/${sd.id}/attach`);
  await succeeded('POST', `/storage-domains/${sd.id}/activate`);
  return sd;
}

/** The source of the VM's vda as libvirt runs it. */
const vdaSource = async () =>
  /\sdisk\s+vda\s+(\S+)/.exec(await virshOrThrow(lab.uri('h1'), ['domblklist', vmId, '--details']))?.[1];
const diskOfVm = async () => (await get<{ items: Disk[] }>(`/disks?vmId=${vmId}`)).items[0]!;

/** Starts a move and follows its task, recording every progress value seen on the way. */
async function followMove(diskId: string, body: object, onProgress?: (t: Task) => Promise<void>) {
  const res = await api('POST', `/disks/${diskId}/move`, body);
  expect(res.status).toBe(202);
  const seen: number[] = [];
  for (;;) {
    const t = await get<Task>(`/tasks/${(res.body as Task).id}`);
    seen.push(t.progress);
    if (!['queued', 'running'].includes(t.status)) return { task: t, seen };
    await onProgress?.(t);
    await new Promise((r) => setTimeout(r, 250));
  }
}

beforeAll(async () => {
  lab = await startVmLab({
    labName: 'kdm1',
    subnet: 194,
    hosts: 1,
    engineEnv: { KELPIE_ENGINE_LIVENESS_TTL_MS: TTL_MS },
    agentEnv: { KELPIE_COMMAND_LOCK_MS: LOCK_MS },
  });
  // A lost command result is noticed after seconds here (15 s in production).
  lab.p.engine.app.get(CommandBus).watchdogMs = 3_000;
  a = await dirDomain('move-a');
  b = await dirDomain('move-b');
  const body = testVmBody(lab, 'kdm1-vm', a.id);
  const t = await succeeded('POST', '/vms', {
    ...body,
    disks: [{ sizeGiB: 1, storageDomainId: a.id, format: 'raw' }],
  });
  vmId = t.target!.id;
  const disk = await diskOfVm();
  await succeeded('POST', `/vms/${vmId}/start`);
  await eventually('the guest writes heartbeats', async () => lunHeartbeat(disk.volumePath) > 0, 60_000, 500);
}, 240_000);

afterAll(async () => {
  await engineA?.stop().catch(() => undefined);
  await tgt?.remove();
  await lab?.close();
});

describe('file domains and new disks', () => {
  it('the lab’s shared domain is active: its own pool took the directory over from kelpie-shared', async () => {
    expect((await get<StorageDomain>(`/storage-domains/${lab.sdId}`)).status).toBe('active');
    expect(await virshOrThrow(lab.uri('h1'), ['pool-info', `kelpie-${lab.sdId}`])).toMatch(
      /State:\s+running/,
    );
    expect((await virsh(lab.uri('h1'), ['pool-info', 'kelpie-shared'])).code).not.toBe(0);
  });

  it('a detached dir domain takes no new disk, alone or with a new VM (409 naming it), nothing written', async () => {
    const dir = join(lab.p.labStatus.sharedDir, 'kdm1-detached');
    mkdirSync(dir, { recursive: true });
    const sd = (
      await api('POST', '/storage-domains', {
        name: 'loose',
        datacenterId: lab.p.datacenterId,
        type: 'dir',
        path: dir,
      })
    ).body as StorageDomain;
    const disks = (await get<{ total: number }>('/disks')).total;
    const alone = await api('POST', '/disks', {
      name: 'd',
      storageDomainId: sd.id,
      virtualSizeBytes: 1024 ** 2,
    });
    expect(alone.status).toBe(409);
    expect(alone.body.message).toContain('loose');
    expect(alone.body.details).toEqual([expect.objectContaining({ field: 'storageDomainId' })]);
    const withVm = await api('POST', '/vms', testVmBody(lab, 'kdm1-loose', sd.id));
    expect(withVm.status).toBe(409);
    expect(withVm.body.details).toEqual([expect.objectContaining({ field: 'disks[0].storageDomainId' })]);
    expect((await get<{ total: number }>('/disks')).total).toBe(disks);
    expect(JSON.stringify(await get('/vms'))).not.toContain('kdm1-loose');
    expect(readdirSync(dir)).toEqual([]);
  });
});

describe('a running VM’s disk', () => {
  it('moves live to another dir domain: pivoted, old volume gone, the guest still writing', async () => {
    const before = await diskOfVm();
    expect(await vdaSource()).toBe(before.volumePath);
    const { task: t, seen } = await followMove(before.id, { storageDomainId: b.id, bandwidthMiBps: 128 });
    expect(t).toMatchObject({ type: 'disk.move', status: 'succeeded', progress: 100 });
    expect(t.result).toMatchObject({ live: true, from: a.id, to: b.id });
    // Progress from the block job on the way (the limit applies to the whole GiB, zeroes too: ~8 s).
    expect(seen.some((p) => p > 10 && p < 90)).toBe(true);

    const after = await diskOfVm();
    const target = join(lab.p.labStatus.sharedDir, 'kdm1-move-b', `${before.id}.img`);
    expect(after).toMatchObject({ storageDomainId: b.id, volumePath: target });
    expect(await vdaSource()).toBe(target);
    // The persistent definition follows too: a restart reads the new volume.
    expect(await virshOrThrow(lab.uri('h1'), ['dumpxml', '--inactive', vmId])).toContain(`file='${target}'`);
    expect((await virshOrThrow(lab.uri('h1'), ['domstate', vmId])).trim()).toBe('running');
    const info = JSON.parse(
      execFileSync('qemu-img', ['info', '-U', '--output=json', target], { encoding: 'utf8' }),
    ) as { format: string; 'virtual-size': number };
    expect(info).toMatchObject({ format: 'raw', 'virtual-size': 1024 ** 3 });
    expect(existsSync(before.volumePath)).toBe(false);
    const beat = lunHeartbeat(target);
    await eventually(
      'the guest keeps writing to the new volume',
      async () => lunHeartbeat(target) > beat + 2,
      30_000,
      500,
    );
  });

  it('cancelled while copying stays on its source, the partial copy deleted', async () => {
    const disk = await diskOfVm();
    let cancelled = false;
    // 1 GiB at 16 MiB/s: cancelled once the block job reported progress, long before the pivot.
    const { task: t } = await followMove(
      disk.id,
      { storageDomainId: a.id, bandwidthMiBps: 16 },
      async (task) => {
        if (cancelled || task.progress <= 10) return;
        cancelled = true;
        expect((await api('POST', `/tasks/${task.id}/cancel`)).status).toBe(202);
      },
    );
    expect(t.status).toBe('cancelled');
    expect(t.errorMessage).toMatch(/disk move cancelled/);
    expect(await vdaSource()).toBe(disk.volumePath);
    expect((await get<Disk>(`/disks/${disk.id}`)).storageDomainId).toBe(b.id);
    expect(existsSync(join(lab.p.labStatus.sharedDir, 'kdm1-move-a', `${disk.id}.img`))).toBe(false);
    expect((await virsh(lab.uri('h1'), ['blockjob', vmId, 'vda', '--info'])).stdout).not.toMatch(/Copy/);
  });

  it('is a 400 to its own domain', async () => {
    const disk = await diskOfVm();
    const same = await api('POST', `/disks/${disk.id}/move`, { storageDomainId: disk.storageDomainId });
    expect(same.status).toBe(400);
    expect(same.body.details).toEqual([expect.objectContaining({ field: 'storageDomainId' })]);
  });
});

/** A copy job runs on vda and has copied something (the move is mid-copy, far from its pivot). */
const copying = () =>
  eventually(
    'the block copy under way',
    async () => {
      const out = (await virsh(lab.uri('h1'), ['blockjob', vmId, 'vda', '--raw'])).stdout;
      const cur = Number(/\bcur=(\d+)/.exec(out)?.[1] ?? 0);
      return cur > 0 && cur < 1024 ** 3 / 2;
    },
    60_000,
    100,
  );

/** The disk's record, libvirt's live and persistent definitions all read the volume in `domain`;
 * the other volume is gone and no block job is left. */
async function settledOn(diskId: string, domain: StorageDomain, dir: string, oldPath: string) {
  const target = join(lab.p.labStatus.sharedDir, dir, `${diskId}.img`);
  expect(await get<Disk>(`/disks/${diskId}`)).toMatchObject({
    storageDomainId: domain.id,
    volumePath: target,
  });
  expect(await vdaSource()).toBe(target);
  expect(await virshOrThrow(lab.uri('h1'), ['dumpxml', '--inactive', vmId])).toContain(`file='${target}'`);
  expect(existsSync(oldPath)).toBe(false);
  expect((await virsh(lab.uri('h1'), ['blockjob', vmId, 'vda', '--info'])).stdout).not.toMatch(/Copy/);
  expect((await virshOrThrow(lab.uri('h1'), ['domstate', vmId])).trim()).toBe('running');
}

describe('a live move across restarts', () => {
  it('its engine SIGKILLed mid-copy: the restarted engine re-attaches to the copy and the record ends on the new volume', async () => {
    const disk = await diskOfVm();
    engineA = await startEngineProcess({
      db: lab.p.engine.db,
      redisPrefix: lab.p.engine.config.redisPrefix,
      // Engine A's task stops for good once the copy is sent: only the host goes on.
      env: { KELPIE_ENGINE_LIVENESS_TTL_MS: TTL_MS, KELPIE_TEST_FAILPOINTS: 'disk.move:live-move-sent' },
      logFile: join(tmpdir(), `kdm1-engine-a-${process.pid}.log`),
    });
    const t = await accepted(
      engineA.api('POST', `/api/v1/disks/${disk.id}/move`, { storageDomainId: a.id, bandwidthMiBps: 128 }),
    );
    await copying();
    expect(await vdaSource()).toBe(disk.volumePath);
    await engineA.kill();
    engineA = undefined;

    const final = await lab.waitTask(t, 120_000);
    expect({ status: final.status, error: final.errorMessage }).toEqual({ status: 'succeeded', error: null });
    expect(final.result).toMatchObject({ live: true, from: b.id, to: a.id });
    expect((await get<{ total: number }>(`/events?type=task.adopted&objectId=${t.id}`)).total).toBe(1);
    await settledOn(disk.id, a, 'kdm1-move-a', disk.volumePath);
  }, 180_000);

  it('its agent killed mid-copy with the virsh waiting to pivot (a service restart): the redelivered command takes the copy over and pivots', async () => {
    const disk = await diskOfVm();
    const t = await accepted(
      api('POST', `/disks/${disk.id}/move`, { storageDomainId: b.id, bandwidthMiBps: 128 }),
    );
    await copying();
    // The volume QEMU mirrors into: taken over, not deleted and copied again.
    const copyInode = statSync(join(lab.p.labStatus.sharedDir, 'kdm1-move-b', `${disk.id}.img`)).ino;
    // What a restart of the agent's service does: the agent and its children go, QEMU's job stays.
    await lab.p.lab.killAgent('h1');
    for (const pid of await blockcopyPids()) process.kill(Number(pid), 'SIGKILL');
    expect(await vdaSource()).toBe(disk.volumePath);
    await lab.p.startAgent('h1');

    const final = await lab.waitTask(t, 120_000);
    expect({ status: final.status, error: final.errorMessage }).toEqual({ status: 'succeeded', error: null });
    await settledOn(disk.id, b, 'kdm1-move-b', disk.volumePath);
    expect(statSync(join(lab.p.labStatus.sharedDir, 'kdm1-move-b', `${disk.id}.img`)).ino).toBe(copyInode);
  }, 180_000);
});

/** The `virsh blockcopy` processes of the test VM (lab hosts share the machine's pid space). */
async function blockcopyPids(): Promise<string[]> {
  const pids: string[] = [];
  for (const pid of await readdir('/proc')) {
    if (!/^\d+$/.test(pid)) continue;
    const args = (await readFile(`/proc/${pid}/cmdline`, 'utf8').catch(() => '')).split('\0');
    if (args[0]?.endsWith('virsh') && args.includes('blockcopy') && args.includes(vmId)) pids.push(pid);
  }
  return pids;
}

describe('disks on LUNs', () => {
  it('two VMs created at once on an iscsi domain take two different LUNs (never the same one)', async () => {
    const iqn = 'iqn.2026-12.org.kelpie.test:kdm1';
    tgt = new TgtTarget({
      address: lab.p.labStatus.bridgeIp,
      controlPort: 194,
      iqn,
      // Two equal LUNs: both creations pick LUN 1 first (smallest, then lowest name).
      lunBytes: [2 * 1024 ** 3, 2 * 1024 ** 3],
      dir: join(lab.p.labStatus.sharedDir, 'kdm1-tgt'),
    });
    await tgt.start();
    const san = (
      await api('POST', '/storage-domains', {
        name: 'san-kdm1',
        datacenterId: lab.p.datacenterId,
        type: 'iscsi',
        connection: { portal: tgt.portal, target: iqn },
      })
    ).body as StorageDomain;
    await succeeded('POST', `/storage-domains/${san.id}/attach`);
    await succeeded('POST', `/storage-domains/${san.id}/activate`);
    const started = await Promise.all(
      ['kdm1-lun-a', 'kdm1-lun-b'].map((name) => api('POST', '/vms', testVmBody(lab, name, san.id))),
    );
    const tasks = await Promise.all(started.map((r) => lab.waitTask(r.body as Task)));
    expect(tasks.map((t) => `${t.status} ${t.errorMessage ?? ''}`.trim())).toEqual([
      'succeeded',
      'succeeded',
    ]);
    const paths = await Promise.all(
      tasks.map(
        async (t) => (await get<{ items: Disk[] }>(`/disks?vmId=${t.target!.id}`)).items[0]!.volumePath,
      ),
    );
    expect(paths.map((p) => p.slice(p.lastIndexOf('/') + 1)).sort()).toEqual(['unit:0:0:1', 'unit:0:0:2']);
  });
});
