import { LabBmc, virshOrThrow } from '@kelpie/lab';
import { ApiErrorBody, HostStatus, Vm, VmHaStatus, VmStatus } from '@kelpie/shared-types';
import { readdir, readFile, stat } from 'node:fs/promises';
import { join } from 'node:path';
import { eventually } from '../support/platform';
import { createTestDatabase, TestDatabase } from '../support/services';
import { startVmLab, VmLab } from '../vm/lifecycle-support';
import { BMC_USER, expectFenceOrder, haEngineEnv, haLab, qemuPids } from './ha-lab';

/**
 * Hard fencing on real lab hosts: h1's BMC is Debian's ipmi_sim in the root namespace (outside h1),
 * driven by the engine with Debian's fence_ipmilan over real IPMI (RMCP+). h1's agent and libvirtd die
 * while its QEMUs keep running (a hung host: nothing proves its VMs dead) → the engine fences h1
 * through the BMC (power off kills every process of h1, confirm off), restarts the HA VM on h2 only
 * then, and powers h1 on again (it boots with its agent and comes back Up). At no sampled moment do
 * two QEMUs run the HA VM.
 */
const engineEnv = haEngineEnv();
const BMC_PASSWORD = 'bmc-S3cret!';
const BMC_PORT = 16163;
let db: TestDatabase;
let L: VmLab;
let bmc: LabBmc;
/** The HA VM, restarted on h2 by the fence of h1. */
let haVmId: string;
const { api, getVm, getHost, running, auditSince, powerOnAudited, createRunningVm } = haLab(() => L);
const pmPath = () => `/hosts/${L.p.hosts.h1.id}/power-management`;
const pmBody = (password?: string) => ({
  type: 'ipmilan',
  address: bmc.address,
  port: bmc.port,
  username: BMC_USER,
  cipher: 3,
  ...(password === undefined ? {} : { password }),
});

/** The argv of every process on the machine (as any user can read it in /proc), with its pid. */
async function allCommandLines(): Promise<{ pid: string; argv: string[] }[]> {
  const pids = (await readdir('/proc')).filter((e) => /^\d+$/.test(e));
  const lines = await Promise.all(
    pids.map((pid) =>
      readFile(`/proc/${pid}/cmdline`, 'utf8').then(
        (t) => ({ pid, argv: t.split('\0') }),
        () => ({ pid, argv: [] }),
      ),
    ),
  );
  return lines.filter((l) => l.argv.length > 0);
}

/** A process's environment (NUL-separated), or '' once it is gone. */
const environOf = (pid: string) => readFile(`/proc/${pid}/environ`, 'utf8').catch(() => '');

/** The network namespace a process runs in (its inode), or undefined once it is gone. */
const netnsOf = (pid: string) =>
  stat(`/proc/${pid}/ns/net`).then(
    (s) => s.ino,
    () => undefined,
  );
/** A lab host's network namespace (its inode): a process in it runs on that host. */
const hostNetns = async (host: 'h1' | 'h2') => (await stat(`/run/netns/${L.p.lab.host(host).netns}`)).ino;
/** What the host's agent logged as fence calls it ran by proxy for the engine. */
async function proxiedFences(
  host: 'h1' | 'h2',
): Promise<{ action: string; bmc?: string; detail?: string }[]> {
  const log = await readFile(join(L.p.lab.host(host).dir, 'agent.log'), 'utf8');
  return log
    .split('\n')
    .filter((l) => l.includes('fence agent run by proxy') || l.includes('fence agent by proxy done'))
    .map((l) => JSON.parse(l) as { action: string; bmc?: string; detail?: string });
}

beforeAll(async () => {
  db = await createTestDatabase();
  L = await startVmLab({ labName: 'kfe1', subnet: 163, hosts: 2, engineEnv, db });
  bmc = await L.p.lab.startBmc('h1', { port: BMC_PORT, username: BMC_USER, password: BMC_PASSWORD });
}, 240_000);

afterAll(async () => {
  await L?.close();
  await db?.drop();
});

