import { Global, Inject, Module, OnApplicationShutdown } from '@nestjs/common';
import Redis from 'ioredis';
import { ENGINE_CONFIG } from '../config/config.module';
import { EngineConfig } from '../config/config.schema';
import { connectRedis } from './redis-connection';

export const REDIS = Symbol('REDIS');

/** One shared ioredis connection for commands (not for blocking reads or subscriptions). */
@Global()
@Module({
  providers: [
    {
      provide: REDIS,
      inject: [ENGINE_CONFIG],
      useFactory: (config: EngineConfig) =>
        connectRedis(config.redisUrl, {
          lazyConnect: false,
          maxRetriesPerRequest: 1,
          enableOfflineQueue: false,
          connectTimeout: 2000,
          retryStrategy: (times) => Math.min(times * 200, 2000),
        }),
    },
  ],
  exports: [REDIS],
})
export class RedisModule implements OnApplicationShutdown {
  constructor(@Inject(REDIS) private readonly redis: Redis) {}

  async onApplicationShutdown(): Promise<void> {
    this.redis.disconnect();
  }
}
