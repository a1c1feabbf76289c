import { runOrThrow, virsh } from '@kelpie/lab';
import type { Task } from '@kelpie/shared-types';
import { VmStatus } from '@kelpie/shared-types';
import { readdir, readFile, stat } from 'node:fs/promises';
import { dirname, join } from 'node:path';
import { CommandJournal, type JournalEntry } from '@kelpie/agent/testing';
import { CommandBus } from '@kelpie/engine/testing';
import { MigrationKit, type StartedGuest } from '../migration/migration-kit';
import { agentStateDir, eventually } from '../support/platform';
import { PrivateRedis } from '../support/private-redis';
import { defineTestVm } from '../vm/support-ks';

/** Commands whose result is lost, and commands delivered twice, against the real stack: lab `kqc1`
 * (2 hosts), the engine and agents on a PRIVATE Redis (restarted and flushed here, never the shared
 * one). Slow migrations (bandwidth-limited, the guest dirtying memory) give "mid-command". */
const LAB = { name: 'kqc1', subnet: 109 };
const BRIDGE_IP = `10.${LAB.subnet}.0.1`;
/** The engine checks waiting commands this often here (15 s in production). */
const WATCHDOG_MS = 3_000;
/** The agents' job lock (30 s in production): a killed agent's command is seen lost after it. */
const LOCK_MS = 5_000;
/** How long a lost result may take to fail its task. */
const LOST_WITHIN_MS = 120_000;

let k: MigrationKit;
let redis: PrivateRedis;
const hostId = (h: string) => k.hostId(h);

beforeAll(async () => {
  redis = await PrivateRedis.start();
  k = await MigrationKit.start({
    labName: LAB.name,
    subnet: LAB.subnet,
    hosts: 2,
    forwards: [redis.labForward()],
    engineEnv: { KELPIE_REDIS_URL: redis.url },
    agentEnv: { KELPIE_REDIS_URL: redis.urlFrom(BRIDGE_IP), KELPIE_COMMAND_LOCK_MS: String(LOCK_MS) },
  });
  k.p.engine.app.get(CommandBus).watchdogMs = WATCHDOG_MS;
}, 180_000);

afterAll(async () => {
  if (k) await k.close();
  await redis?.close();
});

/** The dirtying guest of the two "stuck migration" cases. */
let dirty: StartedGuest;

/** A migration h1 → h2 of the dirtying guest that cannot converge (2 MiB/s against 32 MiB re-dirtied):
 * it runs until something stops it; `abortOnNoProgressSeconds` is how long the source agent lets it. */
async function stuckMigration(abortOnNoProgressSeconds: number): Promise<Task> {
  dirty ??= await k.startGuest('h1', 'kqc-dirty', { memoryMiB: 128, dirtyMiB: 32 });
  await k.guestBooted(dirty.log, 'guest heartbeat');
  const task = await k.migrate(dirty.id, {
    targetHostId: hostId('h2'),
    maxBandwidthMiBps: 2,
    maxDowntimeMs: 50,
    autoConverge: false,
    postcopy: 'off',
    abortOnNoProgressSeconds,
  });
  await underWay(task);
  return task;
}

/** A bandwidth-limited migration h1 → h2 of a new idle guest that completes after some seconds. (A
 * fresh guest each time: one moved while the target's agent was killed is reported `shutoff` by
 * that agent's vm.migration-info afterwards — see the report of this work.) */
async function slowMigration(name: string): Promise<{ g: StartedGuest; task: Task }> {
  const g = await k.startGuest('h1', name, { memoryMiB: 128 });
  const task = await k.migrate(g.id, { targetHostId: hostId('h2'), maxBandwidthMiBps: 8 });
  await underWay(task);
  return { g, task };
}

const underWay = (task: Task) =>
  eventually('migration under way', async () => (await task$(task.id)).progress >= 1, 30_000);
const task$ = async (id: string) => (await k.api('GET', `/api/v1/tasks/${id}`)).body as Task;
const jobKey = (h: string, jobId: string) =>
  `${k.p.engine.config.redisPrefix}:host-${hostId(h)}-commands:${jobId}`;
const journalOf = (h: string) => new CommandJournal(join(agentStateDir(k.p.lab, h), 'journal', hostId(h)));
/** No migration job left on the host's libvirt for the domain. */
const noJob = async (h: string, uuid: string) =>
  /Job type:\s+None/.test((await virsh(k.uriOf(h), ['domjobinfo', uuid])).stdout);

/** The migration h1 → h2 succeeded, libvirt and the engine agree, and vm.migrate ran once on h1. */
async function movedOnce(task: Task, g: StartedGuest, what: string): Promise<void> {
  const final = await k.waitTask(task.id, LOST_WITHIN_MS);
  console.log(`${what}: task ${final.status}: ${final.errorMessage}`);
  expect(final.status).toBe('succeeded');
  expect(await k.whereIs(g.id)).toEqual({ h2: 'running' });
  await upOn('h2', g.id);
  expect(await journalOf('h1').get(`${task.id}-migrate`)).toMatchObject({
    state: 'done',
    outcome: { ok: true },
  });
  await virsh(k.uriOf('h2'), ['destroy', g.id]);
}

