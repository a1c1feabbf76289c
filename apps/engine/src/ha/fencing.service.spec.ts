import { HostStatus } from '@kelpie/shared-types';
import { loadConfig } from '../config/config.schema';
import { HostEntity } from '../hosts/host.entity';
import { FenceAgent, FenceOutcome } from './fence-agent';
import { FencingService } from './fencing.service';

const h1 = { id: 'h1', name: 'h1', clusterId: 'c1', status: HostStatus.NonResponsive } as HostEntity;
const h2 = { id: 'h2', name: 'h2', clusterId: 'c1', status: HostStatus.Up } as HostEntity;
const h3 = { id: 'h3', name: 'h3', clusterId: 'c1', status: HostStatus.Up } as HostEntity;

/** Advisory locks taken and released, as SQL statements. */
function fakeDataSource(locks: string[]) {
  return {
    createQueryRunner: () => ({
      connect: async () => undefined,
      release: async () => undefined,
      query: async (sql: string) => void locks.push(sql.replace(/\(.*$/, '')),
    }),
  } as never;
}

/** What other hosts saw of h1's lease records (engine time), as the repository gives it back. */
type Lease = { renewedAt: Date | null; unchangedSince: Date; checkedAt: Date; checkedBy: string };

function setup(
  opts: {
    agents?: FenceAgent[];
    fenceCalls?: number;
    hostFenceCalls?: number;
    startedMsAgo?: number;
    lease?: Lease | null;
  } = {},
) {
  const lease = { current: opts.lease ?? null };
  const events: { type: string; message: string }[] = [];
  const locks: string[] = [];
  const released: string[] = [];
  const config = loadConfig({
    KELPIE_HEARTBEAT_TIMEOUT_MS: '1000',
    KELPIE_FENCE_STARTUP_GRACE_MS: '60000',
  });
  const svc = new FencingService(
    config,
    {
      withStatus: jest.fn(async () => [h1]),
      find: jest.fn(async () => h1),
      statusesIn: jest.fn(async () => [h1, h2, h3].map((h) => h.status)),
    } as never,
    opts.agents ?? [],
    {
      record: jest.fn(async (e: { type: string; message: string }) => void events.push(e)),
      // The cluster's fence calls (rate limit) or the host's (recently fenced).
      list: jest.fn(async (q: { objectId: string }) => ({
        total: q.objectId === 'h1' ? (opts.hostFenceCalls ?? 0) : (opts.fenceCalls ?? 0),
        items: [],
      })),
    } as never,
    {
      create: jest.fn(async () => ({ id: 't1' })),
      run: jest.fn(async (_task: unknown, work: (ctx: unknown) => Promise<unknown>) =>
        work({ progress: async () => undefined }),
      ),
    } as never,
    { releaseVms: jest.fn(async (_ctx: unknown, host: HostEntity) => void released.push(host.id)) } as never,
    fakeDataSource(locks),
    { find: jest.fn(async () => lease.current) } as never,
  );
  // As if the engine had started that long ago.
  Object.assign(svc, { startedAt: Date.now() - (opts.startedMsAgo ?? 120_000) });
  return { svc, events, released, locks, lease };
}

const agent = (outcome: FenceOutcome): FenceAgent & { calls: number } => ({
  kind: 'test-bmc',
  calls: 0,
  appliesTo: async () => true,
  async fence() {
    this.calls++;
    return outcome;
  },
});

describe('fencing service', () => {
  it('audits each decision once per host and rule, not at every check', async () => {
    const s = setup({ startedMsAgo: 1000 });
    await s.svc.check();
    await s.svc.check();
    expect(s.events.map((e) => e.message)).toEqual([
      expect.stringMatching(/^fencing of host h1: hold \(startup-grace\)/),
    ]);
    Object.assign(s.svc, { startedAt: Date.now() - 120_000 });
    await s.svc.check();
    await s.svc.check();
    expect(s.events).toHaveLength(2);
    expect(s.events[1].message).toMatch(/hold \(no-power-management\)/);
  });

  it('a fence that proves the host off releases its VMs; every call and result is audited', async () => {
    const bmc = agent({ ok: true, hostIsOff: true, detail: 'power off confirmed' });
    const s = setup({ agents: [bmc] });
    await s.svc.check();
    expect(bmc.calls).toBe(1);
    expect(s.events.map((e) => e.type)).toEqual([
      'host.fence_decision',
      'host.fence_call',
      'host.fence_result',
    ]);
    expect(s.released).toEqual(['h1']);
    // Proven off: not fenced again while it stays non-responsive.
    await s.svc.check();
    expect(bmc.calls).toBe(1);
  });

  it('steps are audited; the host gets its power back only after its VMs were released', async () => {
    const order: string[] = [];
    const bmc: FenceAgent = {
      kind: 'test-bmc',
      appliesTo: async () => true,
      async fence(_host, _signal, step) {
        await step('power off');
        return { ok: true, hostIsOff: true, detail: 'off' };
      },
      async restore(_host, _signal, step) {
        order.push('restore');
        await step('power on');
      },
    };
    const s = setup({ agents: [bmc] });
    const release = jest.fn(async () => void order.push('release'));
    Object.assign(s.svc, { restart: { releaseVms: release } });
    await s.svc.check();
    expect(order).toEqual(['release', 'restore']);
    expect(s.events.map((e) => e.type)).toEqual([
      'host.fence_decision',
      'host.fence_call',
      'host.fence_step',
      'host.fence_result',
      'host.fence_step',
    ]);
  });

  it('a fence that does not prove the host off releases nothing (its VMs stay unknown)', async () => {
    const soft = agent({ ok: true, hostIsOff: false, detail: 'agent restarted' });
    const s = setup({ agents: [soft] });
    await s.svc.check();
    expect(soft.calls).toBe(1);
    expect(s.released).toEqual([]);
  });

  it('fences under the deployment-wide lock, not when the host was fenced moments ago (another engine)', async () => {
    const bmc = agent({ ok: true, hostIsOff: true, detail: 'off' });
    const s = setup({ agents: [bmc], hostFenceCalls: 1 });
    await s.svc.check();
    expect(bmc.calls).toBe(0);
    expect(s.locks).toEqual(['SELECT pg_advisory_lock', 'SELECT pg_advisory_unlock']);
    expect(s.released).toEqual([]);
  });

  it('holds once the cluster reached its fence calls for the window', async () => {
    const bmc = agent({ ok: true, hostIsOff: true, detail: 'off' });
    const s = setup({ agents: [bmc], fenceCalls: 2 });
    await s.svc.check();
    expect(bmc.calls).toBe(0);
    expect(s.events[0].message).toMatch(/hold \(rate-limit\)/);
  });

  /** A soft agent with `softOutcome`, then a BMC that proves the host off; after two checks. */
  async function softThenHard(softOutcome: FenceOutcome) {
    const soft = { ...agent(softOutcome), kind: 'ssh-soft', soft: true };
    const bmc = agent({ ok: true, hostIsOff: true, detail: 'off' });
    const s = setup({ agents: [soft, bmc] });
    await s.svc.check();
    await s.svc.check();
    return { soft, bmc, s };
  }

  it('fences softly first (once), waits the soft grace, then goes on to the hard agent', async () => {
    const { soft, bmc, s } = await softThenHard({ ok: true, hostIsOff: false, detail: 'agent restarted' });
    expect([soft.calls, bmc.calls]).toEqual([1, 0]);
    expect(s.events.map((e) => e.type)).toContain('host.soft_fence_call');
    expect(s.events.map((e) => e.message)).toContainEqual(expect.stringMatching(/hold \(soft-fenced\)/));
    // The host stayed silent past the grace: hard fencing, and the soft fence is not tried again.
    const spell = (s.svc as unknown as { softFenced: Map<string, { at: number }> }).softFenced;
    spell.get('h1')!.at -= 61_000;
    await s.svc.check();
    expect([soft.calls, bmc.calls]).toEqual([1, 1]);
    expect(s.released).toEqual(['h1']);
  });

  it('a soft fence that failed goes on to the hard agent at the next check', async () => {
    const { soft, bmc } = await softThenHard({ ok: false, hostIsOff: false, detail: 'connection refused' });
    expect([soft.calls, bmc.calls]).toEqual([1, 1]);
  });

  describe('storage leases', () => {
    const ago = (ms: number) => new Date(Date.now() - ms);
    /** Renewed 2 s ago as h2 saw it a moment ago: alive (made when a test runs: the times are relative). */
    const renewing = (): Lease => ({
      renewedAt: ago(2000),
      unchangedSince: ago(2000),
      checkedAt: ago(500),
      checkedBy: 'h2',
    });
    /** h2 watched the record stay unchanged for 70 s (timeout 60 s): expired. */
    const expired = (): Lease => ({
      renewedAt: ago(75_000),
      unchangedSince: ago(75_000),
      checkedAt: ago(1000),
      checkedBy: 'h2',
    });
    const silentBmc = () => agent({ ok: false, hostIsOff: false, detail: 'the BMC did not answer' });

    it('no hard fence while the host still renews its leases; the hold says why', async () => {
      const bmc = agent({ ok: true, hostIsOff: true, detail: 'off' });
      const s = setup({ agents: [bmc], lease: renewing() });
      await s.svc.check();
      expect(bmc.calls).toBe(0);
      expect(s.released).toEqual([]);
      expect(s.events.map((e) => e.message)).toEqual([
        expect.stringMatching(
          /hold \(lease-renewing\): host h1 still renews its storage leases \(last renewal seen \d s ago/,
        ),
      ]);
    });

    it('a soft fence is still allowed while the leases are renewed', async () => {
      const soft = {
        ...agent({ ok: true, hostIsOff: false, detail: 'agent restarted' }),
        kind: 'ssh-soft',
        soft: true,
      };
      const bmc = agent({ ok: true, hostIsOff: true, detail: 'off' });
      const s = setup({ agents: [soft, bmc], lease: renewing() });
      await s.svc.check();
      expect([soft.calls, bmc.calls]).toEqual([1, 0]);
    });

    it('BMC silent and leases expired: the host is declared dead and its VMs released', async () => {
      const bmc = silentBmc();
      const s = setup({ agents: [bmc], lease: expired() });
      await s.svc.check();
      // Asked once, failed, then declared dead at once (the leases had expired already).
      expect([bmc.calls, s.events.length]).toEqual([1, 4]);
      expect(s.events.slice(2).map((e) => e.type)).toEqual(['host.fence_result', 'host.declared_dead']);
      expect(s.events[3].message).toMatch(
        /host h1 was declared dead: its BMC did not answer and its storage leases expired \(last renewal seen 7\d s ago/,
      );
      expect(s.released).toEqual(['h1']);
      await s.svc.check();
      expect(bmc.calls).toBe(1);
      expect(s.released).toEqual(['h1']);
    });

    it('BMC silent, leases not yet expired: held (VMs stay unknown) until they expire, never before', async () => {
      const bmc = silentBmc();
      // Nobody has seen h1's records change for 20 s: not yet past the 60 s timeout.
      const s = setup({
        agents: [bmc],
        lease: { renewedAt: ago(20_000), unchangedSince: ago(20_000), checkedAt: ago(500), checkedBy: 'h2' },
      });
      // Renewed 20 s ago counts as renewing: the hard fence waits for that too.
      await s.svc.check();
      expect(bmc.calls).toBe(0);
      // Unknown (no renewal seen, watched only 20 s): the BMC is asked, fails, the host is held.
      s.lease.current = {
        renewedAt: null,
        unchangedSince: ago(20_000),
        checkedAt: ago(500),
        checkedBy: 'h2',
      };
      await s.svc.check();
      expect(bmc.calls).toBe(1);
      await s.svc.check();
      expect(s.released).toEqual([]);
      expect(s.events.filter((e) => e.type === 'host.declared_dead')).toEqual([]);
      expect(s.events.map((e) => e.message)).toContainEqual(
        expect.stringMatching(/hold \(awaiting-lease-expiry\): its BMC did not power host h1 off/),
      );
      s.lease.current = expired();
      await s.svc.check();
      expect(s.events.map((e) => e.type).at(-1)).toBe('host.declared_dead');
      expect(s.released).toEqual(['h1']);
      expect(bmc.calls).toBe(1);
    });
  });
});
