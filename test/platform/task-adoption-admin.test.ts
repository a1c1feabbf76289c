import { runOrThrow, virsh, virshOrThrow } from '@kelpie/lab';
import type { Task } from '@kelpie/shared-types';
import { existsSync, mkdirSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { EngineProcess, startEngineProcess } from '../support/engine-process';
import { accepted, waitFinal as waitTask } from '../support/tasks';
import { addLabInfrastructure, eventually, TestPlatform, startTestPlatform } from '../support/platform';
import { uriOf } from '../vm/support-ks';

/** Crash safety of the administrators' tasks (lab kqh1, two hosts). An engine process activating a
 * storage domain, setting up a host's networks and releasing the VMs of a host confirmed rebooted is
 * SIGKILLed at a known step of each (KELPIE_TEST_FAILPOINTS): the pools run on the hosts but the
 * domain is not recorded active; the new bridge is on the host, which awaits the engine's
 * confirmation (or rolls it back); the HA VM's `vm.start` is done on the other host but not
 * recorded by the release. The in-process engine adopts the three tasks and each ends in its true
 * state, as `virsh pool-info`, `ip` in the host and `virsh domstate` show. Then the restarted VM,
 * with two external snapshots, is deleted with its disks: no image of its chain is left. */
const TTL_MS = '4000';
const HEARTBEAT_TIMEOUT_MS = '4000';
const FAILPOINTS = [
  'storage_domain.activate:activated',
  'host.network_setup:confirming',
  'host.confirm-rebooted:restarting',
].join(',');
/** Time the host gives an engine to confirm its network change before it rolls it back. */
const CONFIRM_TIMEOUT_S = 40;
const engineEnv = {
  KELPIE_ENGINE_LIVENESS_TTL_MS: TTL_MS,
  KELPIE_HEARTBEAT_TIMEOUT_MS: HEARTBEAT_TIMEOUT_MS,
  KELPIE_FENCE_STARTUP_GRACE_MS: HEARTBEAT_TIMEOUT_MS,
};

let p: TestPlatform;
let infra: { sdId: string; networkId: string };
let a: EngineProcess | undefined;
/** The tasks engine A was running when it was killed. */
const t: { activate?: Task; netSetup?: Task; confirm?: Task; start?: string } = {};
let sdId: string;
let haVmId: string;

const api = <T>(method: string, path: string, body?: unknown) => p.engine.api<T>(method, path, body);
const hostId = (h: string) => p.hosts[h]!.id;

beforeAll(async () => {
  p = await startTestPlatform({ labName: 'kqh1', subnet: 154, hosts: 2, engineEnv });
  infra = await addLabInfrastructure(p);
  for (const h of ['h1', 'h2'])
    await eventually(
      `${h} up with its NICs reported`,
      async () => {
        const host = (await api<{ status: string }>('GET', `/api/v1/hosts/${hostId(h)}`)).body;
        const nics = (await api<{ reportedAt: string | null }>('GET', `/api/v1/hosts/${hostId(h)}/nics`))
          .body;
        return host.status === 'up' && !!nics.reportedAt;
      },
      60_000,
      250,
    );
}, 240_000);

afterAll(async () => {
  await a?.stop().catch(() => undefined);
  await p?.close();
});

const waitFinal = (id: string, ms = 90_000) => waitTask(api, id, ms);

async function succeeded(res: Promise<{ status: number; body: unknown }>): Promise<Task> {
  const done = await waitFinal((await accepted(res)).id);
  expect({ status: done.status, error: done.errorMessage }).toEqual({ status: 'succeeded', error: null });
  return done;
}

async function created(path: string, body: unknown): Promise<string> {
  const res = await api<{ id: string }>('POST', path, body);
  if (res.status !== 201) throw new Error(`POST ${path} → ${res.status} ${JSON.stringify(res.body)}`);
  return res.body.id;
}

const checkpointOf = async (taskId: string) =>
  (
    await p.engine.sql<{ checkpoint: Record<string, unknown> | null }>(
      `SELECT checkpoint FROM task WHERE id = $1`,
      [taskId],
    )
  )[0]?.checkpoint ?? null;

const reachedPhase = (taskId: string, phase: string) =>
  eventually(
    `task ${taskId} at checkpoint ${phase}`,
    async () => (await checkpointOf(taskId))?.phase === phase,
    60_000,
    100,
  );

/** `virsh pool-info` of a pool on a lab host, as key → value (empty when the pool is not defined). */
async function poolInfo(h: string, pool: string): Promise<Record<string, string>> {
  const r = await virsh(uriOf(p, h), ['pool-info', pool]);
  if (r.code !== 0) return {};
  return Object.fromEntries(
    r.stdout
      .split('\n')
      .map((l) => /^([^:]+):\s*(.*)$/.exec(l.trim()))
      .filter((m): m is RegExpExecArray => !!m)
      .map((m) => [m[1]!, m[2]!]),
  );
}

/** The master bridge of a NIC in a lab host, as `ip` shows it. */
async function masterOf(h: string, nic: string): Promise<string | undefined> {
  const r = await p.lab.execInHost(h, ['ip', '-j', 'link', 'show', nic]);
  if (r.code !== 0) throw new Error(r.stderr);
  return (JSON.parse(r.stdout) as { master?: string }[])[0]?.master;
}

const adoptedOnce = async (taskId: string) =>
  (await api<{ total: number }>('GET', `/api/v1/events?type=task.adopted&objectId=${taskId}`)).body.total;

it('engine SIGKILLed mid-activation, mid-network-setup and mid-HA-restart: the three tasks are still running', async () => {
  const startA = startEngineProcess({
    db: p.engine.db,
    redisPrefix: p.engine.config.redisPrefix,
    env: { ...engineEnv, KELPIE_TEST_FAILPOINTS: FAILPOINTS },
    logFile: join(tmpdir(), `kqh1-engine-a-${process.pid}.log`),
  });
  // An HA VM running on h1, a detached domain attached (inactive), a network for h2's free NIC.
  const vm = await accepted(
    api('POST', '/api/v1/vms', {
      name: 'kqh1-ha',
      clusterId: p.clusterId,
      hostId: hostId('h1'),
      vcpus: 1,
      memoryMib: 128,
      disks: [{ sizeGiB: 1, storageDomainId: infra.sdId }],
      highlyAvailable: true,
      haPriority: 50,
    }),
  );
  expect((await waitFinal(vm.id)).status).toBe('succeeded');
  haVmId = vm.target!.id;
  await succeeded(api('POST', `/api/v1/vms/${haVmId}/start`));
  const dir = join(p.labStatus.sharedDir, 'sd-crash');
  mkdirSync(dir, { recursive: true });
  sdId = await created('/api/v1/storage-domains', {
    name: 'crash',
    datacenterId: p.datacenterId,
    type: 'dir',
    path: dir,
  });
  await succeeded(api('POST', `/api/v1/storage-domains/${sdId}/attach`));
  const netId = await created('/api/v1/networks', {
    name: 'crashnet',
    datacenterId: p.datacenterId,
    bridge: 'br-crash',
  });

  // h1 dies for good (every process of it): its VMs are unknown until an admin confirms the reboot.
  await p.lab.crashHost('h1');
  await eventually(
    'h1 non-responsive, the HA VM unknown',
    async () =>
      (await api<{ status: string }>('GET', `/api/v1/hosts/${hostId('h1')}`)).body.status ===
        'non_responsive' &&
      (await api<{ status: string }>('GET', `/api/v1/vms/${haVmId}`)).body.status === 'unknown',
    30_000,
    200,
  );

  a = await startA;
  t.activate = await accepted(a.api('POST', `/api/v1/storage-domains/${sdId}/activate`));
  t.netSetup = await accepted(
    a.api('POST', `/api/v1/hosts/${hostId('h2')}/network-setup`, {
      attachments: [{ networkId: netId, nic: 'eth1' }],
      connectivityTimeoutSeconds: CONFIRM_TIMEOUT_S,
    }),
  );
  t.confirm = await accepted(a.api('POST', `/api/v1/hosts/${hostId('h1')}/confirm-rebooted`));

  // Each task at its failpoint, its host step done (the hosts show it), none of it recorded.
  await reachedPhase(t.activate.id, 'activated');
  expect((await poolInfo('h2', `kelpie-${sdId}`)).State).toBe('running');
  expect((await api<{ status: string }>('GET', `/api/v1/storage-domains/${sdId}`)).body.status).toBe(
    'inactive',
  );
  await reachedPhase(t.netSetup.id, 'confirming');
  expect(await masterOf('h2', 'eth1')).toBe('br-crash');
  await reachedPhase(t.confirm.id, 'restarting');
  t.start = ((await checkpointOf(t.confirm.id))!.starts as Record<string, string>)[haVmId];
  expect(t.start).toBeDefined();
  expect((await waitFinal(t.start!)).status).toBe('succeeded');
  expect((await virshOrThrow(uriOf(p, 'h2'), ['domstate', haVmId])).trim()).toBe('running');
  for (const task of [t.activate, t.netSetup, t.confirm])
    expect((await api<Task>('GET', `/api/v1/tasks/${task.id}`)).body.status).toBe('running');
  await a.kill();
}, 180_000);

it('storage_domain.activate adopted: the domain is active, served by the pool running on h2', async () => {
  const done = await waitFinal(t.activate!.id);
  expect({ status: done.status, error: done.errorMessage }).toEqual({ status: 'succeeded', error: null });
  expect(await adoptedOnce(done.id)).toBe(1);
  expect(done.result).toMatchObject({ storageDomainId: sdId, hosts: [{ hostId: hostId('h2'), ok: true }] });
  expect(await poolInfo('h2', `kelpie-${sdId}`)).toMatchObject({
    State: 'running',
    Persistent: 'yes',
    Autostart: 'yes',
  });
  expect((await api<{ status: string }>('GET', `/api/v1/storage-domains/${sdId}`)).body.status).toBe(
    'active',
  );
});

it('host.network_setup adopted: the survivor confirms the change, which the host keeps', async () => {
  const done = await waitFinal(t.netSetup!.id);
  expect({ status: done.status, error: done.errorMessage }).toEqual({ status: 'succeeded', error: null });
  expect(await adoptedOnce(done.id)).toBe(1);
  expect(done.result).toMatchObject({ hostId: hostId('h2'), outcome: 'applied', networks: ['crashnet'] });
  // `applied` is the host's word: it kept the change once an engine confirmed it (else it rolls back).
  expect(await masterOf('h2', 'eth1')).toBe('br-crash');
});

it('host.confirm-rebooted adopted: the HA restart the dead engine made is recorded, the VM runs once, on h2', async () => {
  const done = await waitFinal(t.confirm!.id);
  expect({ status: done.status, error: done.errorMessage }).toEqual({ status: 'succeeded', error: null });
  expect(await adoptedOnce(done.id)).toBe(1);
  expect(done.result).toMatchObject({
    down: ['kqh1-ha'],
    restarted: [{ vmId: haVmId, taskId: t.start, hostId: hostId('h2') }],
    notRestarted: [],
  });
  // One start only: the adopter waited for the dead engine's, and started nothing itself.
  const starts = await p.engine.sql<{ id: string }>(
    `SELECT id FROM task WHERE type = 'vm.start' AND target_id = $1 AND created_at > $2`,
    [haVmId, done.createdAt],
  );
  expect(starts.map((s) => s.id)).toEqual([t.start]);
  expect((await virshOrThrow(uriOf(p, 'h2'), ['domstate', haVmId])).trim()).toBe('running');
  expect((await api<{ status: string; hostId: string }>('GET', `/api/v1/vms/${haVmId}`)).body).toMatchObject({
    status: 'up',
    hostId: hostId('h2'),
  });
  const restarted = await api<{ total: number }>(
    'GET',
    `/api/v1/events?type=vm.ha_restarted&objectId=${haVmId}`,
  );
  expect(restarted.body.total).toBe(1);
});

it('deleting a VM with its disks removes every image of its snapshot chain, the middle overlays too', async () => {
  const snap = async (name: string) =>
    (await succeeded(api('POST', `/api/v1/vms/${haVmId}/snapshots`, { name, type: 'external' }))).result as {
      overlays: { path: string }[];
    };
  const [disk] = await p.engine.sql<{ volume_path: string }>(
    `SELECT volume_path FROM disk WHERE vm_id = $1`,
    [haVmId],
  );
  const middle = (await snap('one')).overlays[0]!.path;
  const top = (await snap('two')).overlays[0]!.path;
  // base ← middle ← top, as qemu-img reads it on the host; the engine records only base and top.
  const chain = JSON.parse(
    await runOrThrow('qemu-img', ['info', '-U', '--backing-chain', '--output=json', top]),
  ) as { filename: string }[];
  expect(chain.map((c) => c.filename)).toEqual([top, middle, disk!.volume_path]);

  const done = await succeeded(api('DELETE', `/api/v1/vms/${haVmId}?withDisks=true&force=true`));
  expect(done.result).toMatchObject({ deletedVolumes: [top, middle, disk!.volume_path] });
  for (const image of [top, middle, disk!.volume_path]) expect(existsSync(image)).toBe(false);
  expect((await virsh(uriOf(p, 'h2'), ['dominfo', haVmId])).code).not.toBe(0);
});
