// Beside entities.ts (every entity): the mappers of many features meet here without a folder cycle.
import { getMetadataArgsStorage } from 'typeorm';
import { ApiTokenEntity, GrantEntity, GroupEntity, RoleEntity, UserEntity } from '../auth/auth.entities';
import {
  ApiTokenResponse,
  GrantResponse,
  GroupResponse,
  GroupWithMembersResponse,
  mapApiToken,
  mapGrant,
  mapGroup,
  mapGroupWithMembers,
  mapRole,
  mapUser,
  RoleResponse,
  UserResponse,
} from '../auth/auth.responses';
import { ClusterEntity } from '../clusters/cluster.entity';
import { ClusterResponse, mapCluster } from '../clusters/cluster.response';
import { DataCenterEntity } from '../datacenters/datacenter.entity';
import { DataCenterResponse, mapDataCenter } from '../datacenters/datacenter.response';
import { DiskEntity } from '../disks/disk.entity';
import { DiskResponse, mapDisk } from '../disks/disk.response';
import { EventEntity } from '../events/event.entity';
import { AuditEventResponse, mapAuditEvent } from '../events/event.response';
import { HostEntity } from '../hosts/host.entity';
import { HostResponse, mapHost } from '../hosts/host.response';
import { ClusterNetworkEntity, LogicalNetworkEntity } from '../networks/network.entity';
import {
  ClusterNetworkResponse,
  LogicalNetworkResponse,
  mapClusterNetwork,
  mapLogicalNetwork,
} from '../networks/network.response';
import { NicEntity } from '../nics/nic.entity';
import { mapNic, NicResponse } from '../nics/nic.response';
import { SnapshotEntity } from '../snapshots/snapshot.entity';
import { mapSnapshot, SnapshotResponse } from '../snapshots/snapshot.response';
import { StorageDomainEntity } from '../storage-domains/storage-domain.entity';
import { mapStorageDomain, StorageDomainResponse } from '../storage-domains/storage-domain.response';
import {
  mapStorageDomainHostStatus,
  StorageDomainHostStatusResponse,
} from '../storage-lifecycle/storage-domain-host.response';
import { TaskEntity } from '../tasks/task.entity';
import { mapTask, TaskResponse } from '../tasks/task.response';
import { VmMigrationEntity } from '../vm-migration/vm-migration.entity';
import { mapVmMigration, VmMigrationResponse } from '../vm-migration/vm-migration.response';
import { VmEntity } from '../vms/vm.entity';
import { mapVm, VmResponse } from '../vms/vm.response';

const at = new Date('2026-01-02T03:04:05.678Z');

/** An entity with every selected column set (a Date where the column is a timestamp), as a row loads. */
function loaded<E extends object>(cls: new () => E): E {
  const e = new cls() as Record<string, unknown>;
  const storage = getMetadataArgsStorage();
  const targets = new Set<unknown>();
  for (let t: unknown = cls; t && t !== Object; t = Object.getPrototypeOf(t)) targets.add(t);
  for (const c of storage.columns.filter((col) => targets.has(col.target))) {
    if (c.options.select === false) continue;
    const type = String(c.options.type ?? '');
    e[c.propertyName] = c.mode !== 'regular' || type === 'timestamptz' ? at : `${c.propertyName}-value`;
  }
  return e as E;
}

/** What answering the entity itself sent: its columns as JSON. */
const asJson = (e: object) => JSON.parse(JSON.stringify(e)) as unknown;

describe('response mappers answer every column the entity answered, and no relation', () => {
  const cases: [string, () => [object, object]][] = [
    ['host', () => [loaded(HostEntity), mapHost(loaded(HostEntity))]],
    ['storage domain', () => [loaded(StorageDomainEntity), mapStorageDomain(loaded(StorageDomainEntity))]],
    [
      'logical network',
      () => [loaded(LogicalNetworkEntity), mapLogicalNetwork(loaded(LogicalNetworkEntity))],
    ],
    [
      'cluster network',
      () => [loaded(ClusterNetworkEntity), mapClusterNetwork(loaded(ClusterNetworkEntity))],
    ],
    ['nic', () => [loaded(NicEntity), mapNic(loaded(NicEntity))]],
    ['disk', () => [loaded(DiskEntity), mapDisk(loaded(DiskEntity))]],
    ['snapshot', () => [loaded(SnapshotEntity), mapSnapshot(loaded(SnapshotEntity))]],
    ['vm', () => [loaded(VmEntity), mapVm(loaded(VmEntity))]],
    ['task', () => [loaded(TaskEntity), mapTask(loaded(TaskEntity))]],
    ['audit event', () => [loaded(EventEntity), mapAuditEvent(loaded(EventEntity))]],
    ['vm migration', () => [loaded(VmMigrationEntity), mapVmMigration(loaded(VmMigrationEntity))]],
    ['group', () => [loaded(GroupEntity), mapGroup(loaded(GroupEntity))]],
    ['role', () => [loaded(RoleEntity), mapRole(loaded(RoleEntity))]],
    ['grant', () => [loaded(GrantEntity), mapGrant(loaded(GrantEntity))]],
  ];
  it.each(cases)('%s', (_name, make) => {
    const [entity, response] = make();
    expect(response).toEqual(asJson(entity));
  });

  it('a null timestamp stays null; a loaded relation is left out', () => {
    const disk = Object.assign(loaded(DiskEntity), { provisionedAt: null, vm: loaded(VmEntity) });
    expect(mapDisk(disk).provisionedAt).toBeNull();
    expect(mapDisk(disk)).not.toHaveProperty('vm');
  });
});