async function upOn(h: string, uuid: string): Promise<void> {
  await eventually(
    `engine shows ${uuid} up on ${h}`,
    async () => {
      const v = await k.vm(uuid);
      return v.status === VmStatus.Up && v.hostId === hostId(h);
    },
    30_000,
  );
}

it("a host's command queue flushed from Redis mid-migration: the task fails with the watchdog's error within 2 min, libvirt keeps the VM on the source", async () => {
  const task = await stuckMigration(600);
  const g = dirty;
  const flushedAt = Date.now();
  expect(
    await redis.delKeys(`${k.p.engine.config.redisPrefix}:host-${hostId('h1')}-commands:*`),
  ).toBeGreaterThan(0);
  const final = await k.waitTask(task.id, LOST_WITHIN_MS);
  const took = Date.now() - flushedAt;
  console.log(`flushed queue: task ${final.status} after ${took} ms: ${final.errorMessage}`);
  expect(final.status).toBe('failed');
  expect(final.errorMessage).toMatch(/lost the command vm\.migrate: it vanished from Redis/);
  expect(final.errorMessage).not.toMatch(/did not finish|timed out/);
  expect(took).toBeLessThan(LOST_WITHIN_MS);
  // libvirt: the VM still runs on the source (the migration goes on, its agent alive; the target
  // holds only the paused incoming copy).
  const where = await k.whereIs(g.id);
  expect(where.h1).toBe('running');
  expect(where.h2).not.toBe('running');
  expect(await noJob('h1', g.id)).toBe(false);
  // Ended here rather than by the agent's stall policy, to keep the test short.
  await virsh(k.uriOf('h1'), ['domjobabort', g.id]);
  await eventually('the migration ended', () => noJob('h1', g.id), 30_000, 500);
  expect(await k.whereIs(g.id)).toEqual({ h1: 'running' });
  await upOn('h1', g.id);
}, 300_000);

it('the source agent SIGKILLed mid-migration: the task fails within 2 min as lost; the restarted agent does NOT run the redelivered migration again (it aborts the unsupervised one), the VM runs once, on the source', async () => {
  const task = await stuckMigration(600);
  const g = dirty;
  const jobId = `${task.id}-migrate`;
  expect((await journalOf('h1').get(jobId))?.state).toBe('started');
  const killedAt = Date.now();
  await k.p.lab.killAgent('h1');
  const final = await k.waitTask(task.id, LOST_WITHIN_MS);
  console.log(
    `source agent killed: task ${final.status} after ${Date.now() - killedAt} ms: ${final.errorMessage}`,
  );
  expect(final.status).toBe('failed');
  expect(final.errorMessage).toMatch(/lost the command vm\.migrate: the agent that was running it stopped/);
  expect(final.errorMessage).toMatch(/outcome is unknown/);
  // libvirt went on without the agent: the migration still runs from h1.
  expect(await noJob('h1', g.id)).toBe(false);

  await k.p.startAgent('h1');
  // BullMQ hands the stalled job back to h1's agent; the journal says it started and never finished.
  const failedReason = await eventually(
    'the redelivered job answered',
    async () => redis.withClient((c) => c.hget(jobKey('h1', jobId), 'failedReason')),
    60_000,
    500,
  );
  console.log(`redelivered: ${failedReason}`);
  expect(failedReason).toMatch(/"code":"outcome_unknown"/);
  expect(failedReason).toMatch(/not run again/);
  expect(failedReason).toMatch(/still running unsupervised: aborted/);
  const entry = await journalOf('h1').get(jobId);
  expect(entry).toMatchObject({ state: 'started', command: 'vm.migrate' });
  expect(Date.parse(entry!.startedAt)).toBeLessThan(killedAt);
  await eventually('the orphaned migration is gone', () => noJob('h1', g.id), 30_000, 500);
  expect(await k.whereIs(g.id)).toEqual({ h1: 'running' });
  await upOn('h1', g.id);
  const before = await k.heartbeat(g.log);
  await k.heartbeatAfter(g.log, before, 'the guest still runs');
  // Its CPU goes to the next cases.
  await virsh(k.uriOf('h1'), ['destroy', g.id]);
}, 300_000);

it('the target agent SIGKILLed mid-migration: libvirt completes the move, the task succeeds once the target agent is back, the VM runs once, on the target', async () => {
  const { g, task } = await slowMigration('kqc-ktgt');
  await k.p.lab.killAgent('h2');
  await new Promise((r) => setTimeout(r, 3000));
  await k.p.startAgent('h2');
  await movedOnce(task, g, 'target agent killed');
}, 300_000);

