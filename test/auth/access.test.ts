/* eslint-disable @typescript-eslint/no-explicit-any -- untyped JSON answers of the API under test */
import { randomBytes, randomUUID } from 'node:crypto';
import { ConsoleTicketService } from '@kelpie/engine/testing';
import { WebSocket } from 'ws';
import { authHeaders, createTestUser, login, TestUser } from '../support/auth';
import { startTestEngine, TestEngine } from '../support/engine';
import { eventually } from '../support/platform';
import { openStream } from '@kelpie/test-support';
import { API_TOKEN_PATTERN } from '@kelpie/shared-types';

const V1 = '/api/v1';

/** Inheritance down the tree, what lists and the live stream show, console tickets, Origin checks. */
describe('roles granted on the tree', () => {
  let e: TestEngine;
  let dc: any, clusterA: any, clusterB: any, hostA: any, hostB: any, vmA: any, vmB: any;
  let clusterAdmin: TestUser;
  let vmUser: TestUser;

  const post = async (path: string, body: unknown) => {
    const r = await e.api('POST', `${V1}${path}`, body);
    if (r.status !== 201) throw new Error(`${path}: ${r.status} ${JSON.stringify(r.body)}`);
    return r.body;
  };
  const as = (u: TestUser | string, method: string, path: string, body?: unknown) =>
    e.api(method, `${V1}${path}`, body, authHeaders(typeof u === 'string' ? u : u.token));

  beforeAll(async () => {
    e = await startTestEngine();
    dc = await post('/datacenters', { name: 'dc' });
    clusterA = await post('/clusters', { name: 'a', datacenterId: dc.id });
    clusterB = await post('/clusters', { name: 'b', datacenterId: dc.id });
    const host = (name: string, clusterId: string) =>
      post('/hosts', { name, address: `${name}.example.com`, libvirtUri: 'qemu:///system', clusterId });
    hostA = await host('ha', clusterA.id);
    hostB = await host('hb', clusterB.id);
    const vm = (name: string, clusterId: string) =>
      post('/vms', { name, clusterId, vcpus: 1, memoryMib: 256, osType: 'linux' });
    vmA = await vm('vm-a', clusterA.id);
    vmB = await vm('vm-b', clusterB.id);
    clusterAdmin = await createTestUser(e, 'ca', {
      grants: [{ role: 'ClusterAdmin', objectType: 'cluster', objectId: clusterA.id }],
    });
    vmUser = await createTestUser(e, 'vu', {
      grants: [{ role: 'VmUser', objectType: 'vm', objectId: vmA.id }],
    });
  });
  afterAll(() => e.close());

  it('a ClusterAdmin of A acts on A’s hosts and VMs and gets 403 on B’s', async () => {
    expect((await as(clusterAdmin, 'PATCH', `/vms/${vmA.id}`, { description: 'mine' })).status).toBe(200);
    expect((await as(clusterAdmin, 'PATCH', `/hosts/${hostA.id}`, { description: 'mine' })).status).toBe(200);
    const vmInA = await as(clusterAdmin, 'POST', '/vms', {
      name: 'new-a',
      clusterId: clusterA.id,
      vcpus: 1,
      memoryMib: 256,
      osType: 'linux',
    });
    expect(vmInA.status).toBe(201);

    for (const [method, path, body] of [
      ['PATCH', `/vms/${vmB.id}`, { description: 'theirs' }],
      ['PATCH', `/hosts/${hostB.id}`, { description: 'theirs' }],
      ['POST', '/vms', { name: 'new-b', clusterId: clusterB.id, vcpus: 1, memoryMib: 256, osType: 'linux' }],
      ['POST', `/vms/${vmB.id}/poweroff`, undefined],
      ['GET', `/vms/${vmB.id}`, undefined],
      ['PATCH', `/clusters/${clusterB.id}`, { description: 'theirs' }],
      ['PATCH', `/datacenters/${dc.id}`, { description: 'above me' }],
    ] as const) {
      const res = await as(clusterAdmin, method, path, body);
      expect({ method, path, status: res.status, code: res.body.code }).toEqual({
        method,
        path,
        status: 403,
        code: 'forbidden',
      });
    }
    expect((await e.api('GET', `${V1}/vms/${vmB.id}`)).body.description).toBe('');
  });

  it('lists the grants a VM inherits from above (its cluster, the system), apart from its own', async () => {
    const inherited = await e.api('GET', `${V1}/grants?objectType=vm&objectId=${vmA.id}&inherited=true`);
    expect(inherited.status).toBe(200);
    const where = inherited.body.map((g: any) => `${g.principalId}@${g.objectType}`);
    expect(where).toContain(`${clusterAdmin.id}@cluster`);
    expect(where.some((w: string) => w.endsWith('@system'))).toBe(true);
    expect(where).not.toContain(`${vmUser.id}@vm`);
    const own = await e.api('GET', `${V1}/grants?objectType=vm&objectId=${vmA.id}`);
    expect(own.body.map((g: any) => g.principalId)).toEqual([vmUser.id]);
    const bad = await e.api('GET', `${V1}/grants?inherited=true`);
    expect([bad.status, bad.body.details[0].field]).toEqual([400, 'inherited']);
  });

  it('B’s objects are absent from his lists', async () => {
    const vms = (await as(clusterAdmin, 'GET', '/vms?limit=500')).body;
    const ids = vms.items.map((v: any) => v.id);
    expect(ids).toContain(vmA.id);
    expect(ids).not.toContain(vmB.id);
    expect(vms.total).toBe(vms.items.length);
    const hosts = (await as(clusterAdmin, 'GET', '/hosts')).body.items.map((h: any) => h.id);
    expect(hosts).toEqual([hostA.id]);
    const clusters = (await as(clusterAdmin, 'GET', '/clusters')).body.items.map((c: any) => c.id);
    expect(clusters).toEqual([clusterA.id]);
    const events = (await as(clusterAdmin, 'GET', '/events?limit=500')).body.items;
    expect(JSON.stringify(events)).not.toContain(vmB.id);
    expect(events.some((ev: any) => ev.refs.some((r: any) => r.id === vmA.id))).toBe(true);
  });

  it('his live stream (a real SSE connection) carries A’s VMs and never B’s name or status', async () => {
    const mine = await openStream(`${e.baseUrl}${V1}/events/stream`, clusterAdmin.token);
    const all = await openStream(`${e.baseUrl}${V1}/events/stream`);
    try {
      await e.api('PATCH', `${V1}/vms/${vmB.id}`, { description: 'secret-b' });
      await e.api('PATCH', `${V1}/vms/${vmA.id}`, { description: 'visible-a' });
      const created = await post('/vms', {
        name: 'born-in-a',
        clusterId: clusterA.id,
        vcpus: 1,
        memoryMib: 256,
        osType: 'linux',
      });
      // The admin's stream has all three; by then his has had every chance to receive B's.
      await all.waitFor((m) => m.type === 'object.created' && m.object.id === created.id);
      await mine.waitFor((m) => m.type === 'object.created' && m.object.id === created.id);
      await mine.waitFor((m) => m.type === 'object.updated' && m.object.id === vmA.id);
      expect(all.raw()).toContain(vmB.id);
      expect(mine.raw()).not.toContain(vmB.id);
      expect(mine.raw()).not.toContain('vm-b');
      expect(mine.raw()).not.toContain('secret-b');
    } finally {
      mine.close();
      all.close();
    }
  });

  it('a VmUser may ask for the console of his VM but not power it off', async () => {
    const ticket = await as(vmUser, 'POST', `/vms/${vmA.id}/console`);
    // Past the permission check: the VM is down, so the console itself is refused with 409.
    expect([ticket.status, ticket.body.code]).toEqual([409, 'invalid_state']);
    const off = await as(vmUser, 'POST', `/vms/${vmA.id}/poweroff`);
    expect([off.status, off.body.code]).toEqual([403, 'forbidden']);
    expect((await as(vmUser, 'POST', `/vms/${vmB.id}/console`)).status).toBe(403);
    expect((await as(vmUser, 'GET', '/vms')).body.items.map((v: any) => v.id)).toEqual([vmA.id]);
  });

  it('a console ticket of user X is refused on user Y’s connection', async () => {
    const tickets = e.app.get(ConsoleTicketService);
    const issue = (userId: string) =>
      tickets.issue({
        kind: 'vnc',
        vmId: vmA.id,
        hostId: hostA.id,
        userId,
        actor: 'x',
        correlationId: randomUUID(),
        expiresAt: new Date(Date.now() + 30_000).toISOString(),
      });
    const wsUrl = (t: string) =>
      `${e.baseUrl.replace('http', 'ws')}${V1}/console/ws?vm=${vmA.id}&ticket=${t}`;
    const byY = await upgrade(wsUrl(await issue(clusterAdmin.id)), authHeaders(vmUser.token));
    expect(byY.status).toBe(403);
    expect(byY.body).toContain('issued to another user');
    // X's own ticket passes the user check and stops at the VM (down, no console): 409.
    const byX = await upgrade(wsUrl(await issue(clusterAdmin.id)), authHeaders(clusterAdmin.token));
    expect(byX.status).toBe(409);
    const anonymous = await upgrade(wsUrl(await issue(clusterAdmin.id)), {});
    expect(anonymous.status).toBe(401);
  });

  it('refuses a WebSocket from a foreign Origin and a cross-origin form POST', async () => {
    const ticket = randomBytes(32).toString('base64url');
    const ws = await upgrade(
      `${e.baseUrl.replace('http', 'ws')}${V1}/console/ws?vm=${vmA.id}&ticket=${ticket}`,
      {
        ...authHeaders(),
        origin: 'https://evil.example',
      },
    );
    expect(ws.status).toBe(403);
    expect(ws.body).toContain('evil.example');

    const cookie = await login(e.baseUrl, clusterAdmin.username, clusterAdmin.password);
    const form = (origin: string | undefined, site?: string) =>
      fetch(`${e.baseUrl}${V1}/vms/${vmA.id}/poweroff`, {
        method: 'POST',
        headers: {
          cookie,
          'content-type': 'application/x-www-form-urlencoded',
          ...(origin ? { origin } : {}),
          ...(site ? { 'sec-fetch-site': site } : {}),
        },
        body: 'x=1',
      });
    const foreign = await form('https://evil.example', 'cross-site');
    expect(foreign.status).toBe(403);
    expect((await form(undefined)).status).toBe(403);
    // The same session from the engine's own origin passes the Origin check (and the VM is down: 409).
    expect((await form(e.baseUrl, 'same-origin')).status).toBe(409);
  });

  it('records the authenticated actor (user, token, address) on audit events; X-Kelpie-User is ignored', async () => {
    const r = await e.api(
      'PATCH',
      `${V1}/vms/${vmA.id}`,
      { description: 'audited' },
      {
        ...authHeaders(clusterAdmin.token),
        'x-kelpie-user': 'mallory',
      },
    );
    expect(r.status).toBe(200);
    const events = (await e.api('GET', `${V1}/events?objectId=${vmA.id}&limit=50`)).body.items;
    const ev = events.find((x: any) => x.message.includes('description'));
    expect(ev.actor).toEqual({
      userId: clusterAdmin.id,
      username: clusterAdmin.username,
      tokenId: clusterAdmin.tokenId,
      sourceAddress: expect.stringMatching(/127\.0\.0\.1/),
    });
    expect(ev.message).toContain(clusterAdmin.username);
    expect(JSON.stringify(events)).not.toContain('mallory');
  });
});

