import { Lab } from '@kelpie/lab';
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import type { ApiResponse } from '../support/engine';
import type { PlatformOptions } from '../support/platform';
import { PrivateRedis } from '../support/private-redis';
import type { TestDatabase } from '../support/services';
import type { ServiceHooks } from './faults';
import { ARTIFACT_DIR } from './summary';

/** What the soak uses of test/support/private-postgres.ts. */
interface PostgresHelper {
  startPrivatePostgres(): Promise<{
    database: TestDatabase;
    restart(downMs?: number): Promise<void>;
    destroy(): Promise<void>;
  }>;
}

/** What the soak uses of test/support/engine-process.ts. */
interface EngineProcessHelper {
  startEngineProcess(o: {
    db: TestDatabase;
    redisPrefix: string;
    env?: Record<string, string>;
    logFile: string;
  }): Promise<{
    api(method: string, path: string, body?: unknown): Promise<ApiResponse>;
    kill(): Promise<void>;
  }>;
}

/** A test/support helper that may not exist in this checkout (built by a slice not merged yet):
 * the soak then runs without the faults it enables, and says so. */
function optionalHelper<T>(name: string): T | undefined {
  const path = join(__dirname, '..', 'support', name);
  if (!existsSync(`${path}.ts`)) return undefined;
  // eslint-disable-next-line @typescript-eslint/no-require-imports -- only when the file exists
  return require(path) as T;
}

/** The private Redis and Postgres a soak restarts, and how the platform is put on them. A service
 * that cannot start (no redis-server, no Postgres binaries, no helper) is absent: the soak runs on the
 * shared one and leaves its fault out. */
export interface SoakServices {
  platform: Partial<PlatformOptions>;
  /** The engines' database when it is the private Postgres (else the platform's own). */
  database?: TestDatabase;
  hooks: ServiceHooks;
  close(): Promise<void>;
}

export async function startSoakServices(
  lab: { labName: string; subnet: number },
  log: (line: string) => void,
): Promise<SoakServices> {
  const redis = await PrivateRedis.start().catch((e: Error) => {
    log(`private Redis not available (${e.message}): no redis_restart fault`);
    return undefined;
  });
  const pgHelper = optionalHelper<PostgresHelper>('private-postgres');
  if (!pgHelper) log('test/support/private-postgres.ts is not in this checkout: no postgres_restart fault');
  const pg = await pgHelper?.startPrivatePostgres().catch((e: Error) => {
    log(`private Postgres not available (${e.message}): no postgres_restart fault`);
    return undefined;
  });
  const bridgeIp = new Lab({ name: lab.labName, subnet: lab.subnet }).config.bridgeIp;
  const engineEnv: Record<string, string> = {};
  if (redis) engineEnv.KELPIE_REDIS_URL = redis.url;
  if (pg) engineEnv.KELPIE_DATABASE_URL = pg.database.url;
  return {
    platform: {
      engineEnv,
      ...(redis
        ? { forwards: [redis.labForward()], agentEnv: { KELPIE_REDIS_URL: redis.urlFrom(bridgeIp) } }
        : {}),
    },
    database: pg?.database,
    hooks: { redis, postgres: pg },
    close: async () => {
      await redis?.close().catch(() => undefined);
      await pg?.destroy().catch(() => undefined);
    },
  };
}

/** An engine process on the platform's database, Redis and prefix (the engine_sigkill fault), when
 * test/support/engine-process.ts exists. */
export function engineProcessHook(
  db: TestDatabase,
  redisPrefix: string,
  redisUrl: string,
  log: (line: string) => void,
): ServiceHooks['startEngineProcess'] {
  const helper = optionalHelper<EngineProcessHelper>('engine-process');
  if (!helper) {
    log('test/support/engine-process.ts is not in this checkout: no engine_sigkill fault');
    return undefined;
  }
  return () =>
    helper.startEngineProcess({
      db,
      redisPrefix,
      logFile: join(ARTIFACT_DIR, 'engine-process.log'),
      env: {
        KELPIE_REDIS_URL: redisUrl,
        // Its liveness key expires soon after the SIGKILL, so its tasks are taken over within the settle.
        KELPIE_ENGINE_LIVENESS_TTL_MS: '5000',
        KELPIE_LOG_LEVEL: 'warn',
      },
    });
}