it('Redis restarted while a migration is in flight: the task ends in its true state, the command ran once', async () => {
  const { g, task } = await slowMigration('kqc-redis');
  await redis.restart(1000);
  // Jobs survive a Redis restart (persistence): the result arrives; libvirt agrees with the task.
  await movedOnce(task, g, 'redis restarted');
}, 300_000);

/** The pid of the `qemu-img convert` reading `disk` (the lab hosts share this machine's process table). */
async function copyProcessOf(disk: string): Promise<number | undefined> {
  for (const pid of await readdir('/proc')) {
    if (!/^\d+$/.test(pid)) continue;
    const argv = (await readFile(`/proc/${pid}/cmdline`, 'utf8').catch(() => '')).split('\0');
    if (argv[0]?.endsWith('qemu-img') && argv[1] === 'convert' && argv.includes(disk)) return Number(pid);
  }
  return undefined;
}

it('the agent SIGKILLed mid-clone: the task fails within 2 min as lost; the restarted agent does NOT run the redelivered clone again (no clone defined, no copy made)', async () => {
  const src = await defineTestVm(k.p, 'kqc-csrc', { diskSize: '1200M' });
  // Real data to copy (not zeroes qemu-img skips): enough that the copy is seen running and frozen.
  await runOrThrow('qemu-io', ['-f', 'qcow2', '-c', 'write -P 0x5a 0 1G', src.disk]);
  const dir = journalOf('h1').dir;
  const before = new Set(await readdir(dir).catch(() => []));
  const agentPid = (await k.p.lab.status()).hosts.find((h) => h.name === 'h1')!.agentPid!;
  const res = await k.api('POST', `/api/v1/vms/${src.id}/clone`, { name: 'kqc-clone' });
  expect(res.status).toBe(202);
  // Killed the moment the agent has journaled the clone as started (before its copy is done).
  const started = await eventually(
    'the clone journaled as started',
    async () => {
      for (const f of await readdir(dir)) {
        if (before.has(f) || !f.endsWith('.json')) continue;
        const e = JSON.parse(await readFile(join(dir, f), 'utf8')) as JournalEntry;
        if (e.command === 'vm.clone') return e;
      }
      return undefined;
    },
    20_000,
    5,
  );
  // Frozen at once: on an idle machine the copy may otherwise finish (and the clone be defined) in the
  // moments before the kill (seen: the task succeeded 30 ms after the journal entry). A copy already
  // running is frozen too, so it cannot complete behind the agent's back.
  process.kill(agentPid, 'SIGSTOP');
  const copy = await copyProcessOf(src.disk);
  if (copy) process.kill(copy, 'SIGSTOP');
  await k.p.lab.killAgent('h1');
  const killedAt = Date.now();
  if (copy)
    try {
      process.kill(copy, 'SIGKILL');
    } catch {
      // Gone with the agent already.
    }
  // What the first run left in the pool (a partial copy, maybe): the second run must add nothing to it.
  const poolAfterKill = await fileSizes(dirname(src.disk));
  const final = await k.waitTask((res.body as Task).id, LOST_WITHIN_MS);
  console.log(
    `agent killed mid-clone: task ${final.status} after ${Date.now() - killedAt} ms: ${final.errorMessage}`,
  );
  expect(final.status).toBe('failed');
  expect(final.errorMessage).toMatch(/lost the command vm\.clone/);

  await k.p.startAgent('h1');
  const failedReason = await eventually(
    'the redelivered clone answered',
    async () => redis.withClient((c) => c.hget(jobKey('h1', started.jobId), 'failedReason')),
    60_000,
    500,
  );
  console.log(`redelivered clone: ${failedReason}`);
  expect(failedReason).toMatch(/"code":"outcome_unknown"/);
  expect(failedReason).toMatch(/not run again/);
  expect(await journalOf('h1').get(started.jobId)).toMatchObject({ state: 'started', command: 'vm.clone' });
  // libvirt: no clone was defined, by the first run or by a second one.
  const names = await virsh(k.uriOf('h1'), ['list', '--all', '--name']);
  expect(names.stdout).not.toMatch(/kqc-clone/);
  expect(names.stdout).toMatch(/kqc-csrc/);
  // No second copy: none running, no new file in the pool, nothing there grew (a clean-up may remove).
  expect(await copyProcessOf(src.disk)).toBeUndefined();
  const grown = Object.entries(await fileSizes(dirname(src.disk))).filter(
    ([f, size]) => !(f in poolAfterKill) || size > poolAfterKill[f]!,
  );
  expect(grown).toEqual([]);
}, 300_000);

/** Each file of a directory with its size (guests' serial logs aside: running guests write them). */
async function fileSizes(dir: string): Promise<Record<string, number>> {
  const out: Record<string, number> = {};
  for (const f of await readdir(dir))
    if (!f.endsWith('.log')) out[f] = (await stat(join(dir, f)).catch(() => ({ size: -1 }))).size;
  return out;
}
