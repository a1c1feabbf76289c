import { Permission } from '@kelpie/shared-types';
import { plainToInstance } from 'class-transformer';
import { validate } from 'class-validator';
import type { EngineConfig } from '../config/config.schema';
import type { EventsService } from '../events/events.service';
import type { AccessRepository } from './access.repository';
import { UpdateRoleDto } from './auth.dto';
import type { RoleEntity } from './auth.entities';
import type { AdminChange, DirectoryRepository } from './directory.repository';
import { DirectoryService } from './directory.service';
import type { IdentityRepository } from './identity.repository';

/** Roles held in memory; `admins` answers who may manage users after a change. */
function directory(roles: RoleEntity[], admins: (change: AdminChange) => string[], mappedRole?: string) {
  const changes: AdminChange[] = [];
  const dir = {
    roles: {
      findOneBy: async ({ id }: { id: string }) => roles.find((r) => r.id === id) ?? null,
      update: async ({ id }: { id: string }, patch: Partial<RoleEntity>) =>
        Object.assign(
          roles.find((r) => r.id === id)!,
          patch,
        ),
    },
    roleByName: async (name: string) => roles.find((r) => r.name === name) ?? null,
    serializeAdminChanges: (work: () => Promise<unknown>) => work(),
    userAdminIds: async (change: AdminChange = {}) => {
      changes.push(change);
      return new Set(admins(change));
    },
  } as unknown as DirectoryRepository;
  const identity = {
    users: { find: async () => [{ id: 'boss', disabled: false }] },
  } as unknown as IdentityRepository;
  const events = { record: async () => undefined } as unknown as EventsService;
  const config = {
    oidc: mappedRole ? { groupRoles: [{ group: 'ops', role: mappedRole }] } : undefined,
  } as unknown as EngineConfig;
  const service = new DirectoryService(identity, dir, {} as AccessRepository, events, config);
  return { service, changes };
}

const role = (id: string, name: string, permissions: Permission[], builtin = false): RoleEntity => ({
  id,
  name,
  permissions,
  builtin,
});

describe('editing a custom role', () => {
  it('renames it and replaces its permissions', async () => {
    const roles = [role('r1', 'Backup', [Permission.View])];
    const { service } = directory(roles, () => ['boss']);
    const out = await service.updateRole('r1', {
      name: 'Backups',
      permissions: [Permission.View, Permission.VmSnapshot, Permission.View],
    });
    expect(out).toMatchObject({ name: 'Backups', permissions: [Permission.View, Permission.VmSnapshot] });
    expect(roles[0]).toMatchObject({
      name: 'Backups',
      permissions: [Permission.View, Permission.VmSnapshot],
    });
  });

  it('refuses a built-in role (409), a taken name (409), an empty change (400)', async () => {
    const roles = [role('b', 'VmUser', [Permission.View], true), role('r1', 'Backup', [])];
    const { service } = directory(roles, () => ['boss']);
    await expect(service.updateRole('b', { permissions: [] })).rejects.toMatchObject({
      code: 'invalid_state',
      message: expect.stringMatching(/built in/),
    });
    await expect(service.updateRole('r1', { name: 'VmUser' })).rejects.toMatchObject({
      code: 'conflict',
      details: [{ field: 'name', reason: 'already exists' }],
    });
    await expect(service.updateRole('r1', {})).rejects.toMatchObject({ code: 'validation_failed' });
    expect(roles.map((r) => r.name)).toEqual(['VmUser', 'Backup']);
  });

  it('keeps a role the identity provider mapping names from being renamed', async () => {
    const roles = [role('r1', 'Operators', [Permission.VmPower])];
    const { service } = directory(roles, () => ['boss'], 'Operators');
    await expect(service.updateRole('r1', { name: 'Ops' })).rejects.toMatchObject({
      code: 'invalid_state',
      message: expect.stringMatching(/KELPIE_OIDC_GROUP_ROLES \(group ops\)/),
    });
    // Its permissions may still change.
    await service.updateRole('r1', { permissions: [Permission.VmConsole] });
    expect(roles[0]!.permissions).toEqual([Permission.VmConsole]);
  });

  it('does not take user.manage away from the role of the last administrator', async () => {
    const roles = [role('r1', 'Admins', [Permission.UserManage])];
    const { service, changes } = directory(roles, (c) => (c.roleWithoutUserManage ? [] : ['boss']));
    await expect(service.updateRole('r1', { permissions: [Permission.View] })).rejects.toMatchObject({
      code: 'invalid_state',
      message: expect.stringMatching(/no enabled user who may manage users/),
    });
    expect(changes).toContainEqual({ roleWithoutUserManage: 'r1' });
    expect(roles[0]!.permissions).toEqual([Permission.UserManage]);
  });
});

describe('the role DTO', () => {
  it('names the unknown permission', async () => {
    const dto = plainToInstance(UpdateRoleDto, { permissions: ['vm.power', 'vm.fly', 'vm.teleport'] });
    const [error] = await validate(dto);
    expect(error!.property).toBe('permissions');
    expect(Object.values(error!.constraints!)).toEqual(['unknown permissions: vm.fly, vm.teleport']);
  });
});
