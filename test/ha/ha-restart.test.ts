import { virshOrThrow } from '@kelpie/lab';
import { HostStatus, Task, Vm, VmStatus } from '@kelpie/shared-types';
import { startTestEngine } from '../support/engine';
import { eventually } from '../support/platform';
import { createTestDatabase, TestDatabase } from '../support/services';
import { startVmLab, VmLab } from '../vm/lifecycle-support';
import { haLab, qemuPids } from './ha-lab';

/**
 * High availability on real lab hosts: a host dies for real (every process of it SIGKILLed), the
 * engine holds its VMs `unknown` (no power management: nothing proves it off), an admin confirms the
 * reboot, the HA VM runs again on the other host and the other VM is down with the reason — and at
 * no sampled moment does the HA VM run on two hosts. Also: a new engine does not judge hosts by
 * heartbeats it did not receive, and an HA VM whose QEMU dies on a healthy host is restarted there.
 */
const HEARTBEAT_TIMEOUT_MS = 4000;
const engineEnv = {
  KELPIE_HEARTBEAT_TIMEOUT_MS: String(HEARTBEAT_TIMEOUT_MS),
  KELPIE_FENCE_STARTUP_GRACE_MS: String(HEARTBEAT_TIMEOUT_MS),
  KELPIE_HA_CRASH_BACKOFF_MS: '1000',
};
let db: TestDatabase;
let L: VmLab;
let haVm: Vm;
let plainVm: Vm;
/** Every sample of `virsh list` (running domains) on both hosts where the HA VM ran on both. */
const twice: string[] = [];
let samples = 0;
let sampler: NodeJS.Timeout | undefined;

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));
const { api, getVm, getHost, running, auditSince, createRunningVm } = haLab(() => L);
/** The pid of the QEMU running the VM (lab hosts share the machine's pid namespace). */
const qemuPid = async (vmId: string) => (await qemuPids(vmId))[0];

beforeAll(async () => {
  db = await createTestDatabase();
  L = await startVmLab({ labName: 'kqm1', subnet: 138, hosts: 2, engineEnv, db });
}, 180_000);

afterAll(async () => {
  clearInterval(sampler);
  await L?.close();
  await db?.drop();
});

