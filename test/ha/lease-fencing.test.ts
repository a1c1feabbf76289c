import { HostStatus } from '@kelpie/shared-types';
import { runOrThrow } from '@kelpie/lab';
import { eventually } from '../support/platform';
import { TestDatabase } from '../support/services';
import { VmLab } from '../vm/lifecycle-support';
import { haLab, leaseRecordOf, qemuPids, startLeaseLab } from './ha-lab';

/**
 * Host storage leases on real lab hosts: each host runs a lease renewer apart from its agent, writing
 * its record on the shared storage domain every second; the other host's agent watches the record
 * and reports how long it has not changed. The engine then
 * - holds hard fencing of a host whose agent is dead while its renewer still renews (alive);
 * - declares dead a host whose BMC died with it (total power loss) once its lease has provably
 *   expired — and only then restarts its HA VM elsewhere.
 * All lab hosts share the machine's clock, so the renewer's own timestamps (in its record) can be
 * compared with the engine's audit times and the virsh samples here; the engine never does that.
 */
const LEASE_TIMEOUT_MS = 12_000;
let db: TestDatabase;
let L: VmLab;
let haVmId: string;
const { getVm, getHost, running, auditSince, createRunningVm, waitRunningOn } = haLab(() => L);

/** h1's lease record on the shared domain: "<host id> <counter> <epoch ms>" (the renewer's clock). */
const leaseRecord = (h: string) => leaseRecordOf(L, h);
const leaseRow = async (h: string) =>
  (
    await L.p.engine.sql<{ renewed_at: Date | null; checked_by: string }>(
      'SELECT renewed_at, checked_by FROM host_lease WHERE host_id = $1',
      [L.p.hosts[h].id],
    )
  )[0];
const fenceEventsOfH1 = async (since: Date) =>
  (await auditSince(since, ['host.fence_call', 'host.declared_dead'])).filter((e) =>
    e.message.includes('kls2-h1'),
  );

beforeAll(async () => {
  ({ L, db } = await startLeaseLab({
    labName: 'kls2',
    subnet: 177,
    bmcPort: 16177,
    bmcPassword: 'bmc-L3ase!',
    leaseTimeoutMs: LEASE_TIMEOUT_MS,
  }));
}, 300_000);

afterAll(async () => {
  await L?.close();
  await db?.drop();
});