/** Where @ApiProperty lists a class's properties (the package does not export its constants). */
const API_MODEL_PROPERTIES = 'swagger/apiModelPropertiesArray';

/** The property names the response class documents in the OpenAPI schema (inherited ones included). */
const documented = (cls: abstract new () => unknown): string[] =>
  ((Reflect.getMetadata(API_MODEL_PROPERTIES, cls.prototype) ?? []) as string[]).map((k) =>
    k.replace(/^:/, ''),
  );

const view = {
  storageDomainId: 'sd1',
  hostId: 'h1',
  hostName: 'host-1',
  status: 'active' as const,
  capacityBytes: 10,
  availableBytes: 5,
  error: null,
  checkedAt: at,
};

describe('response mappers answer exactly the keys their OpenAPI schema documents', () => {
  const cases: [abstract new () => unknown, () => object][] = [
    [DataCenterResponse, () => mapDataCenter(loaded(DataCenterEntity))],
    [ClusterResponse, () => mapCluster(loaded(ClusterEntity))],
    [HostResponse, () => mapHost(loaded(HostEntity))],
    [StorageDomainResponse, () => mapStorageDomain(loaded(StorageDomainEntity))],
    [LogicalNetworkResponse, () => mapLogicalNetwork(loaded(LogicalNetworkEntity))],
    [ClusterNetworkResponse, () => mapClusterNetwork(loaded(ClusterNetworkEntity))],
    [NicResponse, () => mapNic(loaded(NicEntity))],
    [DiskResponse, () => mapDisk(loaded(DiskEntity))],
    [SnapshotResponse, () => mapSnapshot(loaded(SnapshotEntity))],
    [VmResponse, () => mapVm(loaded(VmEntity))],
    [TaskResponse, () => mapTask(loaded(TaskEntity))],
    [AuditEventResponse, () => mapAuditEvent(loaded(EventEntity))],
    [VmMigrationResponse, () => mapVmMigration(loaded(VmMigrationEntity))],
    [StorageDomainHostStatusResponse, () => mapStorageDomainHostStatus({ ...view, extra: 1 } as never)],
    [UserResponse, () => mapUser(loaded(UserEntity))],
    [GroupResponse, () => mapGroup(loaded(GroupEntity))],
    [GroupWithMembersResponse, () => mapGroupWithMembers(loaded(GroupEntity), ['u1'])],
    [RoleResponse, () => mapRole(loaded(RoleEntity))],
    [GrantResponse, () => mapGrant(loaded(GrantEntity))],
    [ApiTokenResponse, () => mapApiToken(loaded(ApiTokenEntity))],
  ];
  it.each(cases.map(([cls, make]) => [cls.name, cls, make] as const))('%s', (_name, cls, make) => {
    expect(documented(cls).length).toBeGreaterThan(0);
    expect(Object.keys(make()).sort()).toEqual(documented(cls).sort());
  });

  it('timestamps are ISO strings', () => {
    expect(mapTask(loaded(TaskEntity)).createdAt).toBe(at.toISOString());
    expect(mapVmMigration(loaded(VmMigrationEntity)).finishedAt).toBe(at.toISOString());
    expect(mapStorageDomainHostStatus(view).checkedAt).toBe(at.toISOString());
    expect(mapApiToken({ ...loaded(ApiTokenEntity), revokedAt: null }).revokedAt).toBeNull();
  });
});

describe('secrets and internals of auth and task rows stay out of the API', () => {
  it("a user: not the password hash nor the identity provider's subject", () => {
    const user = Object.assign(loaded(UserEntity), { passwordHash: 'h', externalSubject: 'sub-1' });
    expect(mapUser(user)).not.toHaveProperty('passwordHash');
    expect(mapUser(user)).not.toHaveProperty('externalSubject');
    expect(mapUser(user).externalIssuer).toBe('externalIssuer-value');
  });

  it("a token: not the secret's hash nor its owner", () => {
    const token = Object.assign(loaded(ApiTokenEntity), { secretHash: 'x'.repeat(64), userId: 'u1' });
    expect(mapApiToken(token)).not.toHaveProperty('secretHash');
    expect(mapApiToken(token)).not.toHaveProperty('userId');
  });

  it('a task: not its owner engine, fencing generation or adoption checkpoint', () => {
    const task = Object.assign(loaded(TaskEntity), {
      ownerEngine: 'e1',
      ownerGeneration: 3,
      checkpoint: { phase: 'x' },
      targetType: 'vm',
      targetId: 'v1',
    });
    for (const k of ['ownerEngine', 'ownerGeneration', 'checkpoint', 'targetType', 'targetId', 'updatedAt'])
      expect(mapTask(task)).not.toHaveProperty(k);
  });
});
