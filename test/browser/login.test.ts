import { createTestUser } from '../support/auth';
import { screenshot } from '@kelpie/test-support';
import { createDefinedVm } from '../support/inventory';
import { portalWithoutLab } from './portal-page';

describe('portal login (Chromium)', () => {
  const portal = portalWithoutLab();

  it('asks for a login, refuses a wrong password, logs in and out; a VmUser sees power actions disabled with the reason', async () => {
    const { vm } = await createDefinedVm(portal.engine, { vm: 'mine' });
    const user = await createTestUser(portal.engine, 'vmuser', {
      grants: [{ role: 'VmUser', objectType: 'vm', objectId: vm.id }],
    });

    const page = await portal.browser.browser.newPage();
    await page.goto(`${portal.engine.baseUrl}/vms/${vm.id}`);
    await page.getByRole('heading', { name: 'Kelpie' }).waitFor();
    await page.getByLabel('Username').fill(user.username);
    await page.getByLabel('Password').fill('not-the-password');
    await page.getByRole('button', { name: 'Log in' }).click();
    await page.getByRole('alert').waitFor();
    expect(await page.getByRole('alert').textContent()).toMatch(/invalid username or password/i);
    await screenshot(page, 'login-refused');

    await page.getByLabel('Password').fill(user.password);
    await page.getByRole('button', { name: 'Log in' }).click();
    await page.getByLabel('Logged in as').waitFor();
    expect(await page.getByLabel('Logged in as').textContent()).toBe(user.username);
    const cookies = await portal.browser.browser.cookies(portal.engine.baseUrl);
    const session = cookies.find((c) => c.name === 'kelpie_session')!;
    expect([session.httpOnly, session.sameSite]).toEqual([true, 'Strict']);

    // The VM is down: "Run" is what its status offers, and this user may not power it.
    const run = page.getByRole('button', { name: 'Run', exact: true });
    await run.waitFor();
    await page.waitForFunction(() =>
      [...document.querySelectorAll('button')].some((b) => b.textContent === 'Run' && b.disabled),
    );
    expect(await run.getAttribute('title')).toMatch(/lack the vm\.power permission/);
    await screenshot(page, 'login-vmuser');

    await page.getByRole('button', { name: 'Log out' }).click();
    await page.getByRole('button', { name: 'Log in' }).waitFor();
    // The session is gone on the engine too, not just in the page.
    const me = await portal.engine.api('GET', '/api/v1/auth/me', undefined, {
      authorization: '',
      cookie: `kelpie_session=${session.value}`,
    });
    expect(me.status).toBe(401);
  });
});
