import { commandQueueName, HEARTBEAT_QUEUE, type Host } from '@kelpie/shared-types';
import { Queue } from 'bullmq';
import Redis from 'ioredis';
import { startTestEngine, TestEngine } from '../support/engine';
import { fakeHeartbeat } from '../support/agent-reports';
import { eventually } from '../support/platform';

const HOSTS = 30;

/**
 * Many hosts coming Up at once (an engine restart, a network blip): each gets a `host.refresh`
 * command, and the engine must not open a Redis connection per host to send it (at 2,000 hosts that
 * was 2,000 connections and 1.3 GiB of engine memory). Checked in Redis itself: the jobs are queued,
 * and no result-stream connection exists for these hosts.
 */
describe('hosts coming back at once', () => {
  let e: TestEngine;
  let redis: Redis;
  let hosts: Host[];

  beforeAll(async () => {
    e = await startTestEngine();
    redis = new Redis(e.config.redisUrl);
    const dc = (await e.api('POST', '/api/v1/datacenters', { name: 'dc-revival' })).body as { id: string };
    const cluster = (await e.api('POST', '/api/v1/clusters', { name: 'main', datacenterId: dc.id })).body as {
      id: string;
    };
    hosts = [];
    for (let i = 0; i < HOSTS; i++) {
      const res = await e.api('POST', '/api/v1/hosts', {
        name: `revival-${i}`,
        clusterId: cluster.id,
        address: `10.99.0.${i + 10}`,
        libvirtUri: `qemu+tcp://10.99.0.${i + 10}/system`,
      });
      hosts.push(res.body as Host);
    }
  });
  afterAll(async () => {
    redis?.disconnect();
    await e?.close();
  });

  it('queues host.refresh for every host without a Redis connection per host', async () => {
    const heartbeats = new Queue(HEARTBEAT_QUEUE, { connection: redis, prefix: e.config.redisPrefix });
    await heartbeats.addBulk(
      hosts.map((h) => ({
        name: 'heartbeat',
        data: fakeHeartbeat(h.id),
      })),
    );
    await eventually(
      'every host up',
      async () => {
        const res = await e.api('GET', `/api/v1/hosts?limit=100&status=up`);
        return (res.body as { total: number }).total === HOSTS;
      },
      20_000,
      200,
    );
    // The refresh of each host sits in its command queue (no agent consumes it here).
    for (const h of hosts) {
      const queue = new Queue(commandQueueName(h.id), { connection: redis, prefix: e.config.redisPrefix });
      try {
        await eventually(
          `host.refresh queued for ${h.name}`,
          async () => (await queue.getWaiting()).some((j) => j.name === 'host.refresh'),
          5_000,
          100,
        );
      } finally {
        await queue.close();
      }
    }
    await heartbeats.close();
    const clients = String(await redis.client('LIST'));
    for (const h of hosts) expect(clients).not.toContain(`kelpie-engine:events-${h.id}`);
  });
});
