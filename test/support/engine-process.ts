import { ChildProcess, spawn } from 'node:child_process';
import { createWriteStream } from 'node:fs';
import { join } from 'node:path';
import { authEnv } from './auth';
import { ApiResponse, request } from './engine';
import type { TestDatabase } from './services';
import { freePort } from '@kelpie/test-support';

export const ENGINE_ENTRY = join(__dirname, '..', '..', 'apps', 'engine', 'dist', 'main.js');

/** A real engine process (apps/engine/dist/main.js) that a test can SIGKILL: what an operator's
 * `kill -9` or an OOM kill does, which an in-process engine cannot show. */
export interface EngineProcess {
  readonly pid: number;
  readonly baseUrl: string;
  readonly logFile: string;
  api<T = unknown>(method: string, path: string, body?: unknown): Promise<ApiResponse<T>>;
  /** SIGKILL: no shutdown hook runs (its liveness key stays until it expires). */
  kill(): Promise<void>;
  /** SIGTERM and wait for the exit (graceful shutdown). */
  stop(): Promise<void>;
  /** SIGSTOP: the process is frozen (no heartbeat, no write) but alive, as in a long GC pause or a
   * partition; resume() continues it where it was. */
  pause(): void;
  resume(): void;
}

export interface EngineProcessOptions {
  /** The database and Redis prefix to share with the test's other engines and agents. */
  db: TestDatabase;
  redisPrefix: string;
  /** Extra KELPIE_* settings (e.g. a short KELPIE_ENGINE_LIVENESS_TTL_MS, KELPIE_TEST_FAILPOINTS). */
  env?: Record<string, string>;
  /** Where its output goes (appended). */
  logFile: string;
  healthTimeoutMs?: number;
}

/** Spawns the built engine on a free port and resolves once /health answers 200. */
export async function startEngineProcess(o: EngineProcessOptions): Promise<EngineProcess> {
  const port = await freePort();
  const baseUrl = `http://127.0.0.1:${port}`;
  const out = createWriteStream(o.logFile, { flags: 'a' });
  const child: ChildProcess = spawn(process.execPath, [ENGINE_ENTRY], {
    stdio: ['ignore', 'pipe', 'pipe'],
    env: {
      PATH: process.env.PATH,
      KELPIE_DATABASE_URL: o.db.url,
      KELPIE_REDIS_URL: process.env.KELPIE_TEST_REDIS_URL ?? 'redis://127.0.0.1:6379',
      KELPIE_REDIS_PREFIX: o.redisPrefix,
      KELPIE_HTTP_HOST: '127.0.0.1',
      KELPIE_HTTP_PORT: String(port),
      KELPIE_LOG_LEVEL: 'info',
      ...authEnv(),
      ...o.env,
    },
  });
  child.stdout!.pipe(out);
  child.stderr!.pipe(out);
  const exited = new Promise<void>((resolve) => child.once('exit', () => resolve()));
  const deadline = Date.now() + (o.healthTimeoutMs ?? 90_000);
  for (;;) {
    if (child.exitCode !== null || child.signalCode !== null)
      throw new Error(`engine process exited (${child.exitCode ?? child.signalCode}); see ${o.logFile}`);
    const healthy = await fetch(`${baseUrl}/api/v1/health`, { signal: AbortSignal.timeout(2000) })
      .then((r) => r.status === 200)
      .catch(() => false);
    if (healthy) break;
    if (Date.now() > deadline) {
      child.kill('SIGKILL');
      throw new Error(
        `engine process not healthy within ${o.healthTimeoutMs ?? 90_000} ms; see ${o.logFile}`,
      );
    }
    await new Promise((r) => setTimeout(r, 300));
  }
  const signal = async (sig: NodeJS.Signals) => {
    if (child.exitCode === null && child.signalCode === null) child.kill(sig);
    await exited;
  };
  return {
    pid: child.pid!,
    baseUrl,
    logFile: o.logFile,
    api: (method, path, body) => request(baseUrl, method, path, body) as never,
    kill: () => signal('SIGKILL'),
    stop: async () => {
      child.kill('SIGCONT'); // a paused process cannot take SIGTERM's shutdown
      await signal('SIGTERM');
    },
    pause: () => void child.kill('SIGSTOP'),
    resume: () => void child.kill('SIGCONT'),
  };
}