describe('HA restart with safe fencing', () => {
  it('a new engine does not mark hosts non-responsive from heartbeat times it did not receive', async () => {
    const prefix = L.p.engine.config.redisPrefix;
    await L.p.engine.close();
    // The outage outlasts the heartbeat timeout: the recorded heartbeats are stale when it starts.
    await sleep(HEARTBEAT_TIMEOUT_MS + 1000);
    const since = new Date();
    L.p.engine = await startTestEngine(engineEnv, { db, redisPrefix: prefix });
    // Work goes on meanwhile (two VMs on h1); the check below covers more than a heartbeat timeout.
    haVm = await createRunningVm('kqm1-ha', { highlyAvailable: true, haPriority: 80 }, '10.138.0.61');
    plainVm = await createRunningVm('kqm1-plain', {}, '10.138.0.62');
    await sleep(Math.max(0, since.getTime() + HEARTBEAT_TIMEOUT_MS + 2000 - Date.now()));
    expect(await auditSince(since, ['host.status', 'host.fence_decision'])).toEqual([]);
    for (const h of ['h1', 'h2']) expect((await getHost(h)).status).toBe(HostStatus.Up);
  }, 90_000);

  it('a dead host without power management: VMs stay unknown until an admin confirms the reboot', async () => {
    sampler = setInterval(() => {
      void Promise.all([running('h1'), running('h2')]).then(([a, b]) => {
        samples++;
        if (a.includes(haVm.id) && b.includes(haVm.id)) twice.push(new Date().toISOString());
      });
    }, 250);
    expect(await running('h1')).toContain(haVm.id);
    const crashedAt = new Date();
    await L.p.lab.crashHost('h1');
    await eventually(
      'h1 non-responsive, its VMs unknown',
      async () =>
        (await getHost('h1')).status === HostStatus.NonResponsive &&
        (await getVm(haVm.id)).status === VmStatus.Unknown &&
        (await getVm(plainVm.id)).status === VmStatus.Unknown,
      30_000,
      200,
    );
    const [decision] = await eventually(
      'the fencing decision for h1 audited',
      async () => {
        const rows = await auditSince(crashedAt, ['host.fence_decision']);
        return rows.length ? rows : undefined;
      },
      15_000,
      200,
    );
    expect(decision.message).toMatch(/kqm1-h1: hold \(no-power-management\).*until an admin confirms/);
    // Nothing restarted on its own: the VM is still unknown and runs nowhere.
    expect(await getVm(haVm.id)).toMatchObject({ status: VmStatus.Unknown, hostId: L.p.hosts.h1.id });
    expect(await running('h2')).not.toContain(haVm.id);

    // Only a non-responsive host can be confirmed rebooted.
    const refused = await api('POST', `/hosts/${L.p.hosts.h2.id}/confirm-rebooted`);
    expect(refused.status).toBe(409);
    expect(JSON.stringify(refused.body)).toMatch(/only a non-responsive host can be confirmed rebooted/);

    // A task still running on h1 (e.g. the fencing's attempt on it) answers 409 "busy … retry when it has
    // finished", as it would to an admin: retried like an admin would. Any other answer is final.
    const res = await eventually(
      'h1 confirmed rebooted',
      async () => {
        const r = await api('POST', `/hosts/${L.p.hosts.h1.id}/confirm-rebooted`);
        if (r.status === 409 && /is busy with/.test(JSON.stringify(r.body))) {
          console.log(`confirm-rebooted of h1 retried: ${JSON.stringify(r.body)}`);
          return undefined;
        }
        return r;
      },
      60_000,
      500,
    );
    expect({ status: res.status, body: res.status === 202 ? null : res.body }).toEqual({
      status: 202,
      body: null,
    });
    const confirm = await L.waitTask(res.body as Task);
    expect(confirm).toMatchObject({ status: 'succeeded', type: 'host.confirm-rebooted' });
    expect(confirm.result).toMatchObject({
      down: ['kqm1-ha', 'kqm1-plain'],
      restarted: [{ vmId: haVm.id, name: 'kqm1-ha', hostId: L.p.hosts.h2.id }],
      notRestarted: [],
    });
    // The restart is an ordinary vm.start task of the same request.
    const restartTaskId = (confirm.result as { restarted: { taskId: string }[] }).restarted[0].taskId;
    const restart = (await api('GET', `/tasks/${restartTaskId}`)).body as Task;
    expect(restart).toMatchObject({
      type: 'vm.start',
      status: 'succeeded',
      correlationId: confirm.correlationId,
    });

    expect((await virshOrThrow(L.uri('h2'), ['domstate', haVm.id])).trim()).toBe('running');
    expect(await getVm(haVm.id)).toMatchObject({ status: VmStatus.Up, hostId: L.p.hosts.h2.id });
    const plain = await getVm(plainVm.id);
    expect(plain).toMatchObject({ status: VmStatus.Down, hostId: null });
    expect(plain.statusReason).toMatch(/host kqm1-h1 was confirmed rebooted by/);
    expect(await running('h2')).not.toContain(plainVm.id);
    const audited = await auditSince(crashedAt, ['host.fence_confirmed', 'vm.ha_restarted']);
    expect(audited.map((e) => e.type)).toEqual(['host.fence_confirmed', 'vm.ha_restarted']);
  }, 90_000);

  it('an HA VM whose QEMU is killed on a healthy host is restarted there', async () => {
    const since = new Date();
    const pid = await qemuPid(haVm.id);
    expect(pid).toBeDefined();
    process.kill(pid!, 'SIGKILL');
    await eventually(
      'the crash audited and the VM restarted in place',
      async () => (await auditSince(since, ['vm.ha_crash_restart'])).length > 0,
      20_000,
      200,
    );
    await eventually(
      'the VM up again on h2',
      async () => {
        const vm = await getVm(haVm.id);
        return (
          vm.status === VmStatus.Up &&
          vm.hostId === L.p.hosts.h2.id &&
          (await running('h2')).includes(haVm.id)
        );
      },
      30_000,
      200,
    );
    expect(await qemuPid(haVm.id)).not.toBe(pid);
    clearInterval(sampler);
    expect(samples).toBeGreaterThan(10);
    expect(twice).toEqual([]);
  }, 60_000);
});
