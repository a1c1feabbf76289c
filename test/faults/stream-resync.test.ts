import type { StreamMessage } from '@kelpie/shared-types';
import { startTestEngine, TestEngine } from '../support/engine';
import { ContainerRedis } from '../support/container-redis';
import { openStream, SseClient } from '@kelpie/test-support';

/**
 * Redis pub/sub keeps nothing for a subscriber that is away: messages published while Redis is down
 * are lost. Two engines on a Redis of the test's own (a container started by testcontainers: the test
 * belongs to the `containers` project), a real SSE client on each; Redis is killed, a change is
 * made through engine A (stored, its message lost), Redis comes back: both clients are told to
 * resync (stream.resync on the open stream), and re-reading shows the change they never heard of.
 */
describe('live stream across a Redis outage', () => {
  let redis: ContainerRedis;
  let a: TestEngine;
  let b: TestEngine;
  const clients: SseClient[] = [];

  beforeAll(async () => {
    redis = await ContainerRedis.start();
    a = await startTestEngine({ KELPIE_REDIS_URL: redis.url });
    b = await startTestEngine(
      { KELPIE_REDIS_URL: redis.url },
      { db: a.db, redisPrefix: a.config.redisPrefix },
    );
  }, 600_000);

  afterAll(async () => {
    clients.forEach((c) => c.close());
    await b?.close();
    await a?.close();
    await redis?.close();
  });

  const resyncAfter = (c: SseClient, since: number) => (m: StreamMessage) =>
    m.type === 'stream.resync' && c.messages.indexOf(m) >= since;

  it('clients connected to either engine get stream.resync once Redis is back, and re-read the lost change', async () => {
    const [onA, onB] = [
      await openStream(`${a.baseUrl}/api/v1/events/stream`),
      await openStream(`${b.baseUrl}/api/v1/events/stream`),
    ];
    clients.push(onA, onB);
    const before = await a.api<{ id: string }>('POST', '/api/v1/datacenters', { name: 'dc-before' });
    expect(before.status).toBe(201);
    for (const c of [onA, onB])
      await c.waitFor((m) => m.type === 'object.created' && m.object.id === before.body.id, 10_000);
    const since = [onA.messages.length, onB.messages.length];

    await redis.kill();
    // Stored in Postgres; its object.created cannot be published.
    const during = await a.api<{ id: string }>('POST', '/api/v1/datacenters', { name: 'dc-during' });
    expect(during.status).toBe(201);
    await redis.start();

    await onA.waitFor(resyncAfter(onA, since[0]!), 30_000);
    await onB.waitFor(resyncAfter(onB, since[1]!), 30_000);
    // The message itself is gone for good; the resync is how the clients learn to re-read.
    for (const c of [onA, onB])
      expect(c.messages.some((m) => m.type === 'object.created' && m.object.id === during.body.id)).toBe(
        false,
      );
    const list = await b.api<{ items: { id: string }[] }>('GET', '/api/v1/datacenters');
    expect(list.body.items.map((d) => d.id)).toContain(during.body.id);
    // The stream itself stays open and live after the resync.
    const after = await a.api<{ id: string }>('POST', '/api/v1/datacenters', { name: 'dc-after' });
    for (const c of [onA, onB])
      await c.waitFor((m) => m.type === 'object.created' && m.object.id === after.body.id, 10_000);
  }, 120_000);
});
