import type { DomainSnapshot } from '@kelpie/shared-types';
import { randomUUID } from 'node:crypto';
import type Redis from 'ioredis';
import { REDIS, VmStateSyncService } from '@kelpie/engine/testing';
import { authHeaders, createTestUser } from '../support/auth';
import { startTestEngine, TestEngine } from '../support/engine';
import { eventually } from '../support/platform';

const V1 = '/api/v1';

/**
 * Two engines on one database and one Redis prefix, as behind a load balancer: each is a Nest app of
 * its own (its own throttler, stream-client counts and listing memory). What a client may do and
 * what a host's listings decide must not depend on which engine answers.
 */
describe('budgets and listing memory shared by every engine', () => {
  let a: TestEngine;
  let b: TestEngine;
  const env = {
    KELPIE_RATE_LIMIT_REQUESTS: '20',
    KELPIE_RATE_LIMIT_WINDOW_MS: '60000',
    KELPIE_STREAM_MAX_PER_CLIENT: '2',
  };

  beforeAll(async () => {
    a = await startTestEngine(env);
    b = await startTestEngine(env, { db: a.db, redisPrefix: a.config.redisPrefix });
  }, 120_000);
  // Every test starts with a fresh budget (all requests come from one address).
  beforeEach(async () => {
    const redis = a.app.get<Redis>(REDIS);
    const keys = await redis.keys(`${a.config.redisPrefix}:throttle:*`);
    if (keys.length) await redis.del(...keys);
  });
  afterAll(async () => {
    await b?.close();
    await a?.close();
  });

  /** Requests from one client address, spread over both engines. */
  it('the API rate limit is one budget across both engines', async () => {
    for (let i = 0; i < 20; i++)
      expect((await [a, b][i % 2]!.api('GET', `${V1}/datacenters`)).status).toBe(200);
    const refusedA = await a.api('GET', `${V1}/clusters`);
    const refusedB = await b.api('GET', `${V1}/clusters`);
    expect([refusedA.status, refusedB.status]).toEqual([429, 429]);
    expect(Number(refusedB.headers.get('retry-after'))).toBeGreaterThan(0);
    expect((await b.api('GET', `${V1}/health`)).status).toBe(200);
  });

  it('the live-stream cap per client counts the connections held on both engines', async () => {
    const capped = (await createTestUser(a, 'capped', { grants: [{ role: 'ReadOnly' }] })).token;
    const someoneElse = (await createTestUser(a, 'someone-else', { grants: [{ role: 'ReadOnly' }] })).token;
    const open = (e: TestEngine, token: string) =>
      fetch(`${e.baseUrl}${V1}/events/stream`, { headers: authHeaders(token) });
    const first = await open(a, capped);
    const second = await open(b, capped);
    expect([first.status, second.status]).toEqual([200, 200]);
    const thirdOnA = await open(a, capped);
    const thirdOnB = await open(b, capped);
    expect([thirdOnA.status, thirdOnB.status]).toEqual([429, 429]);
    expect((await thirdOnB.json()).message).toMatch(/at most 2 across all engines/);
    const other = await open(b, someoneElse);
    expect(other.status).toBe(200);
    // Closing one on A frees a place on B.
    await first.body!.cancel();
    const again = await eventually(
      'the closed connection released',
      async () => {
        const r = await open(b, capped);
        if (r.status === 200) return r;
        await r.body?.cancel();
        return undefined;
      },
      10_000,
      200,
    );
    await Promise.all([second, other, again].map((r) => r.body!.cancel()));
  });

  it('a VM missing from a listing handled by A and from the next one handled by B is detached once', async () => {
    const dc = (await a.api('POST', `${V1}/datacenters`, { name: 'shared-dc' })).body;
    const cluster = (await a.api('POST', `${V1}/clusters`, { name: 'shared-c', datacenterId: dc.id })).body;
    const host = (
      await a.api('POST', `${V1}/hosts`, {
        name: 'shared-h1',
        address: 'shared-h1.example.com',
        libvirtUri: 'qemu+tcp://shared-h1/system',
        clusterId: cluster.id,
      })
    ).body;
    const [syncA, syncB] = [a, b].map((e) => e.app.get(VmStateSyncService));
    const x: DomainSnapshot = {
      uuid: randomUUID(),
      name: 'ext-x',
      state: 'running',
      reason: 'booted',
      persistent: true,
      managed: false,
      vcpus: 1,
      memoryKiB: 131072,
      maxMemoryKiB: 131072,
    } as DomainSnapshot;
    const gone = () =>
      a.sql(`SELECT id FROM event WHERE type = 'vm.external_gone' AND refs @> $1::jsonb`, [
        JSON.stringify([{ id: x.uuid }]),
      ]);
    const stored = async () => (await a.sql(`SELECT id FROM vm WHERE id = $1`, [x.uuid])).length;

    await syncA.applyInventory(host.id, [x]);
    expect(await stored()).toBe(1);
    await syncA.applyInventory(host.id, []); // first miss: remembered (in Redis)
    expect(await stored()).toBe(1);
    await syncB.applyInventory(host.id, []); // second in a row, on the other engine: detached
    expect(await stored()).toBe(0);
    await syncA.applyInventory(host.id, []);
    await syncB.applyInventory(host.id, []);
    expect(await gone()).toHaveLength(1);

    // A listing in between that shows it (on either engine) starts the count again.
    await syncA.applyInventory(host.id, [x]);
    await syncB.applyInventory(host.id, []);
    await syncA.applyInventory(host.id, [x]);
    await syncB.applyInventory(host.id, []);
    expect(await stored()).toBe(1);
  });
});
