import { screenshot } from '@kelpie/test-support';
import { createTestUser } from '../support/auth';
import { portalWithoutLab } from './portal-page';

describe('identity administration in the portal (Chromium)', () => {
  const portal = portalWithoutLab();

  it('an admin creates a user with a role; that user does not see the admin pages and sees "Add host" disabled with the reason', async () => {
    const admin = await createTestUser(portal.engine, 'boss', { grants: [{ role: 'SuperUser' }] });
    const username = `ops-${process.pid}`;
    const password = 'a-long-and-fresh-password';
    const page = await portal.browser.browser.newPage();
    const logIn = async (name: string, secret: string) => {
      await page.getByLabel('Username').fill(name);
      await page.getByLabel('Password').fill(secret);
      await page.getByRole('button', { name: 'Log in' }).click();
      await page.getByLabel('Logged in as').waitFor();
    };

    await page.goto(`${portal.engine.baseUrl}/admin/users`);
    await logIn(admin.username, admin.password);
    await page
      .getByRole('row', { name: new RegExp(admin.username) })
      .getByText('SuperUser')
      .waitFor();
    await page.getByRole('button', { name: 'New user' }).click();
    const dialog = page.getByRole('dialog', { name: 'New user' });
    await dialog.getByLabel('Username').fill(username);
    await dialog.getByLabel('Initial password').fill(password);
    await dialog.getByLabel('Role on the system').selectOption('ReadOnly');
    await dialog.getByRole('button', { name: 'Create user' }).click();
    await dialog.waitFor({ state: 'detached' });
    const created = page.getByRole('row', { name: new RegExp(username) });
    await created.getByText('ReadOnly').waitFor();
    await screenshot(page, 'admin-users');

    // The engine holds what the page says: the user, and ReadOnly granted on the system.
    const users = (await portal.engine.api('GET', '/api/v1/users')).body as {
      id: string;
      username: string;
    }[];
    const user = users.find((u) => u.username === username)!;
    const grants = (await portal.engine.api('GET', `/api/v1/grants?principalId=${user.id}`)).body as {
      objectType: string;
    }[];
    expect(grants.map((g) => g.objectType)).toEqual(['system']);

    await page.getByRole('button', { name: 'Log out' }).click();
    await logIn(username, password);
    expect(await page.getByRole('link', { name: 'Users', exact: true }).count()).toBe(0);
    await page.getByRole('link', { name: 'Hosts', exact: true }).click();
    const add = page.getByRole('button', { name: 'Add host' });
    await add.waitFor();
    expect(await add.isDisabled()).toBe(true);
    expect(await add.getAttribute('title')).toMatch(/needs the host\.manage permission on the system/);
    // The reason is on the page too, not only in a tooltip.
    expect(
      await page.getByText(/You cannot add hosts: it needs the host\.manage permission/).isVisible(),
    ).toBe(true);
    await screenshot(page, 'admin-readonly-hosts');
  });
});
