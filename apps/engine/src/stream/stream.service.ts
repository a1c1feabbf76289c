import { ObjectType, StreamMessage, StreamResyncMessage } from '@kelpie/shared-types';
import { Inject, Injectable, Logger, OnApplicationShutdown, OnModuleInit } from '@nestjs/common';
import Redis from 'ioredis';
import { randomUUID } from 'node:crypto';
import { Observable, Subject } from 'rxjs';
import { ENGINE_CONFIG } from '../config/config.module';
import { EngineConfig } from '../config/config.schema';
import { REDIS } from '../redis/redis.module';
import { connectRedis } from '../redis/redis-connection';

/** What callers hand to publish(): the time is stamped when missing. */
type Unstamped<M> = M extends StreamMessage ? Omit<M, 'time'> & { time?: string } : never;
export type StreamInput = Unstamped<StreamMessage>;

const SUBSCRIBE_WAIT_MS = 2000;
/** While messages could not be published, how often the engine tries to announce the loss. */
const ANNOUNCE_LOSS_EVERY_MS = 1000;

const resync = (reason: string): StreamResyncMessage => ({
  type: 'stream.resync',
  time: new Date().toISOString(),
  refs: [],
  reason,
});

/**
 * The live stream across engine processes: every message is PUBLISHed on one Redis channel under
 * the configured prefix; every engine SUBSCRIBEs to it and fans the messages out to its local
 * listeners (SSE clients, `GET /tasks/{id}?wait=`). A process hears its own messages the same way,
 * so there is one path whether one or ten engines run.
 *
 * Redis pub/sub keeps nothing for a subscriber that is away, so a cut link loses messages. The loss
 * is announced, never silent: when this engine's subscription comes back after a cut, its clients
 * get a `stream.resync` at once; when it could not publish, it publishes a `stream.resync` (every
 * engine's clients missed those messages) as soon as Redis takes it. Clients then re-read what they
 * show (the database is the truth; ADR 0016).
 */
@Injectable()
export class StreamService implements OnModuleInit, OnApplicationShutdown {
  private readonly logger = new Logger('Stream');
  private readonly subject = new Subject<StreamMessage>();
  private readonly subscriber: Redis;
  readonly channel: string;
  /** Identifies this engine process (task ownership, diagnostics). */
  readonly engineId = randomUUID();
  /** Object type → how its objects show as `data` of object.created/updated (see respondWith). */
  private readonly responses = new Map<string, (entity: object) => object>();
  /** Messages this engine could not publish since it last announced a loss. */
  private unpublished = 0;
  private announcer?: NodeJS.Timeout;
  private everReady = false;

  constructor(
    @Inject(REDIS) private readonly redis: Redis,
    @Inject(ENGINE_CONFIG) config: EngineConfig,
  ) {
    this.channel = `${config.redisPrefix}:stream`;
    this.subscriber = connectRedis(config.redisUrl, {
      lazyConnect: true,
      // Subscriptions are replayed by ioredis after a reconnect.
      autoResubscribe: true,
      maxRetriesPerRequest: null,
      connectTimeout: 2000,
      retryStrategy: (times) => Math.min(times * 200, 2000),
    });
    this.subscriber.on('error', (err: Error) => this.logger.debug(`subscriber: ${err.message}`));
    this.subscriber.on('ready', () => void this.subscriberReady());
    this.subscriber.on('message', (channel: string, raw: string) => {
      if (channel !== this.channel) return;
      try {
        this.subject.next(JSON.parse(raw) as StreamMessage);
      } catch (err) {
        this.logger.warn(`dropped a malformed stream message: ${(err as Error).message}`);
      }
    });
  }

  /** Objects of `type` go out as `map` makes them: the same mapX() its REST routes answer with, so a
   * column is public on the stream only when it is in the API response too. */
  respondWith<E extends object>(type: ObjectType, map: (entity: E) => object): void {
    this.responses.set(type, map as (entity: object) => object);
  }

  /** An object as the `data` of an object.created/updated message: its API response, as JSON. A type
   * without a registered response, or an object its mapping cannot read (a bug either way), goes out
   * as it is stored, logged, rather than failing the change it announces. */
  dataOf(type: ObjectType, entity: object): Record<string, unknown> {
    const map = this.responses.get(type);
    let data: object = entity;
    try {
      if (map) data = map(entity);
      else this.logger.error(`no stream response registered for ${type} objects: sent as stored`);
    } catch (err) {
      this.logger.error(
        `${type} object not mapped for the stream (${(err as Error).message}): sent as stored`,
      );
    }
    return JSON.parse(JSON.stringify(data)) as Record<string, unknown>;
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
    clearInterval(this.announcer);
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
      if (this.unpublished++ === 0)
        this.logger.warn(
          `could not publish ${full.type} (${(err as Error).message}); clients will be told to resync`,
        );
      this.announcer ??= setInterval(() => void this.announceLoss(), ANNOUNCE_LOSS_EVERY_MS).unref();
    }
  }

  /** Publishes the `stream.resync` that tells every engine's clients about the lost messages. */
  private async announceLoss(): Promise<void> {
    const lost = this.unpublished;
    const message = resync(
      `engine ${this.engineId} could not publish ${lost} live-stream message(s) while Redis was unreachable; reload what is shown`,
    );
    try {
      await this.redis.publish(this.channel, JSON.stringify(message));
    } catch {
      return; // still unreachable: next tick
    }
    this.logger.log(`announced ${lost} lost live-stream message(s) (stream.resync)`);
    this.unpublished -= lost;
    if (this.unpublished === 0) {
      clearInterval(this.announcer);
      this.announcer = undefined;
    }
  }

  /** The subscription is back after a cut: whatever was published meanwhile never reached this
   * engine, so its own clients resync (once subscribed again, so nothing after it is lost). */
  private async subscriberReady(): Promise<void> {
    if (!this.everReady) {
      this.everReady = true;
      return;
    }
    await this.subscriber.subscribe(this.channel).catch(() => undefined);
    this.logger.warn('live stream: the Redis subscription is back after a cut; clients told to resync');
    this.subject.next(
      resync(
        'the live stream was cut from Redis and is back: messages may have been lost; reload what is shown',
      ),
    );
  }
}
