import { StreamMessage } from '@kelpie/shared-types';
import { Inject, Injectable, Logger, OnApplicationShutdown, OnModuleInit } from '@nestjs/common';
import Redis from 'ioredis';
import { randomUUID } from 'node:crypto';
import { Observable, Subject } from 'rxjs';
import { ENGINE_CONFIG } from '../config/config.module';
import { EngineConfig } from '../config/config.schema';
import { REDIS } from '../redis/redis.module';

/** What callers hand to publish(): the time is stamped when missing. */
type Unstamped<M> = M extends StreamMessage ? Omit<M, 'time'> & { time?: string } : never;
export type StreamInput = Unstamped<StreamMessage>;

const SUBSCRIBE_WAIT_MS = 2000;

/**
 * The live stream across engine processes: every message is PUBLISHed on one Redis channel under
 * the configured prefix; every engine SUBSCRIBEs to it and fans the messages out to its local
 * listeners (SSE clients, `GET /tasks/{id}?wait=`). A process hears its own messages the same way,
 * so there is one path whether one or ten engines run.
 */
@Injectable()
export class StreamService implements OnModuleInit, OnApplicationShutdown {
  private readonly logger = new Logger('Stream');
  private readonly subject = new Subject<StreamMessage>();
  private readonly subscriber: Redis;
  readonly channel: string;
  /** Identifies this engine process (task ownership, diagnostics). */
  readonly engineId = randomUUID();

  constructor(
    @Inject(REDIS) private readonly redis: Redis,
    @Inject(ENGINE_CONFIG) config: EngineConfig,
  ) {
    this.channel = `${config.redisPrefix}:stream`;
    this.subscriber = new Redis(config.redisUrl, {
      lazyConnect: true,
      // Subscriptions are replayed by ioredis after a reconnect.
      autoResubscribe: true,
      maxRetriesPerRequest: null,
      connectTimeout: 2000,
      retryStrategy: (times) => Math.min(times * 200, 2000),
    });
    this.subscriber.on('error', (err: Error) => this.logger.debug(`subscriber: ${err.message}`));
    this.subscriber.on('message', (channel: string, raw: string) => {
      if (channel !== this.channel) return;
      try {
        this.subject.next(JSON.parse(raw) as StreamMessage);
      } catch (err) {
        this.logger.warn(`dropped a malformed stream message: ${(err as Error).message}`);
      }
    });
  }

  /** Waits (briefly) for the subscription so a message published right after boot is not missed;
   * an unreachable Redis must not stop the engine from booting (health reports it). */
  async onModuleInit(): Promise<void> {
    let timer: NodeJS.Timeout | undefined;
    const subscribed = this.subscriber
      .connect()
      .then(() => this.subscriber.subscribe(this.channel))
      .then(() => true)
      .catch((err: Error) => {
        this.logger.warn(`live stream not subscribed yet (${err.message}); retrying in the background`);
        this.subscriber.subscribe(this.channel).catch(() => undefined);
        return false;
      });
    await Promise.race([subscribed, new Promise((r) => (timer = setTimeout(r, SUBSCRIBE_WAIT_MS)))]);
    clearTimeout(timer);
  }

  onApplicationShutdown(): void {
    this.subject.complete();
    this.subscriber.disconnect();
  }

  get messages(): Observable<StreamMessage> {
    return this.subject.asObservable();
  }

  /** Publishes to every engine. Never throws: the database is the truth, the stream is a notification. */
  async publish(message: StreamInput): Promise<void> {
    const full = { ...message, time: message.time ?? new Date().toISOString() } as StreamMessage;
    try {
      await this.redis.publish(this.channel, JSON.stringify(full));
    } catch (err) {
      this.logger.warn(`could not publish ${full.type}: ${(err as Error).message}`);
    }
  }
}
