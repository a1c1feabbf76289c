// Beside entities.ts (every entity): the mappers of many features meet here without a folder cycle.
import { getMetadataArgsStorage } from 'typeorm';
import { DiskEntity } from '../disks/disk.entity';
import { mapDisk } from '../disks/disk.response';
import { HostEntity } from '../hosts/host.entity';
import { mapHost } from '../hosts/host.response';
import { ClusterNetworkEntity, LogicalNetworkEntity } from '../networks/network.entity';
import { mapClusterNetwork, mapLogicalNetwork } from '../networks/network.response';
import { NicEntity } from '../nics/nic.entity';
import { mapNic } from '../nics/nic.response';
import { SnapshotEntity } from '../snapshots/snapshot.entity';
import { mapSnapshot } from '../snapshots/snapshot.response';
import { StorageDomainEntity } from '../storage-domains/storage-domain.entity';
import { mapStorageDomain } from '../storage-domains/storage-domain.response';
import { VmEntity } from '../vms/vm.entity';
import { mapVm } from '../vms/vm.response';

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
