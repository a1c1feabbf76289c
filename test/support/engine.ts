/* eslint-disable @typescript-eslint/no-explicit-any -- untyped JSON answers of the API under test */
import type { NestExpressApplication } from '@nestjs/platform-express';
import { createEngineApp, DataSource, EngineConfig, loadConfig } from '@kelpie/engine/testing';
import { authEnv, authHeaders } from './auth';
import { createTestDatabase, TestDatabase, testRedisPrefix } from './services';

export interface TestEngine {
  app: NestExpressApplication;
  config: EngineConfig;
  db: TestDatabase;
  baseUrl: string;
  /** Runs SQL on the engine's database (row counts before/after, fixtures). */
  sql<T = Record<string, unknown>>(query: string, params?: unknown[]): Promise<T[]>;
  /** HTTP against the engine: JSON in, JSON (or text) out, never throws on 4xx/5xx. */
  api<T = any>(
    method: string,
    path: string,
    body?: unknown,
    headers?: Record<string, string>,
  ): Promise<ApiResponse<T>>;
  close(): Promise<void>;
}

export interface ApiResponse<T = any> {
  status: number;
  body: T;
  headers: Headers;
}

export interface StartOptions {
  /** Share another engine's database (a second engine process); it is then not dropped on close. */
  db?: TestDatabase;
  /** Share another engine's Redis prefix (live stream across engines). */
  redisPrefix?: string;
  /** Listen on this port of 127.0.0.1 (default: any free one) — for a configuration that must name
   * the engine's own address before it starts (an OpenID Connect redirect URI). */
  port?: number;
}

/** Boots the real engine (real Postgres, real Redis) on a random port with its own database. */
export async function startTestEngine(
  overrides: Record<string, string> = {},
  options: StartOptions = {},
): Promise<TestEngine> {
  const db = options.db ?? (await createTestDatabase());
  const config = loadConfig({
    KELPIE_DATABASE_URL: db.url,
    KELPIE_REDIS_URL: process.env.KELPIE_TEST_REDIS_URL,
    KELPIE_REDIS_PREFIX: options.redisPrefix ?? testRedisPrefix(),
    KELPIE_HTTP_PORT: '0',
    KELPIE_LOG_LEVEL: 'warn',
    ...authEnv(),
    ...overrides,
  });
  const app = await createEngineApp(config);
  await app.listen(options.port ?? 0, '127.0.0.1');
  const address = app.getHttpServer().address() as { port: number };
  const baseUrl = `http://127.0.0.1:${address.port}`;
  return {
    app,
    config,
    db,
    baseUrl,
    sql: (query, params) => app.get(DataSource).query(query, params),
    api: (method, path, body, headers) => request(baseUrl, method, path, body, headers),
    close: async () => {
      await app.close();
      if (!options.db) await db.drop();
    },
  };
}

/** A call under /api/v1 that must succeed: from 300 up it throws with the status and the answer. */
export async function apiOk<T = any>(
  engine: Pick<TestEngine, 'api'>,
  method: string,
  path: string,
  body?: unknown,
): Promise<T> {
  const res = await engine.api<T>(method, `/api/v1${path}`, body);
  if (res.status >= 300) throw new Error(`${method} ${path} → ${res.status} ${JSON.stringify(res.body)}`);
  return res.body;
}

/** As the test admin unless `headers` has its own `authorization` (an empty one: anonymous). */
export async function request(
  baseUrl: string,
  method: string,
  path: string,
  body?: unknown,
  headers: Record<string, string> = {},
): Promise<ApiResponse> {
  const all: Record<string, string> = { ...authHeaders(), ...headers };
  if (!all.authorization) delete all.authorization;
  const init: RequestInit = { method, headers: all };
  if (body !== undefined) {
    init.body = typeof body === 'string' ? body : JSON.stringify(body);
    (init.headers as Record<string, string>)['content-type'] ??= 'application/json';
  }
  const res = await fetch(`${baseUrl}${path}`, init);
  const text = await res.text();
  let parsed: unknown = text;
  if ((res.headers.get('content-type') ?? '').includes('json') && text) parsed = JSON.parse(text);
  return { status: res.status, body: parsed, headers: res.headers };
}
