import type { StatsReport } from '@kelpie/shared-types';
import Redis from 'ioredis';
import { randomUUID } from 'node:crypto';
import { type EngineConfig, STATS_SAMPLES_KEPT, StatsHistoryService } from '@kelpie/engine/testing';
import { testRedisPrefix } from '../support/services';

/** The stats history against a real Redis (the agent side is played here). */
describe('stats history in Redis', () => {
  const redis = new Redis(process.env.KELPIE_TEST_REDIS_URL ?? 'redis://127.0.0.1:6379');
  const prefix = testRedisPrefix();
  const stats = new StatsHistoryService(redis, { redisPrefix: prefix } as EngineConfig);
  const hostId = randomUUID();
  const vmId = randomUUID();
  const vmKey = `${prefix}:stats:vm:${vmId}`;
  const report = (i: number): StatsReport => ({
    kind: 'stats',
    hostId,
    sentAt: new Date(Date.UTC(2026, 0, 1, 0, 0, i)).toISOString(),
    host: { cpuPercent: i, memTotalKiB: 1000, memFreeKiB: 500 },
    domains: [
      {
        uuid: vmId.toUpperCase(),
        cpuTimeNs: i,
        cpuPercent: i,
        block: [
          { name: 'vda', rdBytes: 1, wrBytes: 2 },
          { name: 'vdb', rdBytes: 10, wrBytes: 20 },
        ],
        net: [{ name: 'vnet0', rxBytes: 5, txBytes: 6 }],
      },
    ],
  });

  afterAll(async () => {
    const keys = await redis.keys(`${prefix}:*`);
    if (keys.length) await redis.del(...keys);
    redis.disconnect();
  });

  it('keeps the newest samples per host and VM, oldest first when read, bounded', async () => {
    for (let i = 0; i < STATS_SAMPLES_KEPT + 5; i++) await stats.record(report(i));
    const vm = await stats.history('vm', vmId, STATS_SAMPLES_KEPT);
    expect(vm).toHaveLength(STATS_SAMPLES_KEPT);
    expect(vm[vm.length - 1]).toMatchObject({
      cpuPercent: STATS_SAMPLES_KEPT + 4,
      blockRdBytes: 11,
      netTxBytes: 6,
    });
    expect(vm[0]).toMatchObject({ cpuPercent: 5 });
    expect(await redis.llen(vmKey)).toBe(STATS_SAMPLES_KEPT);
    const host = await stats.history('host', hostId, 2);
    expect(host.map((s) => s.cpuPercent)).toEqual([STATS_SAMPLES_KEPT + 3, STATS_SAMPLES_KEPT + 4]);
  });

  it('renews the keys’ expiry every ten minutes, not with every sample', async () => {
    expect(await redis.ttl(vmKey)).toBeGreaterThan(7000);
    await redis.expire(vmKey, 100);
    await stats.record(report(1000));
    expect(await redis.ttl(vmKey)).toBeLessThanOrEqual(100);
    const now = Date.now();
    const clock = jest.spyOn(Date, 'now').mockReturnValue(now + 10 * 60_000 + 1);
    try {
      await stats.record(report(1001));
    } finally {
      clock.mockRestore();
    }
    expect(await redis.ttl(vmKey)).toBeGreaterThan(7000);
  });
});