describe('identity', () => {
  let e: TestEngine;
  beforeAll(async () => {
    e = await startTestEngine({
      KELPIE_LOGIN_MAX_FAILURES: '3',
      KELPIE_ADMIN_PASSWORD: 'first-admin-password',
    });
  });
  afterAll(() => e.close());

  const loginRes = (username: string, password: string, origin = e.baseUrl) =>
    fetch(`${e.baseUrl}${V1}/auth/login`, {
      method: 'POST',
      headers: { 'content-type': 'application/json', origin },
      body: JSON.stringify({ username, password }),
    });

  it('the first admin logs in with the configured password; the session cookie is HttpOnly and SameSite', async () => {
    const res = await loginRes('admin', 'first-admin-password');
    expect(res.status).toBe(200);
    const cookie = res.headers.get('set-cookie')!;
    expect(cookie).toMatch(/^kelpie_session=[A-Za-z0-9_-]{43};/);
    expect(cookie).toMatch(/HttpOnly/);
    expect(cookie).toMatch(/SameSite=Strict/);
    expect(cookie).not.toMatch(/Secure/); // plain HTTP here; over TLS it is Secure
    const me = await e.api('GET', `${V1}/auth/me`, undefined, {
      authorization: '',
      cookie: cookie.split(';')[0]!,
    });
    expect(me.body).toMatchObject({ username: 'admin', via: 'session' });
    expect(me.body.systemPermissions).toContain('user.manage');
    const rows = await e.sql<{ password_hash: string }>(
      `SELECT password_hash FROM app_user WHERE username = 'admin'`,
    );
    expect(rows[0]!.password_hash).toMatch(/^\$argon2id\$/);
  });

  it('locks a username out after N bad passwords, even for the right one, and says so with 429', async () => {
    const u = await createTestUser(e, 'lock');
    for (let i = 0; i < 3; i++) expect((await loginRes(u.username, 'wrong-password-1')).status).toBe(401);
    const locked = await loginRes(u.username, u.password);
    expect(locked.status).toBe(429);
    expect((await locked.json()).code).toBe('rate_limited');
    // Another user from the same address is not locked by it.
    const other = await createTestUser(e, 'free');
    expect((await loginRes(other.username, other.password)).status).toBe(200);
    const failed = (await e.api('GET', `${V1}/events?q=${u.username}&limit=50`)).body.items;
    expect(failed.filter((ev: any) => ev.type === 'user.login-failed')).toHaveLength(3);
  });

  it('a revoked token stops working at once; an expired session or a bad token is 401', async () => {
    const u = await createTestUser(e, 'rev');
    expect((await e.api('GET', `${V1}/vms`, undefined, authHeaders(u.token))).status).toBe(200);
    const cookie = await login(e.baseUrl, u.username, u.password);
    const revoke = await e.api('DELETE', `${V1}/auth/tokens/${u.tokenId}`, undefined, {
      authorization: '',
      cookie,
      origin: e.baseUrl,
    });
    expect(revoke.status).toBe(204);
    const after = await e.api('GET', `${V1}/vms`, undefined, authHeaders(u.token));
    expect([after.status, after.body.message]).toEqual([401, 'this API token has been revoked']);
    const forged = u.token.slice(0, -4) + 'AAAA';
    expect((await e.api('GET', `${V1}/vms`, undefined, authHeaders(forged))).status).toBe(401);
    // A session idle past its limit is gone.
    await e.sql(`UPDATE user_session SET last_seen_at = now() - interval '2 hours'`);
    const idle = await e.api('GET', `${V1}/auth/me`, undefined, { authorization: '', cookie });
    expect([idle.status, idle.body.message]).toEqual([401, 'the session has expired: log in again']);
  });

  it('tokens are stored hashed and shown once', async () => {
    const u = await createTestUser(e, 'hash');
    const rows = await e.sql<{ secret_hash: string }>(`SELECT secret_hash FROM api_token WHERE id = $1`, [
      u.tokenId,
    ]);
    expect(rows[0]!.secret_hash).toMatch(/^[0-9a-f]{64}$/);
    expect(u.token).not.toContain(rows[0]!.secret_hash);
    const list = await e.api('GET', `${V1}/auth/tokens`, undefined, authHeaders(u.token));
    expect(list.body).toHaveLength(1);
    // By the token's format: its secret may itself contain "_".
    const secret = API_TOKEN_PATTERN.exec(u.token)![2]!;
    expect(JSON.stringify(list.body)).not.toContain(secret);
  });

  it('changing the password needs the current one, ends the other sessions and keeps this one', async () => {
    const u = await createTestUser(e, 'pw');
    const [s1, s2] = [
      await login(e.baseUrl, u.username, u.password),
      await login(e.baseUrl, u.username, u.password),
    ];
    const change = (body: unknown) =>
      e.api('POST', `${V1}/auth/password`, body, { authorization: '', cookie: s1, origin: e.baseUrl });
    const wrong = await change({ currentPassword: 'nope-nope-nope', newPassword: 'a-much-better-password' });
    expect([wrong.status, wrong.body.details?.[0]?.field]).toEqual([400, 'currentPassword']);
    const weak = await change({ currentPassword: u.password, newPassword: 'short' });
    expect([weak.status, weak.body.details?.[0]?.field]).toEqual([400, 'newPassword']);
    expect(
      (await change({ currentPassword: u.password, newPassword: 'a-much-better-password' })).status,
    ).toBe(204);
    const me = (cookie: string) => e.api('GET', `${V1}/auth/me`, undefined, { authorization: '', cookie });
    expect((await me(s1)).status).toBe(200);
    expect((await me(s2)).status).toBe(401);
    expect((await loginRes(u.username, 'a-much-better-password')).status).toBe(200);
  });

  it('refuses a login form posted from another site (login CSRF)', async () => {
    expect((await loginRes('admin', 'first-admin-password', 'https://evil.example')).status).toBe(403);
  });
});

