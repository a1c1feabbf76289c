import { virshOrThrow } from '@kelpie/lab';
import { Host, HostStatus, StreamMessage, Vm, VmStatus } from '@kelpie/shared-types';
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { tinyDomainXml } from '../agent/support/libvirt-sandbox';
import { startTestEngine } from '../support/engine';
import { eventually, startTestPlatform, TestPlatform } from '../support/platform';
import { PrivatePostgres, startPrivatePostgres } from '../support/private-postgres';
import { openStream, SseClient } from '@kelpie/test-support';

/**
 * Outages of the engine and of its Postgres while the fleet keeps running (real lab hosts, agents,
 * Redis; a private Postgres this file may restart). None of them may flap a host to NonResponsive,
 * move a VM out of its state, or lose an agent's report.
 */
// Short, so the test is; but an agent restarted with the engine must get its first heartbeat in
// within it, and under CI load (two lab files at once) starting the agent's node process took 9 s.
const HEARTBEAT_TIMEOUT_MS = 12_000;
const engineEnv = { KELPIE_HEARTBEAT_TIMEOUT_MS: String(HEARTBEAT_TIMEOUT_MS) };
let pg: PrivatePostgres;
let p: TestPlatform;
let xmlDir: string;
let vmId: string;
const DOMAIN = 'kqb1-steady';

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));
const hostOf = async (labHost: string) =>
  (await p.engine.api('GET', `/api/v1/hosts/${p.hosts[labHost].id}`)).body as Host;
const vmOf = async () => (await p.engine.api('GET', `/api/v1/vms/${vmId}`)).body as Vm;
const uriOf = (labHost: string) => p.labStatus.hosts.find((h) => h.name === labHost)!.uri;

/** What a flap leaves behind: host status changes and VM status changes on the stream, host status
 * changes (and anything about fencing) in the audit log. */
async function disturbances(since: Date, stream: SseClient): Promise<string[]> {
  const audited = await p.engine.sql<{ type: string; message: string }>(
    `SELECT type, message FROM event WHERE time >= $1 AND (type = 'host.status' OR type LIKE '%fenc%')
      ORDER BY time`,
    [since],
  );
  const streamed = stream.messages.filter(
    (m: StreamMessage) => m.type === 'host.status' || m.type === 'vm.status',
  );
  return [
    ...audited.map((e) => `audit ${e.type}: ${e.message}`),
    ...streamed.map((m) => `stream ${m.type}: ${JSON.stringify(m)}`),
  ];
}

/** Replaces the engine by a new one on the same database and Redis prefix, after `downMs`. */
async function restartEngine(downMs: number, agents: 'keep running' | 'restart with the engine') {
  const prefix = p.engine.config.redisPrefix;
  await p.engine.close();
  if (agents !== 'keep running') for (const h of ['h1', 'h2']) await p.lab.stopAgent(h);
  await sleep(downMs);
  const since = new Date();
  p.engine = await startTestEngine(engineEnv, { db: pg.database, redisPrefix: prefix });
  // As after a power cycle (and in scripts/up.sh): the engine answers first, the agents follow.
  if (agents !== 'keep running') await Promise.all(['h1', 'h2'].map((h) => p.startAgent(h)));
  return since;
}

/** Watches the new engine's live stream for longer than the heartbeat timeout, then asserts nothing
 * moved since `since` (stream and audit log), and that hosts, VM and libvirt still agree. */
async function expectSteadyFleet(since: Date): Promise<void> {
  const stream = await openStream(`${p.engine.baseUrl}/api/v1/events/stream`);
  try {
    await sleep(HEARTBEAT_TIMEOUT_MS + 3000);
    expect(await disturbances(since, stream)).toEqual([]);
  } finally {
    stream.close();
  }
  for (const h of ['h1', 'h2']) expect((await hostOf(h)).status).toBe(HostStatus.Up);
  expect(await vmOf()).toMatchObject({ status: VmStatus.Up, hostId: p.hosts.h1.id });
  expect((await virshOrThrow(uriOf('h1'), ['domstate', DOMAIN])).trim()).toBe('running');
}

