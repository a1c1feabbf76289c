import './env';
import { randomBytes } from 'node:crypto';

import { adminToken, authEnv, authHeaders } from '@kelpie/test-support';

export { adminToken, authEnv, authHeaders };

/** Anything with the engine's `api()` (in-process TestEngine or EngineProcess-like). */
interface Api {
  baseUrl: string;
  api(
    method: string,
    path: string,
    body?: unknown,
    headers?: Record<string, string>,
  ): Promise<{ status: number; body: any }>; // eslint-disable-line @typescript-eslint/no-explicit-any
}

export interface TestUser {
  id: string;
  username: string;
  password: string;
  /** An API token of theirs (`roles` scope unless asked otherwise). */
  token: string;
  tokenId: string;
}

export interface UserOptions {
  /** Grants to create: a role on an object (`system` by default). */
  grants?: { role: string; objectType?: string; objectId?: string | null }[];
  tokenScope?: 'roles' | 'read-only';
}

let seq = 0;

/** Creates a user through the API (as the admin), grants them roles, logs in and makes them a token. */
export async function createTestUser(e: Api, name: string, opts: UserOptions = {}): Promise<TestUser> {
  const username = `${name}-${process.pid}-${++seq}`.slice(0, 64);
  const password = `pw-${randomBytes(12).toString('base64url')}`;
  const created = await e.api('POST', '/api/v1/users', { username, password });
  if (created.status !== 201)
    throw new Error(`creating user ${username}: ${created.status} ${JSON.stringify(created.body)}`);
  const id = created.body.id as string;
  for (const g of opts.grants ?? []) {
    const objectType = g.objectType ?? 'system';
    const r = await e.api('POST', '/api/v1/grants', {
      principalType: 'user',
      principalId: id,
      role: g.role,
      objectType,
      objectId: objectType === 'system' ? null : g.objectId,
    });
    if (r.status !== 201) throw new Error(`granting ${g.role}: ${r.status} ${JSON.stringify(r.body)}`);
  }
  const cookie = await login(e.baseUrl, username, password);
  const t = await e.api(
    'POST',
    '/api/v1/auth/tokens',
    { name: 'test', scope: opts.tokenScope ?? 'roles' },
    { authorization: '', cookie, origin: e.baseUrl },
  );
  if (t.status !== 201) throw new Error(`token for ${username}: ${t.status} ${JSON.stringify(t.body)}`);
  return { id, username, password, token: t.body.token, tokenId: t.body.id };
}

/** Logs in; answers the `Cookie` header value of the new session. */
export async function login(baseUrl: string, username: string, password: string): Promise<string> {
  const res = await fetch(`${baseUrl}/api/v1/auth/login`, {
    method: 'POST',
    headers: { 'content-type': 'application/json', origin: baseUrl },
    body: JSON.stringify({ username, password }),
  });
  if (res.status !== 200) throw new Error(`login of ${username}: ${res.status} ${await res.text()}`);
  const set = res.headers.get('set-cookie') ?? '';
  return set.split(';')[0]!;
}
