/* eslint-disable @typescript-eslint/no-explicit-any -- untyped JSON answers of the API under test */
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import type { Page } from 'playwright-core';
import { freePort, launchBrowser, screenshot } from '@kelpie/test-support';
import { startTestEngine, TestEngine } from '../support/engine';
import { createDefinedVm } from '../support/inventory';
import { startProviderFor } from '../support/oidc-provider';
import { WEB_DIST } from './portal-page';

const V1 = '/api/v1';

/** The portal's "Log in with …" button against a real OpenID Connect provider (oidc-provider in a
 * child process, its own login and consent pages), the provider's group `ops` mapped to VmOperator. */
describe('single sign-on in the portal (Chromium, real OpenID Connect provider)', () => {
  let oidc: Awaited<ReturnType<typeof startProviderFor>>;
  let engine: TestEngine;
  let browser: Awaited<ReturnType<typeof launchBrowser>>;
  let vm: any;

  beforeAll(async () => {
    if (!existsSync(join(WEB_DIST, 'index.html')))
      throw new Error(`build the web app first: ${WEB_DIST} missing`);
    // The redirect URI names the engine's own address: its port is chosen before it starts.
    const port = await freePort();
    oidc = await startProviderFor({
      redirectUri: `http://127.0.0.1:${port}${V1}/auth/oidc/callback`,
      groupRoles: 'ops=VmOperator',
      users: {
        'sub-olga': { preferred_username: 'olga', name: 'Olga Ops', groups: ['ops'] },
        'sub-taken': { preferred_username: 'taken', groups: ['ops'] },
      },
    });
    engine = await startTestEngine({ KELPIE_WEB_DIR: WEB_DIST, ...oidc.engineEnv }, { port });
    browser = await launchBrowser({ anonymous: true });
    ({ vm } = await createDefinedVm(engine));
  });
  afterAll(async () => {
    await browser?.close();
    await engine?.close();
    oidc?.idp.stop();
  });

  /** A fresh page; the provider's pages ask for a web font on the internet: refused at once. */
  async function newPage(): Promise<Page> {
    const page = await browser.browser.newPage();
    await page.route(/^https?:\/\/(?!127\.0\.0\.1)/, (r) => r.abort());
    return page;
  }

  /** From the portal's login page through the provider's own login and consent pages. */
  async function logInAtProvider(page: Page, login: string): Promise<void> {
    await page.getByRole('link', { name: 'Log in with Test IdP' }).click();
    await page.waitForURL((u) => u.href.startsWith(oidc.idp.issuer));
    await page.locator('input[name="login"]').fill(login);
    await page.locator('input[name="password"]').fill('any-password');
    await screenshot(page, 'oidc-provider-login');
    await page.getByRole('button', { name: 'Sign-in' }).click();
    await page.getByRole('button', { name: 'Continue' }).click();
  }

  const sessionCookie = async () =>
    (await browser.browser.cookies(engine.baseUrl)).find((c) => c.name === 'kelpie_session');

  it('the login page offers the provider; its login lands in the portal as the mapped user, a VmOperator', async () => {
    const page = await newPage();
    await page.goto(engine.baseUrl);
    await page.getByRole('button', { name: 'Log in' }).waitFor();
    await page.getByRole('link', { name: 'Log in with Test IdP' }).waitFor();
    await screenshot(page, 'oidc-login-page');

    await logInAtProvider(page, 'sub-olga');
    await page.waitForURL(`${engine.baseUrl}/`);
    await page.getByLabel('Logged in as').waitFor();
    // The provider's preferred_username became the Kelpie username.
    expect(await page.getByLabel('Logged in as').textContent()).toBe('olga');
    // Not an administrator: no Users page in the navigation.
    const nav = page.getByRole('navigation', { name: 'Inventory' });
    await nav.getByRole('link', { name: 'Hosts', exact: true }).waitFor();
    expect(await nav.getByRole('link', { name: 'Users', exact: true }).count()).toBe(0);
    await screenshot(page, 'oidc-logged-in');

    // The browser's session, used against the API: a VmOperator action passes the permission
    // check (the stopped VM answers 409 for power-off), an administration page does not (403).
    const cookie = `kelpie_session=${(await sessionCookie())!.value}`;
    const as = (method: string, path: string) =>
      engine.api(method, `${V1}${path}`, undefined, { authorization: '', cookie, origin: engine.baseUrl });
    expect((await as('GET', '/auth/me')).body).toMatchObject({ username: 'olga', via: 'session' });
    const off = await as('POST', `/vms/${vm.id}/poweroff`);
    expect([off.status, off.body.code]).toEqual([409, 'invalid_state']);
    expect((await as('GET', '/users')).status).toBe(403);
    const groups = (await engine.api('GET', `${V1}/groups`)).body;
    const olga = (await engine.api('GET', `${V1}/users`)).body.find((u: any) => u.username === 'olga');
    expect(groups.find((g: any) => g.name === 'ops').memberIds).toEqual([olga.id]);

    await page.getByRole('button', { name: 'Log out' }).click();
    await page.getByRole('button', { name: 'Log in' }).waitFor();
    await page.close();
  });

  it('a failed login comes back to the login page with the reason, and nobody is logged in', async () => {
    // A local user already holds the provider's username "taken".
    const local = await engine.api('POST', `${V1}/users`, {
      username: 'taken',
      password: 'a-local-long-password',
    });
    expect(local.status).toBe(201);
    await browser.browser.clearCookies();
    const page = await newPage();
    await page.goto(engine.baseUrl);
    await logInAtProvider(page, 'sub-taken');
    await page.waitForURL(`${engine.baseUrl}/login`);
    const alert = page.getByRole('alert');
    await alert.waitFor();
    expect(await alert.textContent()).toBe(
      'Your single sign-on username already belongs to another Kelpie user. An administrator must rename or remove that user first.',
    );
    // The code was read and dropped from the address bar; the form is there to try again.
    expect(new URL(page.url()).search).toBe('');
    await page.getByRole('link', { name: 'Log in with Test IdP' }).waitFor();
    expect(await sessionCookie()).toBeUndefined();
    await screenshot(page, 'oidc-login-refused');
    await page.close();
  });
});
