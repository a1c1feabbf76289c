import type { NestExpressApplication } from '@nestjs/platform-express';
import { createEngineApp } from '../../apps/engine/src/app.factory';
import { EngineConfig, loadConfig } from '../../apps/engine/src/config/config.schema';
import { createTestDatabase, TestDatabase, testRedisPrefix } from './services';

export interface TestEngine {
  app: NestExpressApplication;
  config: EngineConfig;
  db: TestDatabase;
  baseUrl: string;
  close(): Promise<void>;
}

/** Boots the real engine (real Postgres, real Redis) on a random port with its own database. */
export async function startTestEngine(overrides: Record<string, string> = {}): Promise<TestEngine> {
  const db = await createTestDatabase();
  const config = loadConfig({
    KELPIE_DATABASE_URL: db.url,
    KELPIE_REDIS_URL: process.env.KELPIE_TEST_REDIS_URL,
    KELPIE_REDIS_PREFIX: testRedisPrefix(),
    KELPIE_HTTP_PORT: '0',
    KELPIE_LOG_LEVEL: 'warn',
    ...overrides,
  });
  const app = await createEngineApp(config);
  await app.listen(0, '127.0.0.1');
  const address = app.getHttpServer().address() as { port: number };
  return {
    app,
    config,
    db,
    baseUrl: `http://127.0.0.1:${address.port}`,
    close: async () => {
      await app.close();
      await db.drop();
    },
  };
}
