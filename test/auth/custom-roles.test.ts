/* eslint-disable @typescript-eslint/no-explicit-any -- untyped JSON answers of the API under test */
import { authHeaders, createTestUser, TestUser } from '../support/auth';
import { startTestEngine, TestEngine } from '../support/engine';
import { createDefinedVm } from '../support/inventory';

const V1 = '/api/v1';

/** Custom roles from the permission list: created, edited (their grants carry the change at once),
 * built-in roles untouchable. */
describe('custom roles', () => {
  let e: TestEngine;
  let vm: any;
  let role: any;
  let user: TestUser;

  beforeAll(async () => {
    e = await startTestEngine();
    ({ vm } = await createDefinedVm(e));
    const created = await e.api('POST', `${V1}/roles`, { name: 'Watcher', permissions: ['view'] });
    expect(created.status).toBe(201);
    role = created.body;
    user = await createTestUser(e, 'watcher', {
      grants: [{ role: 'Watcher', objectType: 'vm', objectId: vm.id }],
    });
  });
  afterAll(() => e.close());

  const powerOff = () => e.api('POST', `${V1}/vms/${vm.id}/poweroff`, undefined, authHeaders(user.token));
  const roleRow = async (id: string) =>
    (await e.sql<any>(`SELECT name, permissions FROM role WHERE id = $1`, [id]))[0];

  it('an edit of its permissions applies at once to those who hold it', async () => {
    expect((await powerOff()).status).toBe(403);
    const edited = await e.api('PATCH', `${V1}/roles/${role.id}`, {
      name: 'Operators-lite',
      permissions: ['view', 'vm.power'],
    });
    expect(edited.status).toBe(200);
    expect(edited.body).toMatchObject({ name: 'Operators-lite', permissions: ['view', 'vm.power'] });
    expect(await roleRow(role.id)).toEqual({ name: 'Operators-lite', permissions: ['view', 'vm.power'] });
    // Past the permission check: the stopped VM answers 409 for power-off.
    const off = await powerOff();
    expect([off.status, off.body.code]).toEqual([409, 'invalid_state']);
    const grants = (await e.api('GET', `${V1}/grants?principalId=${user.id}`)).body;
    expect(grants.map((g: any) => g.roleId)).toEqual([role.id]);
    const events = (await e.api('GET', `${V1}/events?q=Operators-lite&limit=10`)).body.items;
    expect(events.map((ev: any) => ev.type)).toContain('role.updated');

    await e.api('PATCH', `${V1}/roles/${role.id}`, { permissions: ['view'] });
    expect((await powerOff()).status).toBe(403);
  });

  it('refuses an unknown permission naming it (400), and writes nothing', async () => {
    const before = await roleRow(role.id);
    const res = await e.api('PATCH', `${V1}/roles/${role.id}`, { permissions: ['view', 'vm.teleport'] });
    expect(res.status).toBe(400);
    expect(res.body.details).toEqual([{ field: 'permissions', reason: 'unknown permission: vm.teleport' }]);
    expect(await roleRow(role.id)).toEqual(before);
    const create = await e.api('POST', `${V1}/roles`, { name: 'Nope', permissions: ['host.fly'] });
    expect([create.status, create.body.details]).toEqual([
      400,
      [{ field: 'permissions', reason: 'unknown permission: host.fly' }],
    ]);
  });

  it('built-in roles cannot be edited (409); a taken name is 409; only user administrators may edit (403)', async () => {
    const roles = (await e.api('GET', `${V1}/roles`)).body;
    const vmUser = roles.find((r: any) => r.name === 'VmUser');
    const builtin = await e.api('PATCH', `${V1}/roles/${vmUser.id}`, { permissions: ['view', 'vm.power'] });
    expect([builtin.status, builtin.body.code]).toEqual([409, 'invalid_state']);
    expect((await roleRow(vmUser.id)).permissions).toEqual(['view', 'vm.console']);
    const taken = await e.api('PATCH', `${V1}/roles/${role.id}`, { name: 'VmUser' });
    expect([taken.status, taken.body.details]).toEqual([409, [{ field: 'name', reason: 'already exists' }]]);
    const byUser = await e.api(
      'PATCH',
      `${V1}/roles/${role.id}`,
      { permissions: ['view', 'user.manage'] },
      authHeaders(user.token),
    );
    expect(byUser.status).toBe(403);
    expect((await roleRow(role.id)).permissions).toEqual(['view']);
    const unknown = await e.api('PATCH', `${V1}/roles/00000000-0000-4000-8000-000000000000`, { name: 'X' });
    expect(unknown.status).toBe(404);
  });
});
