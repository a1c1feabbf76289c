import { spawn, type ChildProcess } from 'node:child_process';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import IORedis from 'ioredis';
import { freePort } from '@kelpie/test-support';

/**
 * A redis-server of a test's own, on its own port, for fault tests: restarted, killed and flushed
 * without touching the machine's shared Redis (6379). Its data survives a restart or a SIGKILL
 * (append-only file, fsync on every write), as a production Redis with persistence would.
 * Lab agents reach it through the lab's forwarder: pass `labForward()` in the lab's `forwards` and
 * give agents `urlFrom(bridgeIp)`.
 */
export class PrivateRedis {
  private child: ChildProcess | null = null;

  private constructor(
    readonly port: number,
    readonly dir: string,
  ) {}

  /** Starts a server on a free port (or `port`). */
  static async start(port?: number): Promise<PrivateRedis> {
    const dir = await mkdtemp(join(tmpdir(), 'kelpie-redis-'));
    const redis = new PrivateRedis(port ?? (await freePort()), dir);
    await redis.startServer();
    return redis;
  }

  /** For the engine and anything in the root namespace. */
  get url(): string {
    return `redis://127.0.0.1:${this.port}`;
  }

  /** For agents inside lab hosts: the lab's bridge address, forwarded to this server. */
  urlFrom(bridgeIp: string): string {
    return `redis://${bridgeIp}:${this.port}`;
  }

  /** The lab `forwards` entry that makes this server reachable from the lab's hosts. */
  labForward(): { port: number } {
    return { port: this.port };
  }

  get running(): boolean {
    return this.child !== null && this.child.exitCode === null && this.child.signalCode === null;
  }

  /** A graceful restart (SIGTERM, then the same data directory): clients see their connections drop. */
  async restart(downMs = 0): Promise<void> {
    await this.stop('SIGTERM');
    if (downMs > 0) await new Promise((r) => setTimeout(r, downMs));
    await this.startServer();
  }

  /** SIGKILL: Redis dies as in a crash (the append-only file keeps what was written). */
  async kill(): Promise<void> {
    await this.stop('SIGKILL');
  }

  /** Starts it again after kill(). */
  async start(): Promise<void> {
    if (!this.running) await this.startServer();
  }

  /** A client of its own, closed after `fn`. */
  withClient<T>(fn: (c: IORedis) => Promise<T>): Promise<T> {
    return withRedisClient(this.url, fn);
  }

  async flushall(): Promise<void> {
    await this.withClient((c) => c.flushall());
  }

  /** Deletes every key matching `pattern` (e.g. one host's command queue: `prefix:host-ID-commands:*`);
   * returns how many went. */
  async delKeys(pattern: string): Promise<number> {
    return this.withClient(async (c) => {
      let deleted = 0;
      let cursor = '0';
      do {
        const [next, keys] = await c.scan(cursor, 'MATCH', pattern, 'COUNT', 1000);
        cursor = next;
        if (keys.length) deleted += await c.del(...keys);
      } while (cursor !== '0');
      return deleted;
    });
  }

  async keys(pattern: string): Promise<string[]> {
    return this.withClient((c) => c.keys(pattern));
  }

  /** Stops the server and removes its data. */
  async close(): Promise<void> {
    await this.stop('SIGKILL');
    await rm(this.dir, { recursive: true, force: true });
  }

  private async startServer(): Promise<void> {
    const child = spawn(
      'redis-server',
      [
        '--port',
        String(this.port),
        '--bind',
        '127.0.0.1',
        '--dir',
        this.dir,
        '--appendonly',
        'yes',
        '--appendfsync',
        'always',
        '--save',
        '',
        '--protected-mode',
        'no',
      ],
      { stdio: ['ignore', 'ignore', 'pipe'] },
    );
    this.child = child;
    let stderr = '';
    child.stderr?.on('data', (b: Buffer) => (stderr += b.toString()));
    await untilPong(this.url, () =>
      this.running ? null : `redis-server on port ${this.port} exited: ${stderr}`,
    );
  }

  private async stop(signal: NodeJS.Signals): Promise<void> {
    const child = this.child;
    if (!child || !this.running) return;
    const exited = new Promise<void>((r) => child.once('exit', () => r()));
    child.kill(signal);
    await exited;
    this.child = null;
  }
}

/** A client of its own on `url`, closed after `fn`. */
export async function withRedisClient<T>(url: string, fn: (c: IORedis) => Promise<T>): Promise<T> {
  const c = new IORedis(url, { maxRetriesPerRequest: 1, lazyConnect: true });
  await c.connect();
  try {
    return await fn(c);
  } finally {
    c.disconnect();
  }
}

/** Waits (10 s at most) until the server at `url` answers PING; `gone` says why it never will. */
export async function untilPong(url: string, gone: () => string | null): Promise<void> {
  const deadline = Date.now() + 10_000;
  for (;;) {
    const why = gone();
    if (why) throw new Error(why);
    const ok = await withRedisClient(url, (c) => c.ping()).catch(() => null);
    if (ok === 'PONG') return;
    if (Date.now() > deadline) throw new Error(`the Redis server at ${url} did not answer`);
    await new Promise((r) => setTimeout(r, 50));
  }
}
