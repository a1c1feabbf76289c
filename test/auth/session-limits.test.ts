import { authHeaders, createTestUser, login } from '../support/auth';
import { startTestEngine, TestEngine } from '../support/engine';

const V1 = '/api/v1';

/** Behind the portal's reverse proxy (trusted on loopback): the Secure cookie over TLS, the
 * lockout per source address; a session's absolute lifetime and a token's expiry. */
describe('sessions and lockout behind the TLS proxy', () => {
  let e: TestEngine;

  beforeAll(async () => {
    e = await startTestEngine({
      KELPIE_TRUST_PROXY: 'loopback',
      KELPIE_LOGIN_MAX_FAILURES: '10',
      KELPIE_LOGIN_MAX_FAILURES_PER_ADDRESS: '4',
    });
  });
  afterAll(() => e.close());

  /** A login as the proxy forwards it: the browser's scheme and address in X-Forwarded-*. */
  const loginVia = (username: string, password: string, from: { proto: string; address: string }) =>
    fetch(`${e.baseUrl}${V1}/auth/login`, {
      method: 'POST',
      headers: {
        'content-type': 'application/json',
        origin: `${from.proto}://${new URL(e.baseUrl).host}`,
        'x-forwarded-proto': from.proto,
        'x-forwarded-for': from.address,
      },
      body: JSON.stringify({ username, password }),
    });

  it('the session cookie is Secure when the browser came over TLS, not over plain HTTP', async () => {
    const u = await createTestUser(e, 'tls');
    const overTls = await loginVia(u.username, u.password, { proto: 'https', address: '10.1.0.1' });
    expect(overTls.status).toBe(200);
    expect(overTls.headers.get('set-cookie')).toMatch(/^kelpie_session=[^;]+;.*; Secure/);
    const plain = await loginVia(u.username, u.password, { proto: 'http', address: '10.1.0.1' });
    expect(plain.status).toBe(200);
    expect(plain.headers.get('set-cookie')).not.toMatch(/Secure/);
  });

  it('locks a source address out after N failures spread over usernames; other addresses still log in', async () => {
    const guesser = { proto: 'https', address: '10.2.0.66' };
    for (let i = 0; i < 4; i++)
      expect((await loginVia(`nobody-${i}`, 'wrong-password-1', guesser)).status).toBe(401);
    const u = await createTestUser(e, 'addr');
    const locked = await loginVia(u.username, u.password, guesser);
    expect(locked.status).toBe(429);
    expect((await locked.json()).details).toEqual([
      { field: 'address', reason: expect.stringMatching(/^locked out for \d+ s$/) },
    ]);
    // The user is not locked: only that address is.
    expect((await loginVia(u.username, u.password, { proto: 'https', address: '10.2.0.67' })).status).toBe(
      200,
    );
  });

  it('a session ends at its absolute lifetime even while in use', async () => {
    const u = await createTestUser(e, 'abs');
    const cookie = await login(e.baseUrl, u.username, u.password);
    const me = () => e.api('GET', `${V1}/auth/me`, undefined, { authorization: '', cookie });
    const sessions = async () =>
      (await e.sql(`SELECT 1 FROM user_session WHERE user_id = $1`, [u.id])).length;
    expect((await me()).status).toBe(200);
    const before = await sessions();
    // Used a second ago (not idle), but past its absolute end.
    await e.sql(
      `UPDATE user_session SET last_seen_at = now(), expires_at = now() - interval '1 second'
        WHERE user_id = $1`,
      [u.id],
    );
    const after = await me();
    expect([after.status, after.body.message]).toEqual([401, 'the session has expired: log in again']);
    // And it is gone, not just refused.
    expect(await sessions()).toBe(before - 1);
  });

  it('an API token stops at its expiry', async () => {
    const u = await createTestUser(e, 'exp');
    const vms = () => e.api('GET', `${V1}/vms`, undefined, authHeaders(u.token));
    expect((await vms()).status).toBe(200);
    await e.sql(`UPDATE api_token SET expires_at = now() - interval '1 second' WHERE id = $1`, [u.tokenId]);
    const after = await vms();
    expect([after.status, after.body.message]).toEqual([401, 'this API token has expired']);
  });

  it('without OpenID Connect configured, its login sends a browser to the login page (a script: 404)', async () => {
    const start = (accept: string) =>
      fetch(`${e.baseUrl}${V1}/auth/oidc/login`, { redirect: 'manual', headers: { accept } });
    const page = await start('text/html,application/xhtml+xml,*/*;q=0.8');
    expect([page.status, page.headers.get('location')]).toEqual([303, '/login?login_error=not_configured']);
    const script = await start('application/json');
    expect([script.status, (await script.json()).code]).toEqual([404, 'not_found']);
  });
});