describe('host storage leases', () => {
  it('each host renews its record on the shared domain; the other host sees it change and the engine records it', async () => {
    // The HA VM of the next tests; its disk puts the shared domain's pool on the hosts.
    haVmId = (await createRunningVm('kls2-ha', { highlyAvailable: true }, '10.177.0.61')).id;
    const first = await eventually(
      'h1 lease record',
      () => leaseRecord('h1').catch(() => undefined),
      30_000,
      250,
    );
    expect(first.hostId).toBe(L.p.hosts.h1.id);
    await eventually('h1 renews', async () => (await leaseRecord('h1')).counter > first.counter, 10_000, 250);
    // Seen by the other host (never by the host itself), renewal observed.
    for (const [h, other] of [
      ['h1', 'h2'],
      ['h2', 'h1'],
    ])
      await eventually(
        `${h}'s renewals seen by ${other}`,
        async () => {
          const row = await leaseRow(h);
          return !!row?.renewed_at && row.checked_by === L.p.hosts[other].id;
        },
        30_000,
        250,
      );
  }, 120_000);

  it('agent and libvirtd dead, lease renewer alive: no hard fence (audited why), the VM keeps running', async () => {
    const haVm = await getVm(haVmId);
    const [qemu] = await qemuPids(haVm.id);
    const powerCalls = async () =>
      (await L.p.lab.bmcCalls('h1')).filter((c) => c.args[0] === 'set' && c.args[1] === 'power').length;
    const powerCallsBefore = await powerCalls();
    const since = new Date();
    // A hung host as far as the engine can tell (agent and libvirtd dead), its lease renewer alive.
    await Promise.all([L.p.lab.killAgent('h1'), L.p.lab.stopLibvirtd('h1')]);
    const [held] = await eventually(
      'the hold audited',
      async () => {
        const d = (await auditSince(since, ['host.fence_decision'])).filter((e) =>
          /lease-renewing/.test(e.message),
        );
        return d.length ? d : undefined;
      },
      60_000,
      250,
    );
    expect(held.message).toMatch(
      /fencing of host kls2-h1: hold \(lease-renewing\): host kls2-h1 still renews its storage leases \(last renewal seen \d+ s ago.*it is alive, only its agent does not answer/,
    );
    // Two lease timeouts later: still renewing, never fenced, the VM's QEMU the same process.
    const renewedBefore = (await leaseRow('h1')).renewed_at!.getTime();
    await new Promise((r) => setTimeout(r, 2 * LEASE_TIMEOUT_MS));
    expect((await leaseRow('h1')).renewed_at!.getTime()).toBeGreaterThan(renewedBefore);
    expect(await fenceEventsOfH1(since)).toEqual([]);
    expect(await powerCalls()).toBe(powerCallsBefore);
    expect(await qemuPids(haVm.id)).toEqual([qemu]);
    expect((await getVm(haVm.id)).hostId).toBe(L.p.hosts.h1.id);

    // Back: libvirtd and the agent started again, the host is Up, the VM still where it was.
    await L.p.lab.up(2, { installPackages: false });
    await L.p.startAgent('h1');
    await eventually('h1 up', async () => (await getHost('h1')).status === HostStatus.Up, 60_000, 250);
    expect(await qemuPids(haVm.id)).toEqual([qemu]);
  }, 180_000);

  it('the engine cut off from every host at once (all links down): no fencing at all, audited why', async () => {
    const [qemu] = await qemuPids(haVmId);
    const setLinks = (state: 'up' | 'down') =>
      Promise.all(
        ['h1', 'h2'].map((h) => runOrThrow('ip', ['link', 'set', 'dev', L.p.lab.host(h).veth, state])),
      );
    const powerCallsBefore = (await L.p.lab.bmcCalls('h1')).length;
    const since = new Date();
    await setLinks('down');
    try {
      const [held] = await eventually(
        'the cluster-unreachable hold audited',
        async () => {
          const d = (await auditSince(since, ['host.fence_decision'])).filter((e) =>
            /kls2-h1: hold \(cluster-unreachable\)/.test(e.message),
          );
          return d.length ? d : undefined;
        },
        60_000,
        250,
      );
      expect(held.message).toMatch(/2 of 2 hosts of the cluster are unreachable at once/);
      // Past two lease timeouts cut off: nothing fenced, the BMC never asked, the QEMU untouched.
      await new Promise((r) => setTimeout(r, 2 * LEASE_TIMEOUT_MS));
      expect(await fenceEventsOfH1(since)).toEqual([]);
      expect((await L.p.lab.bmcCalls('h1')).length).toBe(powerCallsBefore);
      expect(await qemuPids(haVmId)).toEqual([qemu]);
    } finally {
      await setLinks('up');
    }
    for (const h of ['h1', 'h2'])
      await eventually(`${h} up again`, async () => (await getHost(h)).status === HostStatus.Up, 60_000, 250);
    expect(await qemuPids(haVmId)).toEqual([qemu]);
  }, 180_000);

  it('total power loss (host and its BMC): the HA VM restarts on h2 once the lease expired, never before', async () => {
    const [oldQemu] = await qemuPids(haVmId);
    expect(oldQemu).toBeDefined();
    // Sampled one after the other (virsh on h2 and every QEMU on the machine), every 200 ms.
    const samples: { at: number; h2: boolean; pids: number }[] = [];
    let sampling = true;
    const sampler = (async () => {
      while (sampling) {
        const at = Date.now();
        const [pids, h2] = await Promise.all([qemuPids(haVmId), running('h2')]);
        samples.push({ at, h2: h2.includes(haVmId), pids: pids.length });
        await new Promise((r) => setTimeout(r, 200));
      }
    })();
    const since = new Date();
    try {
      await L.p.lab.stopBmc('h1');
      await L.p.lab.crashHost('h1');
      const lastRenewal = (await leaseRecord('h1')).writtenAt;

      const dead = await eventually(
        'h1 declared dead',
        async () => (await auditSince(since, ['host.declared_dead']))[0],
        180_000,
        250,
      );
      expect(dead.message).toMatch(
        /host kls2-h1 was declared dead: its BMC did not answer and its storage leases expired/,
      );
      await waitRunningOn(haVmId, 'h2');

      // Never before expiry: the declaration, and the first moment h2 ran the VM, came more than a
      // lease timeout after h1's last renewal (its renewer's own timestamp, same machine clock).
      expect(dead.time.getTime() - lastRenewal).toBeGreaterThan(LEASE_TIMEOUT_MS);
      const firstOnH2 = await eventually(
        'virsh on h2 sampled running the VM',
        async () => samples.find((s) => s.h2),
        10_000,
        100,
      );
      expect(firstOnH2.at - lastRenewal).toBeGreaterThan(LEASE_TIMEOUT_MS);

      // The audit order: the BMC was asked and failed, then the declaration, then the restart (its
      // event is recorded once the start task settled, which can come after the VM shows Up).
      await eventually(
        'the HA restart audited',
        async () => (await auditSince(since, ['vm.ha_restarted']))[0],
        30_000,
        250,
      );
      const audit = await auditSince(since, [
        'host.fence_call',
        'host.fence_result',
        'host.declared_dead',
        'vm.ha_restarted',
      ]);
      const order = audit.map((e) => e.type);
      console.log(audit.map((e) => `${e.time.toISOString()} ${e.type}: ${e.message}`).join('\n'));
      const at = (t: string) => order.indexOf(t);
      expect(at('host.fence_call')).toBeGreaterThanOrEqual(0);
      expect(audit[at('host.fence_result')].message).toMatch(/through ipmilan failed/);
      expect(at('host.fence_result')).toBeGreaterThan(at('host.fence_call'));
      expect(at('host.declared_dead')).toBeGreaterThan(at('host.fence_result'));
      expect(at('vm.ha_restarted')).toBeGreaterThan(at('host.declared_dead'));
    } finally {
      sampling = false;
      await sampler;
    }
    expect(samples.length).toBeGreaterThan(10);
    expect(samples.filter((s) => s.pids > 1)).toEqual([]);
    expect(await qemuPids(haVmId)).toHaveLength(1);
  }, 300_000);
});
