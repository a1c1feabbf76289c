/* eslint-disable @typescript-eslint/no-explicit-any -- untyped JSON answers of the API under test */
import { startTestEngine, TestEngine } from '../support/engine';
import { createDefinedVm } from '../support/inventory';
import { CookieJar, startProviderFor, TEST_CLIENT_SECRET, TestProvider } from '../support/oidc-provider';

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
  let vm: any;

  beforeAll(async () => {
    const oidc = await startProviderFor({
      redirectUri: REDIRECT_URI,
      groupRoles: 'ops=VmOperator',
      users: { 'sub-alice': alice },
    });
    idp = oidc.idp;
    e = await startTestEngine(oidc.engineEnv);
    ({ vm } = await createDefinedVm(e));
  });
  afterAll(async () => {
    await e?.close();
    idp?.stop();
  });

  /** A browser: leaves from the engine, logs in and consents at the provider; answers the callback
   * URL (on the engine's real address) and the state cookie the engine set. */
  async function throughProvider(
    login: string,
    opts: { cancel?: boolean } = {},
  ): Promise<{ callback: string; stateCookie: string }> {
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
        // The provider's "[ Cancel ]" link: it sends the browser back with error=access_denied.
        const cancel = /href="([^"]+)">\[ Cancel \]/.exec(html)?.[1];
        if (opts.cancel && cancel) {
          res = await fetch(new URL(cancel, url), { redirect: 'manual', headers: { cookie: jar.header() } });
          jar.store(res);
          url = new URL(res.headers.get('location')!, url).href;
          continue;
        }
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
    const back = await backFromProvider(callback, stateCookie, 'browser');
    if (back.status !== 302) throw new Error(`callback: ${back.status} ${await back.text()}`);
    expect(back.headers.get('location')).toBe('/');
    const session = back.headers.getSetCookie().find((c) => c.startsWith('kelpie_session='))!;
    expect(session).toMatch(/HttpOnly/i);
    return session.split(';')[0]!;
  }

  /** The browser (Accept: text/html, as for any page) or a script (Accept: application/json)
   * following the provider's redirect back to the engine. */
  const backFromProvider = (url: string, cookie: string, as: 'browser' | 'json') =>
    fetch(url, {
      redirect: 'manual',
      headers: {
        cookie,
        accept:
          as === 'json'
            ? 'application/json'
            : 'text/html,application/xhtml+xml,application/xml;q=0.9,*/*;q=0.8',
      },
    });

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
      // A browser is sent to the login page with the reason's code...
      const page = await backFromProvider(url!, cookie!, 'browser');
      expect([page.status, page.headers.get('location')]).toEqual([303, '/login?login_error=state_mismatch']);
      // ...a client asking for JSON gets the API error naming the field.
      const res = await backFromProvider(url!, cookie!, 'json');
      expect(res.status).toBe(400);
      expect((await res.json()).details).toEqual([expect.objectContaining({ field: 'state' })]);
      for (const r of [page, res])
        expect(r.headers.getSetCookie().some((c) => c.startsWith('kelpie_session='))).toBe(false);
    }
    const first = await backFromProvider(callback, stateCookie, 'browser');
    expect([first.status, first.headers.get('location')]).toEqual([302, '/']);
    const replay = await backFromProvider(callback, stateCookie, 'browser');
    expect([replay.status, replay.headers.get('location')]).toEqual([
      303,
      '/login?login_error=state_expired',
    ]);
    expect((await backFromProvider(callback, stateCookie, 'json')).status).toBe(400);
  });

  it('a login cancelled at the provider returns to the login page as access_denied, audited', async () => {
    const users = async () => (await e.sql(`SELECT id FROM app_user`)).length;
    const before = await users();
    const { callback, stateCookie } = await throughProvider('sub-alice', { cancel: true });
    expect(new URL(callback).searchParams.get('error')).toBe('access_denied');
    const res = await backFromProvider(callback, stateCookie, 'browser');
    expect([res.status, res.headers.get('location')]).toEqual([303, '/login?login_error=access_denied']);
    expect(res.headers.getSetCookie().some((c) => c.startsWith('kelpie_session='))).toBe(false);
    expect(await users()).toBe(before);
    const events = (await e.api('GET', `${V1}/events?q=access_denied&limit=50`)).body.items;
    expect(events).toEqual(
      expect.arrayContaining([
        expect.objectContaining({
          type: 'user.login-failed',
          message: expect.stringMatching(/refused the login: access_denied/),
        }),
      ]),
    );
  });

  it('a provider username held by a local user: login page says username_taken (JSON: 409), nobody logged in', async () => {
    const local = await e.api('POST', `${V1}/users`, {
      username: 'carol',
      password: 'a-local-long-password',
    });
    expect(local.status).toBe(201);
    idp.setUsers({ 'sub-alice': alice, 'sub-carol': { preferred_username: 'carol', groups: ['ops'] } });
    const viaBrowser = await throughProvider('sub-carol');
    const page = await backFromProvider(viaBrowser.callback, viaBrowser.stateCookie, 'browser');
    expect([page.status, page.headers.get('location')]).toEqual([303, '/login?login_error=username_taken']);
    expect(page.headers.getSetCookie().some((c) => c.startsWith('kelpie_session='))).toBe(false);
    const viaScript = await throughProvider('sub-carol');
    const res = await backFromProvider(viaScript.callback, viaScript.stateCookie, 'json');
    expect([res.status, (await res.json()).code]).toEqual([409, 'conflict']);
    // The local carol is untouched: still local, and not put in the mapped group.
    const carol = (await e.sql<any>(`SELECT * FROM app_user WHERE username = 'carol'`))[0];
    expect(carol.external_subject).toBeNull();
    const groups = (await e.api('GET', `${V1}/groups`)).body;
    expect(groups.find((g: any) => g.name === 'ops').memberIds).not.toContain(carol.id);
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
    expect(JSON.stringify([dump, e.config])).not.toContain(TEST_CLIENT_SECRET);
  });

  // Last: it stops the provider.
  it('a provider out of reach at the code exchange: login page says provider_unavailable (JSON: 502)', async () => {
    const [forBrowser, forScript] = [await throughProvider('sub-alice'), await throughProvider('sub-alice')];
    idp.stop();
    const page = await backFromProvider(forBrowser.callback, forBrowser.stateCookie, 'browser');
    expect([page.status, page.headers.get('location')]).toEqual([
      303,
      '/login?login_error=provider_unavailable',
    ]);
    const res = await backFromProvider(forScript.callback, forScript.stateCookie, 'json');
    expect([res.status, (await res.json()).code]).toEqual([502, 'identity_provider_unavailable']);
  });
});
