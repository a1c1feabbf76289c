import { HostStatus } from '@kelpie/shared-types';
import { run, runOrThrow } from '@kelpie/lab';
import { eventually } from '../support/platform';
import { TestDatabase } from '../support/services';
import { VmLab } from '../vm/lifecycle-support';
import { expectFenceOrder, haLab, leaseRecordOf, qemuPids, startLeaseLab } from './ha-lab';

/**
 * A partitioned host on real lab hosts whose shared storage goes over the network: each host mounts
 * the shared directory with sshfs through its own link (lab `networkStorage`), as a real host mounts
 * NFS. h1's link goes down while its QEMU keeps running. h1 can then no longer renew its lease on the
 * shared storage, so once h2 has watched the record unchanged for a lease timeout the engine fences
 * h1 through its BMC (outside h1, still reachable), and only after the BMC confirmed power off is the
 * HA VM restarted on h2. Throughout, every 300 ms: which QEMUs run the VM on the machine, and what
 * virsh says on every host (inside each host, so a partitioned host is still asked).
 */
const LEASE_TIMEOUT_MS = 12_000;
let db: TestDatabase;
let L: VmLab;
let haVmId: string;
const { api, getHost, auditSince, powerOnAudited, createRunningVm, waitRunningOn } = haLab(() => L);
const leaseRecord = (h: string) => leaseRecordOf(L, h);

/** virsh inside the host (its own libvirtd socket, no network): true/false, or null when it did not
 * answer in time (a partitioned host's libvirtd may wait on its storage). */
const runsOn = async (h: string, vmId: string): Promise<boolean | null> => {
  const r = await L.p.lab
    .execInHost(h, ['virsh', '-c', 'qemu:///system', 'list', '--uuid'], { timeoutMs: 3000 })
    .catch(() => undefined);
  if (!r || r.code !== 0) return null;
  return r.stdout.split('\n').some((l) => l.trim() === vmId);
};

beforeAll(async () => {
  ({ L, db } = await startLeaseLab({
    labName: 'kpt1',
    subnet: 180,
    bmcPort: 16180,
    bmcPassword: 'bmc-P4rtition!',
    leaseTimeoutMs: LEASE_TIMEOUT_MS,
    networkStorage: true,
  }));
}, 300_000);

afterAll(async () => {
  await L?.close();
  await db?.drop();
});

