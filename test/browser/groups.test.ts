/* eslint-disable @typescript-eslint/no-explicit-any -- untyped JSON answers of the API under test */
import { screenshot } from '@kelpie/test-support';
import { authHeaders, createTestUser } from '../support/auth';
import { createDefinedVm } from '../support/inventory';
import { newPortalPage, portalWithoutLab } from './portal-page';

describe('groups in the portal (Chromium)', () => {
  const portal = portalWithoutLab();

  it('an admin makes a group, adds a member, grants the group a role on a cluster; the member holds it until removed', async () => {
    const e = portal.engine;
    const { cluster, vm } = await createDefinedVm(e, { cluster: 'prod', vm: 'web-1' });
    const admin = await createTestUser(e, 'boss', { grants: [{ role: 'SuperUser' }] });
    const member = await createTestUser(e, 'nina');
    const group = `night-ops-${process.pid}`;
    /** What the member may do on the VM, asked with the member's own token. */
    const memberPermissions = async () =>
      (
        await e.api(
          'GET',
          `/api/v1/auth/permissions?objectType=vm&objectId=${vm.id}`,
          undefined,
          authHeaders(member.token),
        )
      ).body.permissions as string[];
    const memberPowerOff = () =>
      e.api('POST', `/api/v1/vms/${vm.id}/poweroff`, undefined, authHeaders(member.token));
    expect(await memberPermissions()).not.toContain('vm.power');

    const page = await newPortalPage(portal.browser);
    await page.goto(`${e.baseUrl}/admin/groups`);
    await page.getByLabel('Username').fill(admin.username);
    await page.getByLabel('Password').fill(admin.password);
    await page.getByRole('button', { name: 'Log in' }).click();
    await page.getByRole('button', { name: 'New group' }).click();
    const create = page.getByRole('dialog', { name: 'New group' });
    await create.getByLabel('Name').fill(group);
    await create.getByRole('button', { name: 'Create group' }).click();
    await create.waitFor({ state: 'detached' });
    const row = page.getByRole('row', { name: new RegExp(group) });
    await row.getByRole('button', { name: 'Add member' }).click();
    const add = page.getByRole('dialog', { name: `Add a member to ${group}` });
    await add.getByLabel('User').selectOption({ label: member.username });
    await add.getByRole('button', { name: 'Add member' }).click();
    await add.waitFor({ state: 'detached' });
    await row.getByText(member.username).waitFor();
    await screenshot(page, 'groups-page');

    // The role, granted to the group on the cluster from the cluster's Permissions panel.
    await page.goto(`${e.baseUrl}/clusters/${cluster.id}`);
    const grant = page.getByRole('form', { name: 'Grant a role' });
    await grant.getByLabel('User or group').selectOption({ label: `group ${group}` });
    await grant.getByLabel('Role').selectOption('VmOperator');
    await grant.getByRole('button', { name: 'Grant' }).click();
    await page.getByRole('row', { name: new RegExp(`group ${group}.*VmOperator`) }).waitFor();
    await screenshot(page, 'groups-cluster-permissions');

    // The member holds it on the cluster's VM: power passes the permission check (the defined,
    // stopped VM answers 409 for power-off).
    expect(await memberPermissions()).toEqual(expect.arrayContaining(['vm.power', 'vm.console']));
    const off = await memberPowerOff();
    expect([off.status, off.body.code]).toEqual([409, 'invalid_state']);

    // The VM's page lists the grant as inherited, by the cluster's name.
    await page.goto(`${e.baseUrl}/vms/${vm.id}`);
    const inherited = page.getByRole('region', { name: 'Inherited grants' });
    await inherited.locator('li', { hasText: `group ${group}: VmOperator on prod` }).waitFor();
    expect(await inherited.getByRole('link', { name: 'prod' }).getAttribute('href')).toBe(
      `/clusters/${cluster.id}`,
    );
    await screenshot(page, 'groups-vm-inherited');

    // Removed from the group in the portal, the member loses it at once.
    await page.goto(`${e.baseUrl}/admin/groups`);
    await row.getByRole('button', { name: 'Remove member' }).click();
    const remove = page.getByRole('dialog', { name: `Remove a member from ${group}` });
    await remove.getByLabel('User').selectOption({ label: member.username });
    await remove.getByRole('button', { name: 'Remove member' }).click();
    await remove.waitFor({ state: 'detached' });
    await row.getByText('–').waitFor();
    expect(await memberPermissions()).not.toContain('vm.power');
    expect((await memberPowerOff()).status).toBe(403);
    const groups = (await e.api('GET', '/api/v1/groups')).body;
    expect(groups.find((g: any) => g.name === group).memberIds).toEqual([]);
  });
});
