import { HealthReport } from '@kelpie/shared-types';
import { startTestEngine, TestEngine } from '../support/engine';

describe('GET /api/v1/health', () => {
  describe('with real Postgres and Redis', () => {
    let engine: TestEngine;
    beforeAll(async () => {
      engine = await startTestEngine();
    });
    afterAll(async () => engine.close());

    it('reports both connections up', async () => {
      const res = await fetch(`${engine.baseUrl}/api/v1/health`);
      expect(res.status).toBe(200);
      const body = (await res.json()) as HealthReport;
      expect(body.status).toBe('ok');
      expect(body.postgres.status).toBe('up');
      expect(body.redis.status).toBe('up');
      expect(body.redis.latencyMs).toBeGreaterThanOrEqual(0);
    });
  });

  describe('when Redis is unreachable', () => {
    let engine: TestEngine;
    beforeAll(async () => {
      // Port 1 on loopback: nothing listens there, the connection is refused at once.
      engine = await startTestEngine({ KELPIE_REDIS_URL: 'redis://127.0.0.1:1' });
    });
    afterAll(async () => engine.close());

    it('reports Redis down with a clear message, Postgres still up, and answers 503', async () => {
      const res = await fetch(`${engine.baseUrl}/api/v1/health`);
      expect(res.status).toBe(503);
      const body = (await res.json()) as HealthReport;
      expect(body.status).toBe('degraded');
      expect(body.postgres.status).toBe('up');
      expect(body.redis.status).toBe('down');
      expect(body.redis.message).toMatch(/Redis at redis:\/\/127\.0\.0\.1:1.* is unreachable/);
    });
  });
});
