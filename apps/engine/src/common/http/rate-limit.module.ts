import { DynamicModule, Module } from '@nestjs/common';
import { APP_GUARD } from '@nestjs/core';
import { ThrottlerGuard, ThrottlerModule } from '@nestjs/throttler';
import type { Request } from 'express';
import type Redis from 'ioredis';
import { API_PREFIX } from '../../app.constants';
import { EngineConfig } from '../../config/config.schema';
import { REDIS } from '../../redis/redis.module';
import { RedisThrottlerStorage } from './redis-throttler.storage';

/** Health probes come from load balancers and monitors every few seconds: never throttled. */
const UNTHROTTLED = new Set([`/${API_PREFIX}/health`]);

/**
 * One budget of API requests per client address (`KELPIE_RATE_LIMIT_REQUESTS` per
 * `KELPIE_RATE_LIMIT_WINDOW_MS`), shared by every route; past it a 429 with `Retry-After` (seconds).
 * Counted in Redis, so the budget is one across every engine behind a balancer.
 */
@Module({})
export class RateLimitModule {
  static forRoot(config: EngineConfig): DynamicModule {
    const { requests, windowMs } = config.rateLimit;
    if (requests === 0) return { module: RateLimitModule };
    return {
      module: RateLimitModule,
      imports: [
        ThrottlerModule.forRootAsync({
          inject: [REDIS],
          useFactory: (redis: Redis) => ({
            throttlers: [{ name: 'default', limit: requests, ttl: windowMs }],
            errorMessage: `too many requests from this client (at most ${requests} per ${windowMs} ms); retry after the Retry-After seconds`,
            // One budget per client, not one per route.
            generateKey: (_context, tracker, name) => `${name}:${tracker}`,
            skipIf: (context) => UNTHROTTLED.has(context.switchToHttp().getRequest<Request>().path),
            storage: new RedisThrottlerStorage(redis, config.redisPrefix),
          }),
        }),
      ],
      providers: [{ provide: APP_GUARD, useClass: ThrottlerGuard }],
    };
  }
}