describe('a partitioned host on network storage', () => {
  it('each host reaches the shared storage through its link; h1 renews its lease there', async () => {
    for (const h of ['h1', 'h2']) {
      const mnt = await L.p.lab.execInHost(h, [
        'findmnt',
        '-n',
        '-o',
        'FSTYPE,SOURCE',
        L.p.labStatus.sharedDir,
      ]);
      expect(mnt.stdout.trim()).toBe(`fuse.sshfs ${L.p.labStatus.bridgeIp}:${L.p.labStatus.sharedDir}`);
    }
    haVmId = (await createRunningVm('kpt1-ha', { highlyAvailable: true }, '10.180.0.61')).id;
    // The VM's disk is opened through h1's sshfs mount.
    const [qemu] = await qemuPids(haVmId);
    const disks = await run('ls', ['-l', `/proc/${qemu}/fd`]);
    expect(disks.stdout).toContain(L.p.labStatus.sharedDir);
    const first = await eventually(
      'h1 lease record',
      () => leaseRecord('h1').catch(() => undefined),
      30_000,
      250,
    );
    await eventually('h1 renews', async () => (await leaseRecord('h1')).counter > first.counter, 10_000, 250);
    await eventually(
      "h1's renewals seen by h2",
      async () =>
        (
          await L.p.engine.sql<{ renewed_at: Date | null }>(
            'SELECT renewed_at FROM host_lease WHERE host_id = $1 AND checked_by = $2',
            [L.p.hosts.h1.id, L.p.hosts.h2.id],
          )
        )[0]?.renewed_at,
      30_000,
      250,
    );
  }, 120_000);

  it("h1's link down with its QEMU running: powered off through its BMC before the HA VM restarts on h2, never two", async () => {
    const [oldQemu] = await qemuPids(haVmId);
    expect(oldQemu).toBeDefined();
    const samples: { at: number; pids: number[]; h1: boolean | null; h2: boolean | null; lease: number }[] =
      [];
    let sampling = true;
    const sampler = (async () => {
      while (sampling) {
        const at = Date.now();
        const [pids, h1, h2, lease] = await Promise.all([
          qemuPids(haVmId),
          runsOn('h1', haVmId),
          runsOn('h2', haVmId),
          leaseRecord('h1').then(
            (r) => r.writtenAt,
            () => 0,
          ),
        ]);
        samples.push({ at, pids, h1, h2, lease });
        await new Promise((r) => setTimeout(r, 300));
      }
    })();
    const veth = L.p.lab.host('h1').veth;
    const since = new Date();
    const callsBefore = (await L.p.lab.bmcCalls('h1')).length;
    let linkDownAt = 0;
    try {
      await runOrThrow('ip', ['link', 'set', 'dev', veth, 'down']);
      linkDownAt = Date.now();
      await eventually(
        'the fence of h1 audited',
        async () => (await auditSince(since, ['host.fence_result']))[0],
        120_000,
        250,
      );
      await waitRunningOn(haVmId, 'h2');
      // The power on boots h1 with a new link: it comes back Up, without the VM.
      await eventually(
        'h1 up again',
        async () => (await getHost('h1')).status === HostStatus.Up,
        90_000,
        500,
      );
    } finally {
      sampling = false;
      await sampler;
      // Only if the fence never came (the boot makes a new link, up).
      await run('ip', ['link', 'set', 'dev', veth, 'up']);
    }

    const calls = (await L.p.lab.bmcCalls('h1')).slice(callsBefore);
    const powerOff = calls.find((c) => c.args.join(' ') === 'set power 0');
    expect(powerOff).toBeDefined();
    const powerOffAt = new Date(powerOff!.time).getTime();
    // While partitioned h1 could not renew (its renewer writes through the dead link): its last
    // renewal before the power off is from when its link went down, and the fence call came more
    // than a lease timeout after it. (After the power on h1 renews again.)
    const lastRenewal = Math.max(...samples.filter((s) => s.at < powerOffAt).map((s) => s.lease));
    expect(lastRenewal).toBeLessThan(linkDownAt + 2000);
    // The restart's event is recorded once its start task settled, which can come after the VM is Up.
    await eventually(
      'the HA restart audited',
      async () => (await auditSince(since, ['vm.ha_restarted']))[0],
      30_000,
      250,
    );
    await powerOnAudited(since);
    const audit = await auditSince(since, [
      'host.fence_decision',
      'host.fence_call',
      'host.fence_step',
      'host.fence_result',
      'vm.ha_restarted',
    ]);
    console.log(audit.map((e) => `${e.time.toISOString()} ${e.type}: ${e.message}`).join('\n'));
    const call = audit.find((e) => e.type === 'host.fence_call')!;
    expect(call.message).toMatch(/kpt1-h1/);
    expect(call.time.getTime() - lastRenewal).toBeGreaterThan(LEASE_TIMEOUT_MS);
    expectFenceOrder(audit);

    // The samples: h1's old QEMU ran on while partitioned, until the BMC's power off; the VM ran on
    // h2 only after that; at no moment did two QEMUs run it, or virsh on both hosts report it running.
    // Enough samples to mean something (a partitioned host's virsh may take its whole 3 s timeout).
    expect(samples.length).toBeGreaterThan(5);
    const withOld = samples.filter((s) => s.pids.includes(oldQemu));
    const lastWithOld = withOld[withOld.length - 1];
    expect(lastWithOld.at).toBeGreaterThan(linkDownAt + LEASE_TIMEOUT_MS);
    const firstOnH2 = samples.find((s) => s.h2 === true || s.pids.some((p) => p !== oldQemu));
    expect(firstOnH2).toBeDefined();
    expect(firstOnH2!.at).toBeGreaterThan(lastWithOld.at);
    expect(firstOnH2!.at).toBeGreaterThan(powerOffAt);
    expect(samples.filter((s) => s.pids.length > 1)).toEqual([]);
    expect(samples.filter((s) => s.h1 === true && s.h2 === true)).toEqual([]);
    // virsh inside h1 was really asked while it was partitioned, and said the VM was running.
    expect(samples.some((s) => s.at > linkDownAt && s.at < lastWithOld.at && s.h1 === true)).toBe(true);
    expect(await qemuPids(haVmId)).toHaveLength(1);
    expect(await runsOn('h1', haVmId)).toBe(false);
    // The VM page's HA panel: protected on h2, its last restart the one after this fence.
    const restarted = audit.find((e) => e.type === 'vm.ha_restarted')!;
    expect((await api('GET', `/vms/${haVmId}/ha`)).body).toMatchObject({
      state: 'protected',
      lastRestart: { kind: 'other-host', at: restarted.time.toISOString() },
    });
  }, 300_000);
});
