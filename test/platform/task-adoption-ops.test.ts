import { GUEST_READY_LINE, runOrThrow, virsh, virshOrThrow } from '@kelpie/lab';
import type { Task } from '@kelpie/shared-types';
import Redis from 'ioredis';
import { existsSync } from 'node:fs';
import { readdir, readFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { CommandJournal, type JournalEntry } from '@kelpie/agent/testing';
import { CommandBus } from '@kelpie/engine/testing';
import { EngineProcess, startEngineProcess } from '../support/engine-process';
import { accepted, waitFinal as waitTask } from '../support/tasks';
import {
  addLabInfrastructure,
  agentStateDir,
  eventually,
  TestPlatform,
  startTestPlatform,
} from '../support/platform';
import { defineTestVm, domblklist, qemuImgInfo, startAndWaitReady, uriOf } from '../vm/support-ks';

/** Crash safety of everyday VM tasks (lab kqa2, two hosts). An engine process running a delete, a
 * snapshot, a disk hot-plug, a power-off, a reset, a clone and the maintenance of h2 (one VM to move) is
 * SIGKILLed once every host step has been sent and done, before it recorded any outcome: the
 * in-process engine adopts the tasks and ends each in the state libvirt shows. Then an agent
 * SIGKILLed mid-`qemu-img commit`. */
const TTL_MS = '4000';
/** Engine A stops for good right after sending each of these steps (KELPIE_TEST_FAILPOINTS). */
const FAILPOINTS = [
  'vm.delete:undefine-sent',
  'vm.snapshot.create:take-sent',
  'vm.attach-disk:attach-sent',
  'vm.poweroff:power-sent',
  'vm.reset:power-sent',
  'vm.clone:cloning-sent',
  'host.maintenance:migrating',
].join(',');
/** The agent's job lock: a killed agent's command is seen stalled (and redelivered) after it. */
const LOCK_MS = 5_000;

let p: TestPlatform;
let infra: { sdId: string; networkId: string };
let a: EngineProcess | undefined;

beforeAll(async () => {
  p = await startTestPlatform({
    labName: 'kqa2',
    subnet: 102,
    hosts: 2,
    engineEnv: { KELPIE_ENGINE_LIVENESS_TTL_MS: TTL_MS },
    agentEnv: { KELPIE_COMMAND_LOCK_MS: String(LOCK_MS) },
  });
  // A lost command result is noticed after seconds here (15 s in production).
  p.engine.app.get(CommandBus).watchdogMs = 3_000;
  infra = await addLabInfrastructure(p);
  for (const h of ['h1', 'h2'])
    await eventually(
      `${h} up`,
      async () =>
        (await p.engine.api<{ status: string }>('GET', `/api/v1/hosts/${p.hosts[h]!.id}`)).body.status ===
        'up',
      60_000,
      250,
    );
}, 240_000);

afterAll(async () => {
  await a?.stop().catch(() => undefined);
  await p?.close();
});

const api = <T>(method: string, path: string, body?: unknown) => p.engine.api<T>(method, path, body);
const uri = () => uriOf(p);

const waitFinal = (id: string, ms = 120_000) => waitTask(api, id, ms);

const reachedPhase = (taskId: string, phase: string) =>
  eventually(
    `task ${taskId} at checkpoint ${phase}`,
    async () =>
      (
        await p.engine.sql<{ phase: string }>(
          `SELECT checkpoint->>'phase' AS phase FROM task WHERE id = $1`,
          [taskId],
        )
      )[0]?.phase === phase,
    60_000,
    100,
  );

/** A VM made through the API on h1 (its disk recorded: a hot-plugged one gets the next target, vdb;
 * a clone records its copy). */
async function created(name: string): Promise<{ id: string }> {
  const task = await accepted(
    api('POST', '/api/v1/vms', {
      name,
      clusterId: p.clusterId,
      hostId: p.hosts.h1!.id,
      vcpus: 1,
      memoryMib: 128,
      disks: [{ sizeGiB: 1, storageDomainId: infra.sdId }],
    }),
  );
  const final = await waitFinal(task.id);
  expect({ status: final.status, error: final.errorMessage }).toEqual({ status: 'succeeded', error: null });
  return { id: task.target!.id };
}

async function createdAndStarted(name: string): Promise<{ id: string }> {
  const vm = await created(name);
  const started = await waitFinal((await accepted(api('POST', `/api/v1/vms/${vm.id}/start`))).id);
  expect({ status: started.status, error: started.errorMessage }).toEqual({
    status: 'succeeded',
    error: null,
  });
  return vm;
}

const domstate = async (id: string) => (await virsh(uri(), ['domstate', id])).stdout.trim();
const adoptedOnce = async (taskId: string) =>
  (await api<{ total: number }>('GET', `/api/v1/events?type=task.adopted&objectId=${taskId}`)).body.total;

it('engine SIGKILLed after sending a delete, a snapshot, a disk hot-plug, a power-off, a reset, a clone and an evacuation: the survivor ends each as libvirt shows', async () => {
  // Prepared side by side: running raw domains (no need for a booted guest: libvirt does each of
  // these steps on its own), an API-made VM (running) for the hot-plug, one (down) for the clone.
  const running = async (name: string, labHost = 'h1') => {
    const g = await defineTestVm(p, name, { labHost });
    await virshOrThrow(uriOf(p, labHost), ['start', g.id]);
    await eventually(
      `${name} up`,
      async () => (await api<{ status: string }>('GET', `/api/v1/vms/${g.id}`)).body.status === 'up',
      30_000,
      200,
    );
    return g;
  };
  // A guest that has booted (its serial log shows it): a reset makes it boot once more.
  const booted = async (name: string) => {
    const g = await defineTestVm(p, name);
    await startAndWaitReady(p, g);
    return g;
  };
  const [del, snap, off, plug, src, evac, reset] = await Promise.all([
    running('kqa-del'),
    running('kqa-snap'),
    running('kqa-off'),
    createdAndStarted('kqa-plug'),
    created('kqa-src'),
    running('kqa-evac', 'h2'),
    booted('kqa-reset'),
  ]);

  a = await startEngineProcess({
    db: p.engine.db,
    redisPrefix: p.engine.config.redisPrefix,
    env: { KELPIE_ENGINE_LIVENESS_TTL_MS: TTL_MS, KELPIE_TEST_FAILPOINTS: FAILPOINTS },
    logFile: join(tmpdir(), `kqa2-engine-a-${process.pid}.log`),
  });
  // First, so that nothing new is placed on h2 (preparing for maintenance): its one VM goes to h1.
  const tMaint = await accepted(a.api('POST', `/api/v1/hosts/${p.hosts.h2!.id}/maintenance`));
  const tDel = await accepted(a.api('DELETE', `/api/v1/vms/${del.id}?force=true`));
  const tSnap = await accepted(
    a.api('POST', `/api/v1/vms/${snap.id}/snapshots`, { name: 'adopted', type: 'external' }),
  );
  const tPlug = await accepted(
    a.api('POST', `/api/v1/vms/${plug.id}/disks`, { sizeGiB: 1, storageDomainId: infra.sdId }),
  );
  const tOff = await accepted(a.api('POST', `/api/v1/vms/${off.id}/poweroff`));
  const tReset = await accepted(a.api('POST', `/api/v1/vms/${reset.id}/reset`));
  const tClone = await accepted(a.api('POST', `/api/v1/vms/${src.id}/clone`, { name: 'kqa-copy' }));
  const copyId = tClone.target!.id;

  await reachedPhase(tDel.id, 'undefine-sent');
  await reachedPhase(tSnap.id, 'take-sent');
  await reachedPhase(tPlug.id, 'attach-sent');
  await reachedPhase(tOff.id, 'power-sent');
  await reachedPhase(tReset.id, 'power-sent');
  await reachedPhase(tClone.id, 'cloning-sent');
  await reachedPhase(tMaint.id, 'migrating');
  // Every host step done (libvirt shows it), none recorded by engine A.
  await eventually(
    'delete undefined on the host',
    async () => (await virsh(uri(), ['dominfo', del.id])).code !== 0,
    30_000,
    200,
  );
  await eventually(
    'snapshot taken on the host',
    async () => (await virshOrThrow(uri(), ['snapshot-list', '--name', snap.id])).trim() !== '',
    30_000,
    200,
  );
  await eventually(
    'disk attached on the host',
    async () => (await domblklist(p, plug.id)).some((r) => r[2] === 'vdb'),
    30_000,
    200,
  );
  await eventually(
    'powered off on the host',
    async () => (await domstate(off.id)) === 'shut off',
    30_000,
    200,
  );
  await eventually(
    'clone defined on the host',
    async () => (await virsh(uri(), ['dominfo', copyId])).code === 0,
    60_000,
    200,
  );
  expect((await api<Task>('GET', `/api/v1/tasks/${tSnap.id}`)).body.status).toBe('running');
  await a.kill();

  const [fDel, fSnap, fPlug, fOff, fClone, fMaint, fReset] = await Promise.all(
    [tDel, tSnap, tPlug, tOff, tClone, tMaint, tReset].map((t) => waitFinal(t.id)),
  );
  for (const f of [fDel, fSnap, fPlug, fOff, fClone, fMaint, fReset]) {
    expect({ type: f.type, status: f.status, error: f.errorMessage }).toEqual({
      type: f.type,
      status: 'succeeded',
      error: null,
    });
    expect(await adoptedOnce(f.id)).toBe(1);
  }
  // delete: libvirt has no domain, the engine no VM.
  expect((await virsh(uri(), ['dominfo', del.id])).code).not.toBe(0);
  expect((await api('GET', `/api/v1/vms/${del.id}`)).status).toBe(404);
  // snapshot: recorded as the host took it (its overlay is the domain's disk now).
  const snapId = (fSnap.result as { snapshotId: string }).snapshotId;
  expect((await virshOrThrow(uri(), ['snapshot-list', '--name', snap.id])).trim()).toBe(snapId);
  const [row] = await p.engine.sql<{ name: string; type: string }>(
    `SELECT name, type FROM snapshot WHERE id = $1`,
    [snapId],
  );
  expect(row).toEqual({ name: 'adopted', type: 'external' });
  // hot-plug: the disk record names the volume libvirt has attached at vdb.
  const [plugged] = await p.engine.sql<{ volume_path: string; provisioned_at: Date | null }>(
    `SELECT volume_path, provisioned_at FROM disk WHERE vm_id = $1 AND target_dev = 'vdb'`,
    [plug.id],
  );
  expect(plugged!.provisioned_at).not.toBeNull();
  expect((await domblklist(p, plug.id)).find((r) => r[2] === 'vdb')![3]).toBe(plugged!.volume_path);
  expect(existsSync(plugged!.volume_path)).toBe(true);
  // power-off: libvirt and the engine say down.
  expect(await domstate(off.id)).toBe('shut off');
  expect((await api<{ status: string }>('GET', `/api/v1/vms/${off.id}`)).body.status).toBe('down');
  // clone: the copy is a VM on the host, with its own disk recorded.
  const copy = (await api<{ hostId: string }>('GET', `/api/v1/vms/${copyId}`)).body;
  expect(copy.hostId).toBe(p.hosts.h1!.id);
  const copyDisks = await p.engine.sql<{ volume_path: string }>(
    `SELECT volume_path FROM disk WHERE vm_id = $1`,
    [copyId],
  );
  expect(copyDisks).toHaveLength(1);
  expect((await domblklist(p, copyId)).find((r) => r[2] === 'vda')![3]).toBe(copyDisks[0]!.volume_path);
  // reset: the job's outcome (kept by Redis/the journal) says it was done; the guest booted again.
  await eventually('the guest booted a second time', async () => (await bootsOf(reset)) === 2, 60_000, 250);
  expect(await domstate(reset.id)).toBe('running');
  // maintenance: the evacuation settled from the hosts; h2 runs nothing, h1 runs its VM, once.
  const h2 = p.hosts.h2!.id;
  expect((await api<{ status: string }>('GET', `/api/v1/hosts/${h2}`)).body.status).toBe('maintenance');
  expect(fMaint.result).toMatchObject({ hostId: h2, migrated: [{ vmId: evac.id }], failed: [] });
  expect((await virshOrThrow(uriOf(p, 'h2'), ['list', '--name'])).trim()).toBe('');
  expect(await domstate(evac.id)).toBe('running');
  expect((await api<{ hostId: string }>('GET', `/api/v1/vms/${evac.id}`)).body.hostId).toBe(p.hosts.h1!.id);
  expect((await api('POST', `/api/v1/hosts/${h2}/activate`)).status).toBe(200);
}, 300_000);

it('the agent SIGKILLed mid-`qemu-img commit`: the merge is not run again, the task fails saying the snapshot is still there, the chain stays consistent; deleting again merges every byte', async () => {
  const g = await defineTestVm(p, 'kqa-merge', { diskSize: '2G' });
  const taken = await accepted(
    api('POST', `/api/v1/vms/${g.id}/snapshots`, { name: 'big', type: 'external' }),
  );
  const t = await waitFinal(taken.id);
  expect(t.status).toBe('succeeded');
  const { snapshotId, overlays } = t.result as { snapshotId: string; overlays: { path: string }[] };
  const overlay = overlays[0]!.path;
  // A dirty overlay (real data, not zeroes) big enough that the offline merge takes a few seconds
  // even from the page cache: 480 MiB merged in well under a second on a quiet machine.
  await runOrThrow('qemu-io', ['-f', 'qcow2', '-c', 'write -P 0x5a 0 1900M', overlay]);

  const journal = new CommandJournal(join(agentStateDir(p.lab, 'h1'), 'journal', p.hosts.h1!.id));
  const before = new Set(await readdir(journal.dir).catch(() => []));
  const del = await accepted(api('DELETE', `/api/v1/vms/${g.id}/snapshots/${snapshotId}`));
  const started = await eventually(
    'the delete journaled as started',
    async () => {
      for (const f of await readdir(journal.dir)) {
        if (before.has(f) || !f.endsWith('.json')) continue;
        const e = JSON.parse(await readFile(join(journal.dir, f), 'utf8')) as JournalEntry;
        if (e.command === 'vm.snapshot.delete') return e;
      }
      return undefined;
    },
    30_000,
    5,
  );
  // Killed while qemu-img commits the overlay into the base.
  await eventually('qemu-img commit running', () => commitRunning(overlay), 30_000, 5);
  await p.lab.killAgent('h1');
  await p.startAgent('h1');

  const final = await waitFinal(del.id, 180_000);
  console.log(`agent killed mid-commit: task ${final.status}: ${final.errorMessage}`);
  expect(final.status).toBe('failed');
  expect(final.errorMessage).toMatch(/still lists snapshot big: it was not deleted.*delete it again/);
  // Not run again: the redelivered job was answered from the journal, which still says `started`.
  const failedReason = await eventually(
    'the redelivered delete answered',
    () =>
      hget(`${p.engine.config.redisPrefix}:host-${p.hosts.h1!.id}-commands:${started.jobId}`, 'failedReason'),
    60_000,
    500,
  );
  expect(failedReason).toMatch(/"code":"outcome_unknown"/);
  expect(await journal.get(started.jobId)).toMatchObject({ state: 'started', command: 'vm.snapshot.delete' });
  // The snapshot and its record stay; the domain still runs on the overlay, whose chain is whole.
  await eventually('no qemu-img commit left', async () => !(await commitRunning(overlay)), 60_000, 200);
  expect((await virshOrThrow(uri(), ['snapshot-list', '--name', g.id])).trim()).toBe(snapshotId);
  expect(await p.engine.sql(`SELECT id FROM snapshot WHERE id = $1`, [snapshotId])).toHaveLength(1);
  expect((await domblklist(p, g.id)).find((r) => r[2] === 'vda')![3]).toBe(overlay);
  const chain = JSON.parse(
    await runOrThrow('qemu-img', ['info', '-U', '--backing-chain', '--output=json', overlay]),
  ) as { filename: string; 'backing-filename'?: string }[];
  expect(chain.map((c) => c.filename)).toEqual([overlay, g.disk]);
  await runOrThrow('qemu-img', ['check', '-q', overlay]);
  await runOrThrow('qemu-img', ['check', '-q', g.disk]);

  // Deleting again merges it: the base alone holds the data written to the overlay.
  const again = await waitFinal(
    (await accepted(api('DELETE', `/api/v1/vms/${g.id}/snapshots/${snapshotId}`))).id,
  );
  expect(again.status).toBe('succeeded');
  expect((await domblklist(p, g.id)).find((r) => r[2] === 'vda')![3]).toBe(g.disk);
  expect(existsSync(overlay)).toBe(false);
  expect((await qemuImgInfo(g.disk))['backing-filename']).toBeUndefined();
  const read = await runOrThrow('qemu-io', ['-f', 'qcow2', '-r', '-c', 'read -P 0x5a 0 1900M', g.disk]);
  expect(read).not.toMatch(/Pattern verification failed/);
}, 360_000);

/** How many times the guest reached its ready line (each boot prints it once to the serial log). */
async function bootsOf(g: { serialLog: string }): Promise<number> {
  return (await readFile(g.serialLog, 'utf8').catch(() => '')).split(GUEST_READY_LINE).length - 1;
}

/** A `qemu-img commit` of `overlay` is running (any namespace of this machine's PID space). */
async function commitRunning(overlay: string): Promise<boolean> {
  for (const pid of await readdir('/proc')) {
    if (!/^\d+$/.test(pid)) continue;
    const cmd = await readFile(`/proc/${pid}/cmdline`, 'utf8').catch(() => '');
    const args = cmd.split('\0');
    if (args[0]?.endsWith('qemu-img') && args.includes('commit') && args.includes(overlay)) return true;
  }
  return false;
}

/** One field of a BullMQ job hash (read-only, on the test's Redis). */
async function hget(key: string, field: string): Promise<string | null> {
  const r = new Redis(process.env.KELPIE_TEST_REDIS_URL ?? 'redis://127.0.0.1:6379', { lazyConnect: true });
  try {
    await r.connect();
    return await r.hget(key, field);
  } finally {
    r.disconnect();
  }
}
