import { DependencyHealth, HealthReport, redactRedisUrl } from '@kelpie/shared-types';
import { Inject, Injectable } from '@nestjs/common';
import Redis from 'ioredis';
import { ENGINE_CONFIG } from '../config/config.module';
import { EngineConfig } from '../config/config.schema';
import { REDIS } from '../redis/redis.module';
import { DatabaseProbeRepository } from './database-probe.repository';

const PROBE_TIMEOUT_MS = 1500;

@Injectable()
export class HealthService {
  constructor(
    private readonly database: DatabaseProbeRepository,
    @Inject(REDIS) private readonly redis: Redis,
    @Inject(ENGINE_CONFIG) private readonly config: EngineConfig,
  ) {}

  async report(): Promise<HealthReport> {
    const [postgres, redis] = await Promise.all([
      probe(() => this.database.ping(), `PostgreSQL at ${redact(this.config.databaseUrl)}`),
      probe(async () => void (await this.redis.ping()), `Redis at ${redactRedisUrl(this.config.redisUrl)}`),
    ]);
    return {
      status: postgres.status === 'up' && redis.status === 'up' ? 'ok' : 'degraded',
      version: process.env.npm_package_version ?? '0.1.0',
      postgres,
      redis,
    };
  }
}

async function probe(fn: () => Promise<void>, what: string): Promise<DependencyHealth> {
  const started = performance.now();
  let timer: NodeJS.Timeout | undefined;
  try {
    await Promise.race([
      fn(),
      new Promise((_, reject) => {
        timer = setTimeout(
          () => reject(new Error(`no answer within ${PROBE_TIMEOUT_MS} ms`)),
          PROBE_TIMEOUT_MS,
        );
      }),
    ]);
    return { status: 'up', latencyMs: Math.round((performance.now() - started) * 10) / 10 };
  } catch (err) {
    return { status: 'down', message: `${what} is unreachable: ${(err as Error).message}` };
  } finally {
    clearTimeout(timer);
  }
}

/** Never show credentials of a connection URL. */
export function redact(url: string): string {
  try {
    const u = new URL(url);
    if (u.password) u.password = '***';
    return u.toString();
  } catch {
    return '(invalid url)';
  }
}
