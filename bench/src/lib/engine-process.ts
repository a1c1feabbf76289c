import { authEnv, authHeaders } from '@kelpie/test-support';
import { ChildProcess, spawn } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { createWriteStream, mkdirSync } from 'node:fs';
import { join } from 'node:path';
import { Client, Pool } from 'pg';
import { BUILD_ROOT, RESULTS_DIR } from './paths';
import { freePort } from '@kelpie/test-support';

export const ADMIN_DB_URL =
  process.env.KELPIE_TEST_DATABASE_URL ?? 'postgres://postgres@127.0.0.1:5432/postgres';
export const REDIS_URL = process.env.KELPIE_TEST_REDIS_URL ?? 'redis://127.0.0.1:6379';
export const ENGINE_ENTRY = join(BUILD_ROOT, 'apps', 'engine', 'dist', 'main.js');

export interface ApiResponse<T = unknown> {
  status: number;
  body: T;
  bytes: number;
}

/** The real engine as production runs it (`node apps/engine/dist/main.js`), in its own process
 * with its own database and Redis prefix, so its CPU and memory can be read from /proc. */
export interface EngineProcess {
  pid: number;
  baseUrl: string;
  dbUrl: string;
  dbName: string;
  redisPrefix: string;
  /** A pool on the engine's database for fixtures and baselines. */
  pool: Pool;
  api<T = any>(method: string, path: string, body?: unknown): Promise<ApiResponse<T>>; // eslint-disable-line @typescript-eslint/no-explicit-any
  ok<T = any>(method: string, path: string, body?: unknown): Promise<T>; // eslint-disable-line @typescript-eslint/no-explicit-any
  close(): Promise<void>;
}

export async function startEngineProcess(
  name: string,
  env: Record<string, string> = {},
  nodeArgs: string[] = [],
  opts: { routeDb?: (dbUrl: string) => Promise<string> } = {},
): Promise<EngineProcess> {
  const dbName = `kelpie_bench_${name.replace(/[^a-z0-9]/g, '_')}_${Date.now().toString(36)}_${randomBytes(2).toString('hex')}`;
  const admin = new Client({ connectionString: ADMIN_DB_URL });
  await admin.connect();
  await admin.query(`CREATE DATABASE "${dbName}"`);
  await admin.end();
  const url = new URL(ADMIN_DB_URL);
  url.pathname = `/${dbName}`;
  const dbUrl = url.toString();
  // The engine's own connections may take another way (a counting proxy); fixtures go direct.
  const engineDbUrl = opts.routeDb ? await opts.routeDb(dbUrl) : dbUrl;
  const redisPrefix = `kelpie_bench_${Date.now().toString(36)}_${randomBytes(2).toString('hex')}`;
  const port = await freePort();
  mkdirSync(RESULTS_DIR, { recursive: true });
  const logPath = join(RESULTS_DIR, `engine-${name}.log`);
  const log = createWriteStream(logPath, { flags: 'w' });
  const child: ChildProcess = spawn(process.execPath, [...nodeArgs, ENGINE_ENTRY], {
    cwd: BUILD_ROOT,
    env: {
      PATH: process.env.PATH ?? '/usr/bin:/bin',
      KELPIE_DATABASE_URL: engineDbUrl,
      KELPIE_REDIS_URL: REDIS_URL,
      KELPIE_REDIS_PREFIX: redisPrefix,
      KELPIE_HTTP_HOST: '127.0.0.1',
      KELPIE_HTTP_PORT: String(port),
      KELPIE_LOG_LEVEL: 'warn',
      // Simulated hosts have no storage to collect; its gc.list commands would only sit in their queues.
      KELPIE_GC_INTERVAL_MS: '0',
      ...authEnv(),
      ...env,
    },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  child.stdout!.pipe(log);
  child.stderr!.pipe(log);
  const baseUrl = `http://127.0.0.1:${port}`;
  const exited = new Promise<number | null>((r) => child.once('exit', (code) => r(code)));
  const dropDb = async () => {
    const c = new Client({ connectionString: ADMIN_DB_URL });
    await c.connect();
    await c.query(`DROP DATABASE IF EXISTS "${dbName}" WITH (FORCE)`).catch(() => undefined);
    await c.end();
  };
  const deadline = Date.now() + 60_000;
  for (;;) {
    const early = await Promise.race([
      exited,
      new Promise<'alive'>((r) => setTimeout(() => r('alive'), 200)),
    ]);
    if (early !== 'alive') {
      await dropDb();
      throw new Error(`engine exited with ${early} during boot; see ${logPath}`);
    }
    const res = await fetch(`${baseUrl}/api/v1/health`).catch(() => null);
    if (res?.ok) break;
    if (Date.now() > deadline) {
      child.kill('SIGKILL');
      await dropDb();
      throw new Error(`engine did not answer /api/v1/health within 60 s; see ${logPath}`);
    }
  }
  const pool = new Pool({ connectionString: dbUrl, max: 4 });
  const api = async <T>(method: string, path: string, body?: unknown): Promise<ApiResponse<T>> => {
    const init: RequestInit = { method, headers: authHeaders() };
    if (body !== undefined) {
      init.body = JSON.stringify(body);
      (init.headers as Record<string, string>)['content-type'] = 'application/json';
    }
    const res = await fetch(`${baseUrl}${path}`, init);
    const buf = Buffer.from(await res.arrayBuffer());
    const text = buf.toString('utf8');
    const parsed = (res.headers.get('content-type') ?? '').includes('json') && text ? JSON.parse(text) : text;
    return { status: res.status, body: parsed as T, bytes: buf.length };
  };
  return {
    pid: child.pid!,
    baseUrl,
    dbUrl,
    dbName,
    redisPrefix,
    pool,
    api,
    ok: async <T>(method: string, path: string, body?: unknown) => {
      const res = await api<T>(method, path, body);
      if (res.status >= 300) throw new Error(`${method} ${path} → ${res.status} ${JSON.stringify(res.body)}`);
      return res.body;
    },
    close: async () => {
      await pool.end().catch(() => undefined);
      if (child.exitCode === null) {
        child.kill('SIGTERM');
        const stopped = await Promise.race([
          exited,
          new Promise((r) => setTimeout(() => r('timeout'), 10_000)),
        ]);
        if (stopped === 'timeout') child.kill('SIGKILL');
      }
      log.end();
      await dropDb();
    },
  };
}