describe('power management and hard fencing through a lab BMC', () => {
  it('settings are validated, the password is stored sealed and never returned; the test action asks the BMC', async () => {
    // Bad input: 400 naming the field, nothing stored.
    const bad = await api('PUT', pmPath(), { ...pmBody('x\naction=off'), port: 70000 });
    expect(bad.status).toBe(400);
    const fields = (bad.body as ApiErrorBody).details?.map((d) => d.field);
    expect(fields).toEqual(expect.arrayContaining(['port', 'password']));
    expect((await api('GET', pmPath())).status).toBe(404);
    const noPassword = await api('PUT', pmPath(), pmBody());
    expect(noPassword.status).toBe(400);
    expect(JSON.stringify(noPassword.body)).toMatch(/password/);

    // A wrong password is stored, and the test says what to fix.
    const wrong = await api('PUT', pmPath(), pmBody('not-the-password'));
    expect(wrong.status).toBe(200);
    expect(wrong.body).toMatchObject({
      type: 'ipmilan',
      address: bmc.address,
      port: BMC_PORT,
      passwordSet: true,
    });
    expect(JSON.stringify(wrong.body)).not.toContain('not-the-password');
    const failed = await api('POST', `${pmPath()}/test`);
    expect(failed.status).toBe(422);
    expect((failed.body as ApiErrorBody).details).toEqual([
      { field: 'password', reason: expect.stringMatching(/the BMC refused the password/) },
    ]);

    // The right password, given once; later updates may omit it.
    expect((await api('PUT', pmPath(), pmBody(BMC_PASSWORD))).status).toBe(200);
    expect((await api('PUT', pmPath(), pmBody())).status).toBe(200);
    const shown = await api('GET', pmPath());
    expect(shown.body).toMatchObject({ passwordSet: true, username: BMC_USER });
    expect(JSON.stringify(shown.body)).not.toContain(BMC_PASSWORD);
    const [row] = await L.p.engine.sql<{ password_sealed: string }>(
      'SELECT password_sealed FROM host_power_management WHERE host_id = $1',
      [L.p.hosts.h1.id],
    );
    expect(row.password_sealed).toMatch(/^v1:/);
    expect(row.password_sealed).not.toContain(BMC_PASSWORD);
    const before = (await L.p.lab.bmcCalls('h1')).length;
    // Every process's command line, sampled while the call runs: the fence agent is seen, the password never;
    // and it runs on h2 (fencing by proxy: h1's fence agent is run by another host of its cluster).
    const seen = { fenceProcesses: 0, password: [] as string[], netns: new Set<number | undefined>() };
    const testAction = async () => {
      let watching = true;
      const watcher = (async () => {
        while (watching) {
          for (const { pid, argv } of await allCommandLines()) {
            // fence_ipmilan lives ~1 s, its ipmitool a few hundred ms: either one may be missed by a sample.
            // Only this file's calls (another lab's may run at the same time): they carry its password
            // in their environment.
            if (
              argv.some((a) => a.endsWith('ipmitool') || a.endsWith('fence_ipmilan')) &&
              (await environOf(pid)).includes(`IPMI_PASSWORD=${BMC_PASSWORD}`)
            ) {
              seen.fenceProcesses++;
              seen.netns.add(await netnsOf(pid));
            }
            if (argv.join(' ').includes(BMC_PASSWORD)) seen.password.push(argv.join(' '));
          }
          await new Promise((r) => setTimeout(r, 10));
        }
      })();
      const res = await api('POST', `${pmPath()}/test`).finally(() => (watching = false));
      await watcher;
      return res;
    };
    // A sweep of every command line takes a while under load: a call may end between two sweeps, so
    // the action is repeated (up to 3 times) until one sweep has seen its fence agent.
    let proxiedBefore = (await proxiedFences('h2')).length;
    let ok = await testAction();
    for (let retry = 0; retry < 2 && seen.fenceProcesses === 0; retry++) {
      proxiedBefore = (await proxiedFences('h2')).length;
      ok = await testAction();
    }
    expect(seen.fenceProcesses).toBeGreaterThan(0);
    expect(seen.password).toEqual([]);
    expect(ok.status).toBe(200);
    expect(ok.body).toMatchObject({
      powerStatus: 'on',
      detail: expect.stringMatching(/run by host kfe1-h2\)$/),
    });
    seen.netns.delete(undefined);
    expect([...seen.netns]).toEqual([await hostNetns('h2')]);
    expect((await proxiedFences('h2')).slice(proxiedBefore)).toEqual([
      expect.objectContaining({ action: 'status', bmc: `${BMC_USER}@${bmc.address}:${BMC_PORT}` }),
      expect.objectContaining({ action: 'status', detail: 'the BMC reports power on' }),
    ]);
    // The answer came from the BMC (its chassis control was asked), not from a guess.
    expect((await L.p.lab.bmcCalls('h1')).slice(before).map((c) => c.args.join(' '))).toContain('get power');
  }, 120_000);

  it('a hung host is powered off through its BMC before its HA VM restarts elsewhere, then powered on', async () => {
    const haVm = await createRunningVm('kfe1-ha', { highlyAvailable: true }, '10.163.0.61');
    haVmId = haVm.id;
    const plainVm = await createRunningVm('kfe1-plain', {}, '10.163.0.62');
    const [oldQemu] = await qemuPids(haVm.id);
    expect(oldQemu).toBeDefined();
    let samples = 0;
    const twice: string[] = [];
    const sampler = setInterval(() => {
      void qemuPids(haVm.id).then((pids) => {
        samples++;
        if (pids.length > 1) twice.push(`${new Date().toISOString()} ${pids.join(',')}`);
      });
    }, 200);
    try {
      const since = new Date();
      const callsBefore = (await L.p.lab.bmcCalls('h1')).length;
      const proxiedBefore = (await proxiedFences('h2')).length;
      // The agent and libvirtd die; the QEMUs keep running: only the BMC can prove them dead.
      await L.p.lab.killAgent('h1');
      await L.p.lab.stopLibvirtd('h1');
      expect(await qemuPids(haVm.id)).toEqual([oldQemu]);

      const result = await eventually(
        'the fence of h1 audited',
        async () => (await auditSince(since, ['host.fence_result']))[0],
        60_000,
        250,
      );
      expect(result.message).toMatch(/fencing host kfe1-h1 through ipmilan succeeded: the BMC confirmed/);
      const [decision] = await auditSince(since, ['host.fence_decision']);
      expect(decision.message).toMatch(/kfe1-h1: fence \(fence\): .*through ipmilan/);

      await eventually(
        'the HA VM up on h2, the plain VM down',
        async () => {
          const [ha, plain] = [await getVm(haVm.id), await getVm(plainVm.id)];
          return ha.status === VmStatus.Up && ha.hostId === L.p.hosts.h2.id && plain.status === VmStatus.Down;
        },
        60_000,
        250,
      );
      expect((await virshOrThrow(L.uri('h2'), ['domstate', haVm.id])).trim()).toBe('running');
      const plain: Vm = await getVm(plainVm.id);
      expect(plain).toMatchObject({ hostId: null });
      expect(plain.statusReason).toMatch(/host kfe1-h1 was fenced through ipmilan/);
      // The power off really killed h1's QEMUs: the old one is gone, the only one left runs on h2.
      const pids = await qemuPids(haVm.id);
      expect(pids).toHaveLength(1);
      expect(pids).not.toContain(oldQemu);
      expect(await qemuPids(plainVm.id)).toEqual([]);

      // Then h1 gets its power back, boots (libvirtd, sshd, its agent) and is Up again.
      await eventually(
        'h1 up again',
        async () => (await getHost('h1')).status === HostStatus.Up,
        90_000,
        500,
      );
      const calls = (await L.p.lab.bmcCalls('h1')).slice(callsBefore).map((c) => c.args.join(' '));
      expect(calls.indexOf('set power 0')).toBeGreaterThanOrEqual(0);
      expect(calls.indexOf('set power 1')).toBeGreaterThan(calls.indexOf('set power 0'));

      await powerOnAudited(since);
      // Audit order: call, steps (off, confirm off), result, the HA restart, then power on.
      const audit = await auditSince(since, [
        'host.fence_call',
        'host.fence_step',
        'host.fence_result',
        'vm.ha_restarted',
      ]);
      expectFenceOrder(audit);
      // Every BMC call of this fence was run by h2's agent (the proxy), none by the engine.
      const bmcSteps = audit.filter((e) => /: (power off|confirm power off|power on): /.test(e.message));
      expect(bmcSteps.map((e) => /\(run by (.+)\)$/.exec(e.message)?.[1])).toEqual([
        'host kfe1-h2',
        'host kfe1-h2',
        'host kfe1-h2',
      ]);
      const byH2 = (await proxiedFences('h2')).slice(proxiedBefore).filter((l) => l.bmc);
      expect(byH2.map((l) => l.action)).toEqual(['off', 'status', 'on']);

      // The VM page's HA panel: protected again, its last restart the one after this fence.
      const ha = (await api('GET', `/vms/${haVm.id}/ha`)).body as VmHaStatus;
      const restarted = audit.find((e) => e.type === 'vm.ha_restarted')!;
      expect(ha).toMatchObject({ highlyAvailable: true, state: 'protected', lastFailure: null });
      expect(ha.lastRestart).toMatchObject({ kind: 'other-host', message: restarted.message });
      expect(new Date(ha.lastRestart!.at).getTime()).toBe(restarted.time.getTime());
      expect((await api('GET', `/vms/${plainVm.id}/ha`)).body).toMatchObject({
        state: 'off',
        lastRestart: null,
      });

      // Back on h1 nothing of the HA VM runs; it runs once, on h2.
      expect(await running('h1')).not.toContain(haVm.id);
      expect(await running('h2')).toContain(haVm.id);
      expect(await qemuPids(haVm.id)).toHaveLength(1);
    } finally {
      clearInterval(sampler);
    }
    expect(samples).toBeGreaterThan(10);
    expect(twice).toEqual([]);
  }, 240_000);

  it('a BMC that does not answer proves nothing: the VMs stay unknown and run nowhere else', async () => {
    const haVm = await getVm(haVmId);
    expect(haVm.hostId).toBe(L.p.hosts.h2.id);
    const [qemu] = await qemuPids(haVm.id);
    // h2's BMC settings point where no BMC listens.
    const h2pm = `/hosts/${L.p.hosts.h2.id}/power-management`;
    expect((await api('PUT', h2pm, { ...pmBody(BMC_PASSWORD), port: BMC_PORT + 1 })).status).toBe(200);
    const since = new Date();
    await L.p.lab.killAgent('h2');
    await L.p.lab.stopLibvirtd('h2');
    const result = await eventually(
      'the failed fence of h2 audited',
      async () => (await auditSince(since, ['host.fence_result']))[0],
      90_000,
      250,
    );
    expect(result.message).toMatch(
      /fencing host kfe1-h2 through ipmilan failed: .*BMC is unreachable .*no IPMI answer from the BMC/,
    );
    // One bounded fence_ipmilan call: a BMC that did not answer the power off is not asked to confirm
    // (that was a second ~30 s wait). The engine kills a call after FENCE_CALL_TIMEOUT_MS (20 s) at the
    // latest, so the failure is audited within that cap of the call — not the minute it used to take.
    const trail = await auditSince(since, ['host.fence_call', 'host.fence_step', 'host.fence_result']);
    expect(trail.map((e) => e.message.replace(/^fencing host kfe1-h2:? /, ''))).toEqual([
      expect.stringMatching(/^through ipmilan: /),
      'power off through its BMC (ipmilan)',
      expect.stringMatching(/^power off: no IPMI answer from the BMC.*\(run by host kfe1-h1\)$/),
      expect.stringMatching(/^through ipmilan failed: /),
    ]);
    const took = trail.at(-1)!.time.getTime() - trail[0]!.time.getTime();
    console.log(`dead BMC: fence call → unreachable in ${took} ms`);
    expect(took).toBeLessThan(20_000 + 10_000);
    expect(await getVm(haVm.id)).toMatchObject({ status: VmStatus.Unknown, hostId: L.p.hosts.h2.id });
    // With the QEMU log's last lines: it names who ended QEMU when it is gone (seen once, not explained).
    const qemuLog = join(L.p.lab.host('h2').dir, 'var-log-libvirt', 'qemu', `${haVm.name}.log`);
    const tail = (await readFile(qemuLog, 'utf8').catch((e: Error) => e.message)).split('\n').slice(-4);
    expect({ qemu: await qemuPids(haVm.id), tail }).toEqual({ qemu: [qemu], tail: expect.anything() });
    expect(await running('h1')).not.toContain(haVm.id);
  }, 150_000);
});
