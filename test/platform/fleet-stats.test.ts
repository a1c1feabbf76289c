import { FleetStats, Host, HostStatsSample, HostStatus } from '@kelpie/shared-types';
import { eventually, startTestPlatform, TestPlatform } from '../support/platform';

/** Engine + real agents in 2 lab hosts: the dashboard's fleet chart in one request, built from the
 * same per-host histories `GET /hosts/{id}/stats` returns. */
let p: TestPlatform;
const LIMIT = 5;
const BUCKET_SECONDS = 4;

const history = async (labHost: string) =>
  (await p.engine.api('GET', `/api/v1/hosts/${p.hosts[labHost].id}/stats?limit=${LIMIT}`))
    .body as HostStatsSample[];
const fleet = async () => {
  const res = await p.engine.api('GET', `/api/v1/stats/fleet?limit=${LIMIT}&bucketSeconds=${BUCKET_SECONDS}`);
  expect(res.status).toBe(200);
  return res.body as FleetStats;
};

/** The fleet answer and the per-host histories it must be made of, read while no new sample arrived
 * (the agents report every 2 s: retried until the histories are the same before and after). The
 * engine reuses a fleet answer for FLEET_REUSE_MS, so one read in that window may predate the last
 * sample: retried until the answer is made of the histories read around it (a wrong sum never is). */
async function consistentRead(labHosts: string[]) {
  return eventually(
    'a fleet answer made of the host histories read just before and after it',
    async () => {
      const before = await Promise.all(labHosts.map(history));
      const f = await fleet();
      const after = await Promise.all(labHosts.map(history));
      if (JSON.stringify(before) !== JSON.stringify(after)) return undefined;
      const withoutCpu = (xs: { cpuPercent: number }[]) =>
        JSON.stringify(xs.map(({ cpuPercent: _cpu, ...rest }) => rest));
      const madeOfThem = withoutCpu(f.samples) === withoutCpu(expectedBuckets(before));
      return madeOfThem ? { f, perHost: before } : undefined;
    },
    60_000,
  );
}

/** Each host's last sample in every bucket, as the test computes it from the per-host answers. */
function expectedBuckets(perHost: HostStatsSample[][]) {
  const ms = BUCKET_SECONDS * 1000;
  const byBucket = new Map<number, HostStatsSample[]>();
  for (const samples of perHost) {
    const lastIn = new Map<number, HostStatsSample>();
    for (const s of samples) lastIn.set(Math.floor(Date.parse(s.at) / ms) * ms, s);
    for (const [t, s] of lastIn) byBucket.set(t, [...(byBucket.get(t) ?? []), s]);
  }
  return [...byBucket.entries()]
    .sort(([a], [b]) => a - b)
    .map(([t, list]) => ({
      at: new Date(t).toISOString(),
      hosts: list.length,
      memTotalKiB: list.reduce((a, s) => a + s.memTotalKiB, 0),
      memFreeKiB: list.reduce((a, s) => a + s.memFreeKiB, 0),
      cpuPercent: list.reduce((a, s) => a + s.cpuPercent, 0) / list.length,
    }));
}

beforeAll(async () => {
  p = await startTestPlatform({
    labName: 'ky95',
    subnet: 95,
    hosts: 2,
    engineEnv: { KELPIE_HEARTBEAT_TIMEOUT_MS: '4000' },
    agentEnv: { KELPIE_STATS_INTERVAL_MS: '2000' },
  });
});

afterAll(async () => {
  await p?.close();
});

describe('fleet stats', () => {
  it('sums memory and averages CPU over the Up hosts, bucket by bucket', async () => {
    for (const h of ['h1', 'h2'])
      await eventually(
        `${h} Up with ${LIMIT} samples`,
        async () => {
          const host = (await p.engine.api('GET', `/api/v1/hosts/${p.hosts[h].id}`)).body as Host;
          return host.status === HostStatus.Up && (await history(h)).length === LIMIT;
        },
        60_000,
      );
    const { f, perHost } = await consistentRead(['h1', 'h2']);
    expect(f.hosts).toBe(2);
    expect(f.bucketSeconds).toBe(BUCKET_SECONDS);
    const expected = expectedBuckets(perHost);
    expect(f.samples.map(({ cpuPercent: _cpu, ...rest }) => rest)).toEqual(
      expected.map(({ cpuPercent: _cpu, ...rest }) => rest),
    );
    f.samples.forEach((s, i) => expect(s.cpuPercent).toBeCloseTo(expected[i]!.cpuPercent, 6));
    // Both hosts counted at least once together, with real memory figures.
    expect(Math.max(...f.samples.map((s) => s.hosts))).toBe(2);
    expect(f.samples.every((s) => s.memTotalKiB > 0)).toBe(true);
  });

  it('leaves out a host that is no longer Up', async () => {
    await p.lab.stopAgent('h2');
    await eventually(
      'h2 non-responsive',
      async () =>
        ((await p.engine.api('GET', `/api/v1/hosts/${p.hosts.h2.id}`)).body as Host).status ===
        HostStatus.NonResponsive,
      30_000,
    );
    const { f, perHost } = await consistentRead(['h1']);
    expect(f.hosts).toBe(1);
    expect(f.samples).toEqual(expectedBuckets(perHost));
  });

  it('names the field of a bad query in a 400', async () => {
    for (const [query, field] of [
      ['bucketSeconds=0', 'bucketSeconds'],
      ['bucketSeconds=abc', 'bucketSeconds'],
      ['limit=100000', 'limit'],
    ]) {
      const res = await p.engine.api('GET', `/api/v1/stats/fleet?${query}`);
      expect(res.status).toBe(400);
      expect((res.body as { details: { field: string }[] }).details.map((d) => d.field)).toContain(field);
    }
  });
});