beforeAll(async () => {
  xmlDir = await mkdtemp(join(tmpdir(), 'kelpie-outages-'));
  pg = await startPrivatePostgres();
  p = await startTestPlatform({
    labName: 'kqb1',
    subnet: 105,
    hosts: 2,
    db: pg.database,
    engineEnv,
    // Only events and explicit refreshes report: a report lost in an outage is not repaired by a listing.
    agentEnv: { KELPIE_RECONCILE_INTERVAL_MS: '3600000' },
  });
  for (const h of ['h1', 'h2'])
    await eventually(`${h} up`, async () => (await hostOf(h)).status === HostStatus.Up, 60_000, 200);
  const file = join(xmlDir, `${DOMAIN}.xml`);
  await writeFile(file, tinyDomainXml(DOMAIN, { vnc: false }));
  await virshOrThrow(uriOf('h1'), ['define', file]);
  await virshOrThrow(uriOf('h1'), ['start', DOMAIN]);
  vmId = (await virshOrThrow(uriOf('h1'), ['domuuid', DOMAIN])).trim();
  await eventually(
    'the running domain recorded Up',
    async () => (await vmOf()).status === VmStatus.Up,
    15_000,
  );
}, 180_000);

afterAll(async () => {
  await p?.close();
  await pg?.destroy();
  if (xmlDir) await rm(xmlDir, { recursive: true, force: true });
});

describe('engine and database outages', () => {
  it('engine stopped for 30 s (2.5 heartbeat timeouts) while agents keep running: the new engine flaps no host and no VM', async () => {
    await expectSteadyFleet(await restartEngine(30_000, 'keep running'));
  }, 120_000);

  it('engine and agents started together after an outage longer than the heartbeat timeout: no flap', async () => {
    const [before] = await p.engine.sql<{ last: Date }>('SELECT min(last_heartbeat_at) AS last FROM host');
    const since = await restartEngine(HEARTBEAT_TIMEOUT_MS + 2000, 'restart with the engine');
    // The database's last heartbeats are older than the timeout when the new engine starts.
    expect(since.getTime() - new Date(before.last).getTime()).toBeGreaterThan(HEARTBEAT_TIMEOUT_MS);
    await expectSteadyFleet(since);
  }, 120_000);

  it('Postgres restarted while heartbeats and reports flow: no flap, the report sent meanwhile is applied', async () => {
    const stream = await openStream(`${p.engine.baseUrl}/api/v1/events/stream`);
    try {
      const since = new Date();
      await pg.stop();
      // Reported while the database is away: libvirt's event becomes a report the engine cannot apply yet.
      await virshOrThrow(uriOf('h1'), ['suspend', DOMAIN]);
      await sleep(HEARTBEAT_TIMEOUT_MS / 2);
      await pg.start();
      const paused = await eventually(
        'the suspend reported during the outage applied',
        async () => {
          const vm = await vmOf().catch(() => undefined);
          return vm?.status === VmStatus.Paused ? vm : undefined;
        },
        30_000,
        200,
      );
      expect(paused.hostId).toBe(p.hosts.h1.id);
      await sleep(HEARTBEAT_TIMEOUT_MS);
      // The suspend is the only change: no host flapped, no VM went unknown.
      expect(await disturbances(since, stream)).toEqual([
        expect.stringMatching(/^stream vm\.status: .*"to":"paused"/),
      ]);
      for (const h of ['h1', 'h2']) expect((await hostOf(h)).status).toBe(HostStatus.Up);
      // Heartbeats are recorded again.
      const [row] = await p.engine.sql<{ last: Date }>('SELECT min(last_heartbeat_at) AS last FROM host');
      expect(new Date(row.last).getTime()).toBeGreaterThan(since.getTime());
    } finally {
      stream.close();
      await virshOrThrow(uriOf('h1'), ['resume', DOMAIN]).catch(() => undefined);
    }
  }, 120_000);
});
