/* eslint-disable @typescript-eslint/no-explicit-any -- untyped JSON answers of the API under test */
import { chmodSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { startTestEngine, TestEngine } from '../support/engine';
import { CookieJar, startTestProvider, TestProvider } from '../support/oidc-provider';

const V1 = '/api/v1';
/** As registered at the provider: the engine behind a proxy at this address (the test takes the
 * browser's place and sends the callback to the engine's real address). */
const REDIRECT_URI = 'http://kelpie.test/api/v1/auth/oidc/callback';
const alice = { preferred_username: 'alice', name: 'Alice Ops', groups: ['ops', 'unrelated'] };

/** OpenID Connect login against a real provider (oidc-provider in a child process), with the
 * provider's group `ops` mapped to VmOperator on the system. */
describe('OpenID Connect login', () => {
  let idp: TestProvider;
  let e: TestEngine;
  let dir: string;
  let vm: any;

  beforeAll(async () => {
    dir = mkdtempSync(join(tmpdir(), 'kelpie-oidc-'));
    const secretFile = join(dir, 'client-secret');
    const clientSecret = 'a-long-client-secret-for-the-test-provider';
    writeFileSync(secretFile, `${clientSecret}\n`);
    chmodSync(secretFile, 0o600);
    idp = await startTestProvider({ clientId: 'kelpie', clientSecret, redirectUri: REDIRECT_URI });
    idp.setUsers({ 'sub-alice': alice });
    e = await startTestEngine({
      KELPIE_OIDC_ISSUER: idp.issuer,
      KELPIE_OIDC_CLIENT_ID: 'kelpie',
      KELPIE_OIDC_CLIENT_SECRET_FILE: secretFile,
      KELPIE_OIDC_REDIRECT_URI: REDIRECT_URI,
      KELPIE_OIDC_SCOPES: 'openid profile groups',
      KELPIE_OIDC_PROVIDER_NAME: 'Test IdP',
      KELPIE_OIDC_GROUP_ROLES: 'ops=VmOperator',
    });
    const dc = (await e.api('POST', `${V1}/datacenters`, { name: 'dc' })).body;
    const cluster = (await e.api('POST', `${V1}/clusters`, { name: 'c', datacenterId: dc.id })).body;
    vm = (
      await e.api('POST', `${V1}/vms`, {
        name: 'vm1',
        clusterId: cluster.id,
        vcpus: 1,
        memoryMib: 256,
        osType: 'linux',
      })
    ).body;
    expect(vm.id).toBeDefined();
  });
  afterAll(async () => {
    await e?.close();
    idp?.stop();
    rmSync(dir, { recursive: true, force: true });
  });

  /** A browser: leaves from the engine, logs in and consents at the provider; answers the callback
   * URL (on the engine's real address) and the state cookie the engine set. */
  async function throughProvider(login: string): Promise<{ callback: string; stateCookie: string }> {
    const start = await fetch(`${e.baseUrl}${V1}/auth/oidc/login`, { redirect: 'manual' });
    expect(start.status).toBe(302);
    const stateCookie = start.headers.getSetCookie().find((c) => c.startsWith('kelpie_oidc_state='))!;
    expect(stateCookie).toMatch(/HttpOnly/i);
    const jar = new CookieJar();
    let url = start.headers.get('location')!;
    expect(url.startsWith(idp.issuer)).toBe(true);
    expect(new URL(url).searchParams.get('code_challenge_method')).toBe('S256');
    for (let hop = 0; hop < 12 && !url.startsWith(REDIRECT_URI); hop++) {
      let res = await fetch(url, { redirect: 'manual', headers: { cookie: jar.header() } });
      jar.store(res);
      if (res.status === 200) {
        const html = await res.text();
        const form: Record<string, string> = html.includes('value="login"')
          ? { prompt: 'login', login, password: 'anything' }
          : { prompt: 'consent' };
        res = await fetch(url, {
          method: 'POST',
          redirect: 'manual',
          headers: { cookie: jar.header(), 'content-type': 'application/x-www-form-urlencoded' },
          body: new URLSearchParams(form).toString(),
        });
        jar.store(res);
      }
      if (res.status < 300 || res.status >= 400) throw new Error(`${url}: ${res.status} ${await res.text()}`);
      url = new URL(res.headers.get('location')!, url).href;
    }
    expect(url.startsWith(REDIRECT_URI)).toBe(true);
    return {
      callback: url.replace('http://kelpie.test', e.baseUrl),
      stateCookie: stateCookie.split(';')[0]!,
    };
  }

  /** The whole login: answers the session's Cookie header value. */
  async function oidcLogin(login: string): Promise<string> {
    const { callback, stateCookie } = await throughProvider(login);
    const back = await fetch(callback, { redirect: 'manual', headers: { cookie: stateCookie } });
    if (back.status !== 302) throw new Error(`callback: ${back.status} ${await back.text()}`);
    expect(back.headers.get('location')).toBe('/');
    const session = back.headers.getSetCookie().find((c) => c.startsWith('kelpie_session='))!;
    expect(session).toMatch(/HttpOnly/i);
    return session.split(';')[0]!;
  }

  const as = (cookie: string, method: string, path: string) =>
    e.api(method, `${V1}${path}`, undefined, { authorization: '', cookie, origin: e.baseUrl });

  it('the login page is told about the provider (no authentication needed)', async () => {
    const res = await e.api('GET', `${V1}/auth/providers`, undefined, { authorization: '' });
    expect(res.body).toEqual({ local: true, oidc: { name: 'Test IdP', loginUrl: `${V1}/auth/oidc/login` } });
  });

  it('logs a user of group ops in with VmOperator on the system, audited under their name', async () => {
    const cookie = await oidcLogin('sub-alice');
    const me = await as(cookie, 'GET', '/auth/me');
    expect(me.body).toMatchObject({ username: 'alice', via: 'session' });
    const perms = await as(cookie, 'GET', `/auth/permissions?objectType=vm&objectId=${vm.id}`);
    expect(perms.body.permissions).toEqual(expect.arrayContaining(['vm.power', 'vm.console', 'vm.migrate']));
    // Power is allowed (the stopped VM answers 409 for power-off, past the permission check)...
    const off = await as(cookie, 'POST', `/vms/${vm.id}/poweroff`);
    expect([off.status, off.body.code]).toEqual([409, 'invalid_state']);
    // ...administration is not.
    expect((await as(cookie, 'GET', '/users')).status).toBe(403);

    const users = (await e.api('GET', `${V1}/users`)).body;
    const u = users.find((x: any) => x.username === 'alice');
    expect(u).toMatchObject({ displayName: 'Alice Ops', externalIssuer: idp.issuer });
    const groups = (await e.api('GET', `${V1}/groups`)).body.map((g: any) => g.name);
    expect(groups).toContain('ops');
    expect(groups).not.toContain('unrelated');

    const events = (await e.api('GET', `${V1}/events?q=alice&limit=50`)).body.items;
    const login = events.find((ev: any) => ev.type === 'user.login');
    expect(login.message).toMatch(/^alice logged in with Test IdP from /);
    expect(login.actor).toMatchObject({ userId: u.id, username: 'alice' });
  });

  it('refuses a callback whose state is not the one this browser left with, and a replayed one', async () => {
    const { callback, stateCookie } = await throughProvider('sub-alice');
    const forged = new URL(callback);
    forged.searchParams.set('state', 'not-the-state');
    for (const [url, cookie] of [
      [forged.href, stateCookie],
      [callback, ''],
      [callback, 'kelpie_oidc_state=another-browsers-state'],
    ]) {
      const res = await fetch(url!, { redirect: 'manual', headers: { cookie: cookie! } });
      expect(res.status).toBe(400);
      expect((await res.json()).details).toEqual([expect.objectContaining({ field: 'state' })]);
      expect(res.headers.getSetCookie().some((c) => c.startsWith('kelpie_session='))).toBe(false);
    }
    const first = await fetch(callback, { redirect: 'manual', headers: { cookie: stateCookie } });
    expect(first.status).toBe(302);
    const replay = await fetch(callback, { redirect: 'manual', headers: { cookie: stateCookie } });
    expect(replay.status).toBe(400);
  });

  it('a user removed from the group loses the role at the next login', async () => {
    idp.setUsers({ 'sub-alice': { ...alice, groups: ['unrelated'] } });
    try {
      const cookie = await oidcLogin('sub-alice');
      const perms = await as(cookie, 'GET', `/auth/permissions?objectType=vm&objectId=${vm.id}`);
      expect(perms.body.permissions).not.toContain('vm.power');
      expect((await as(cookie, 'POST', `/vms/${vm.id}/poweroff`)).status).toBe(403);
      // Found again by subject: the same user, not a second one.
      const users = (await e.api('GET', `${V1}/users`)).body.filter((x: any) => x.username === 'alice');
      expect(users).toHaveLength(1);
    } finally {
      idp.setUsers({ 'sub-alice': alice });
    }
  });

  it('an external user has no password: password login, password change and reset are refused', async () => {
    const login = await e.api(
      'POST',
      `${V1}/auth/login`,
      { username: 'alice', password: 'anything-at-all-12' },
      { authorization: '', origin: e.baseUrl },
    );
    expect(login.status).toBe(401);
    const id = (await e.api('GET', `${V1}/users`)).body.find((x: any) => x.username === 'alice').id;
    const reset = await e.api('POST', `${V1}/users/${id}/password`, { password: 'a-new-password-123' });
    expect([reset.status, reset.body.code]).toEqual([409, 'invalid_state']);
    const cookie = await oidcLogin('sub-alice');
    const change = await e.api(
      'POST',
      `${V1}/auth/password`,
      { currentPassword: 'x', newPassword: 'another-password-123' },
      { authorization: '', cookie, origin: e.baseUrl },
    );
    expect([change.status, change.body.code]).toEqual([409, 'invalid_state']);
  });

  it('the client secret is in no response, log-visible config or database row', async () => {
    const dump = await e.sql(`SELECT * FROM app_user`);
    expect(JSON.stringify([dump, e.config])).not.toContain('a-long-client-secret');
  });
});
