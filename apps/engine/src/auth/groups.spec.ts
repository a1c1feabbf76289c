import { BUILTIN_ROLES, GrantObjectType, Permission } from '@kelpie/shared-types';
import type { AccessRepository, HeldGrant, TreeRef } from './access.repository';
import { AccessService } from './access.service';
import type { Principal } from '../common/identity/request-context';

/** The repository's answers from in-memory tables: grants by principal, memberships, one tree. */
function fakeRepo(members: Map<string, Set<string>>, grants: { principal: string; grant: HeldGrant }[]) {
  const tree: Record<string, TreeRef[]> = {
    v1: [
      { type: GrantObjectType.Vm, id: 'v1' },
      { type: GrantObjectType.Cluster, id: 'c1' },
    ],
    v2: [
      { type: GrantObjectType.Vm, id: 'v2' },
      { type: GrantObjectType.Cluster, id: 'c2' },
    ],
  };
  return {
    groupIdsOf: async (userId: string) => [...members].filter(([, m]) => m.has(userId)).map(([g]) => g),
    grantsOf: async (userId: string, groupIds: string[]) =>
      grants.filter((g) => g.principal === userId || groupIds.includes(g.principal)).map((g) => g.grant),
    chain: async (_type: string, id: string) => tree[id] ?? null,
  } as unknown as AccessRepository;
}

describe('grants to a group', () => {
  const operatorOnC1: HeldGrant = {
    objectType: GrantObjectType.Cluster,
    objectId: 'c1',
    permissions: [...BUILTIN_ROLES.VmOperator],
  };
  const members = new Map([['ops', new Set(['alice'])]]);
  const access = new AccessService(fakeRepo(members, [{ principal: 'ops', grant: operatorOnC1 }]));
  const principal = async (userId: string): Promise<Principal> => ({
    userId,
    username: userId,
    groupIds: await access.groupIdsOf(userId),
    via: 'session',
    tokenId: null,
    readOnly: false,
    sourceAddress: null,
    sessionHash: null,
  });

  it("apply to the group's members, down the tree from where they are granted", async () => {
    const alice = await principal('alice');
    expect(await access.permissionsOn(alice, 'vm', 'v1')).toContain(Permission.VmPower);
    expect(await access.permissionsOn(alice, 'vm', 'v2')).not.toContain(Permission.VmPower);
    expect(await access.permissionsOn(await principal('bob'), 'vm', 'v1')).not.toContain(Permission.VmPower);
  });

  it('stop applying once the member leaves (the next request reads the memberships again)', async () => {
    members.get('ops')!.delete('alice');
    await expect(access.assert(await principal('alice'), Permission.VmPower, 'vm', 'v1')).rejects.toThrow(
      /permission vm.power is required on vm v1/,
    );
  });
});
