/* eslint-disable @typescript-eslint/no-explicit-any -- untyped JSON answers of the API under test */
import { screenshot } from '@kelpie/test-support';
import { authHeaders, createTestUser } from '../support/auth';
import { createDefinedVm } from '../support/inventory';
import { newPortalPage, portalWithoutLab } from './portal-page';

describe('custom roles in the portal (Chromium)', () => {
  const portal = portalWithoutLab();

  it('an admin makes a role from the permission list, then edits it; its holder gets the change at once', async () => {
    const e = portal.engine;
    const { vm } = await createDefinedVm(e);
    const admin = await createTestUser(e, 'boss', { grants: [{ role: 'SuperUser' }] });
    const role = `Snapshots-${process.pid}`;
    const page = await newPortalPage(portal.browser);
    await page.goto(`${e.baseUrl}/admin/roles`);
    await page.getByLabel('Username').fill(admin.username);
    await page.getByLabel('Password').fill(admin.password);
    await page.getByRole('button', { name: 'Log in' }).click();

    // Built-in roles say why they cannot be edited.
    const builtin = page.getByRole('row', { name: /VmOperator/ }).getByRole('button', { name: 'Edit' });
    await builtin.waitFor();
    expect(await builtin.isDisabled()).toBe(true);
    expect(await builtin.getAttribute('title')).toMatch(/Built-in roles cannot be changed/);

    await page.getByRole('button', { name: 'New role' }).click();
    const create = page.getByRole('dialog', { name: 'New role' });
    await create.getByLabel('Name').fill(role);
    await create.getByLabel('vm.snapshot').check();
    await screenshot(page, 'roles-new');
    await create.getByRole('button', { name: 'Create role' }).click();
    await create.waitFor({ state: 'detached' });
    const row = page.getByRole('row', { name: new RegExp(role) });
    await row.getByText('view, vm.snapshot').waitFor();

    const holder = await createTestUser(e, 'snap', {
      grants: [{ role, objectType: 'vm', objectId: vm.id }],
    });
    const held = async () =>
      (
        await e.api(
          'GET',
          `/api/v1/auth/permissions?objectType=vm&objectId=${vm.id}`,
          undefined,
          authHeaders(holder.token),
        )
      ).body.permissions as string[];
    expect(await held()).not.toContain('vm.console');

    await row.getByRole('button', { name: 'Edit' }).click();
    const edit = page.getByRole('dialog', { name: `Edit role ${role}` });
    expect(await edit.getByLabel('vm.snapshot').isChecked()).toBe(true);
    await edit.getByLabel('vm.console').check();
    await screenshot(page, 'roles-edit');
    await edit.getByRole('button', { name: 'Save role' }).click();
    await edit.waitFor({ state: 'detached' });
    await row.getByText('view, vm.console, vm.snapshot').waitFor();
    expect(await held()).toEqual(expect.arrayContaining(['vm.console', 'vm.snapshot']));
    const stored = await e.sql<any>(`SELECT permissions FROM role WHERE name = $1`, [role]);
    expect(stored[0].permissions).toEqual(['view', 'vm.console', 'vm.snapshot']);
    await screenshot(page, 'roles-page');
  });
});
