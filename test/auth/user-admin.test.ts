/* eslint-disable @typescript-eslint/no-explicit-any -- untyped JSON answers of the API under test */
import { authHeaders, createTestUser, login } from '../support/auth';
import { startTestEngine, TestEngine } from '../support/engine';

const V1 = '/api/v1';

/** Deleting users, resetting passwords, and never losing the last administrator. */
describe('user administration', () => {
  let e: TestEngine;
  let adminId: string;

  beforeAll(async () => {
    e = await startTestEngine();
    adminId = (await e.api('GET', `${V1}/auth/me`)).body.id;
  });
  afterAll(() => e.close());

  const adminGrant = async () =>
    (await e.api('GET', `${V1}/grants?objectType=system&principalId=${adminId}`)).body[0];
  /** The first admin's SuperUser grant, made again by another administrator (`as`). */
  const giveAdminBack = (as: Record<string, string>) =>
    e.api(
      'POST',
      `${V1}/grants`,
      {
        principalType: 'user',
        principalId: adminId,
        role: 'SuperUser',
        objectType: 'system',
        objectId: null,
      },
      as,
    );

  it('refuses to remove the only administrator’s grant, or the admin deleting or disabling themselves (409)', async () => {
    const grant = await adminGrant();
    const removeGrant = await e.api('DELETE', `${V1}/grants/${grant.id}`);
    expect([removeGrant.status, removeGrant.body.code]).toEqual([409, 'invalid_state']);
    expect(removeGrant.body.message).toMatch(/no enabled user who may manage users/);
    const self = await e.api('DELETE', `${V1}/users/${adminId}`);
    expect([self.status, self.body.message]).toEqual([409, expect.stringMatching(/cannot delete yourself/)]);
    expect((await e.api('POST', `${V1}/users/${adminId}/disable`)).status).toBe(409);
    // Nothing changed: the admin still administers.
    expect((await adminGrant()).id).toBe(grant.id);
    expect((await e.api('GET', `${V1}/users`)).status).toBe(200);
  });

  it('deletes a user with their grants; their token and session stop working at once', async () => {
    const other = await createTestUser(e, 'second-admin', { grants: [{ role: 'SuperUser' }] });
    const cookie = await login(e.baseUrl, other.username, other.password);
    expect((await e.api('GET', `${V1}/auth/me`, undefined, authHeaders(other.token))).status).toBe(200);

    // With a second administrator, the first one's grant may go (and comes back).
    const grant = await adminGrant();
    expect(
      (await e.api('DELETE', `${V1}/grants/${grant.id}`, undefined, authHeaders(other.token))).status,
    ).toBe(204);
    expect((await giveAdminBack(authHeaders(other.token))).status).toBe(201);

    expect((await e.api('DELETE', `${V1}/users/${other.id}`)).status).toBe(204);
    expect((await e.api('GET', `${V1}/auth/me`, undefined, authHeaders(other.token))).status).toBe(401);
    const bySession = await e.api('GET', `${V1}/auth/me`, undefined, { authorization: '', cookie });
    expect(bySession.status).toBe(401);
    const users = (await e.api('GET', `${V1}/users`)).body as any[];
    expect(users.map((u) => u.username)).not.toContain(other.username);
    expect(await e.sql('SELECT id FROM role_grant WHERE principal_id = $1', [other.id])).toEqual([]);
    expect(await e.sql('SELECT id FROM api_token WHERE user_id = $1', [other.id])).toEqual([]);
    expect((await e.api('DELETE', `${V1}/users/${other.id}`)).status).toBe(404);
  });

  it('resets a password: the old one and the user’s sessions stop working; a weak one is refused by field', async () => {
    const u = await createTestUser(e, 'forgetful');
    const cookie = await login(e.baseUrl, u.username, u.password);
    const weak = await e.api('POST', `${V1}/users/${u.id}/password`, { password: 'short' });
    expect(weak.status).toBe(400);
    expect(weak.body.details[0].field).toBe('password');
    const fresh = 'a-new-password-for-them';
    expect((await e.api('POST', `${V1}/users/${u.id}/password`, { password: fresh })).status).toBe(204);
    expect((await e.api('GET', `${V1}/auth/me`, undefined, { authorization: '', cookie })).status).toBe(401);
    await expect(login(e.baseUrl, u.username, u.password)).rejects.toThrow(/401/);
    await expect(login(e.baseUrl, u.username, fresh)).resolves.toMatch(/^kelpie_session=/);
  });

  it('only user administrators may delete users or reset passwords (403)', async () => {
    const viewer = await createTestUser(e, 'viewer', { grants: [{ role: 'ReadOnly' }] });
    const as = authHeaders(viewer.token);
    expect((await e.api('DELETE', `${V1}/users/${adminId}`, undefined, as)).status).toBe(403);
    const reset = await e.api('POST', `${V1}/users/${adminId}/password`, { password: 'x'.repeat(20) }, as);
    expect(reset.status).toBe(403);
  });

  it('a group member holds the group’s grants; removed from it, they lose them at once', async () => {
    const dc = (await e.api('POST', `${V1}/datacenters`, { name: 'g-dc' })).body;
    const cluster = (await e.api('POST', `${V1}/clusters`, { name: 'g-c', datacenterId: dc.id })).body;
    const vm = (
      await e.api('POST', `${V1}/vms`, {
        name: 'g-vm',
        clusterId: cluster.id,
        vcpus: 1,
        memoryMib: 256,
        osType: 'linux',
      })
    ).body;
    const group = await e.api('POST', `${V1}/groups`, { name: 'vm-ops' });
    expect(group.status).toBe(201);
    const grant = await e.api('POST', `${V1}/grants`, {
      principalType: 'group',
      principalId: group.body.id,
      role: 'VmOperator',
      objectType: 'cluster',
      objectId: cluster.id,
    });
    expect(grant.status).toBe(201);
    const u = await createTestUser(e, 'member');
    const powerOff = async () =>
      (await e.api('POST', `${V1}/vms/${vm.id}/poweroff`, undefined, authHeaders(u.token))).status;
    expect(await powerOff()).toBe(403);

    expect((await e.api('POST', `${V1}/groups/${group.body.id}/members`, { userId: u.id })).status).toBe(204);
    // Past the permission check: the VM is simply not running.
    expect(await powerOff()).toBe(409);
    const listed = (await e.api('GET', `${V1}/groups`)).body.find((g: any) => g.id === group.body.id);
    expect(listed.memberIds).toEqual([u.id]);

    const members = `${V1}/groups/${group.body.id}/members`;
    expect((await e.api('DELETE', `${members}/${u.id}`)).status).toBe(204);
    expect(await powerOff()).toBe(403);
    expect((await e.api('DELETE', `${members}/${u.id}`)).status).toBe(404);
    const bad = await e.api('DELETE', `${members}/not-a-uuid`);
    expect([bad.status, bad.body.details[0].field]).toEqual([400, 'userId']);

    expect((await e.api('DELETE', `${V1}/groups/${group.body.id}`)).status).toBe(204);
    expect(await e.sql('SELECT id FROM role_grant WHERE principal_id = $1', [group.body.id])).toEqual([]);
  });

  it('keeps an administrator: the last one through a group cannot leave it, nor the group be deleted', async () => {
    const admins = (await e.api('POST', `${V1}/groups`, { name: 'admins' })).body;
    await e.api('POST', `${V1}/grants`, {
      principalType: 'group',
      principalId: admins.id,
      role: 'SuperUser',
      objectType: 'system',
      objectId: null,
    });
    const x = await createTestUser(e, 'group-admin');
    expect((await e.api('POST', `${V1}/groups/${admins.id}/members`, { userId: x.id })).status).toBe(204);
    const mine = await adminGrant();
    expect((await e.api('DELETE', `${V1}/grants/${mine.id}`)).status).toBe(204);
    const asX = authHeaders(x.token);
    try {
      const leave = await e.api('DELETE', `${V1}/groups/${admins.id}/members/${x.id}`, undefined, asX);
      expect([leave.status, leave.body.message]).toEqual([409, expect.stringMatching(/no enabled user/)]);
      expect((await e.api('DELETE', `${V1}/groups/${admins.id}`, undefined, asX)).status).toBe(409);
    } finally {
      expect((await giveAdminBack(asX)).status).toBe(201);
    }
    expect((await e.api('DELETE', `${V1}/groups/${admins.id}`)).status).toBe(204);
  });
});