describe('the first admin', () => {
  it('is not created without a password or a token: no default password anywhere', async () => {
    const e = await startTestEngine({ KELPIE_BOOTSTRAP_TOKEN: '' } as Record<string, string>).catch(
      (err: Error) => err,
    );
    if (e instanceof Error) throw e;
    try {
      await eventually(
        'boot finished',
        async () => (await e.api('GET', `${V1}/health`)).status === 200,
        10_000,
      );
      expect(await e.sql(`SELECT username FROM app_user`)).toEqual([]);
      for (const password of ['admin', 'password', 'kelpie', ''])
        expect((await e.api('POST', `${V1}/auth/login`, { username: 'admin', password })).status).not.toBe(
          200,
        );
    } finally {
      await e.close();
    }
  });
});

/** A WebSocket upgrade; answers the HTTP status of a refusal, or 101 when it opened. */
function upgrade(url: string, headers: Record<string, string>): Promise<{ status: number; body: string }> {
  return new Promise((resolve, reject) => {
    const ws = new WebSocket(url, { headers });
    ws.once('open', () => {
      ws.close();
      resolve({ status: 101, body: '' });
    });
    ws.once('unexpected-response', (_req, res) => {
      let body = '';
      res.on('data', (c: Buffer) => (body += c.toString()));
      res.on('end', () => resolve({ status: res.statusCode ?? 0, body }));
    });
    ws.once('error', reject);
  });
}
