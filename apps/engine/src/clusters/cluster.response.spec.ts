import { DEFAULT_MIGRATION_POLICY, SchedulingPolicy } from '@kelpie/shared-types';
import { mapCluster } from './cluster.response';
import { ClusterEntity } from './cluster.entity';
import { mapDataCenter } from '../datacenters/datacenter.response';
import { DataCenterEntity } from '../datacenters/datacenter.entity';

const at = new Date('2026-01-02T03:04:05.678Z');
const named = { name: 'n1', description: 'd', createdAt: at, updatedAt: at };
/** What answering the entity itself sent: its columns as JSON. */
const asJson = (e: object) => JSON.parse(JSON.stringify(e)) as unknown;

describe('response mappers answer what the entity answered, and only its columns', () => {
  it('datacenter', () => {
    const dc = Object.assign(new DataCenterEntity(), { ...named, id: 'dc1' });
    expect(mapDataCenter(dc)).toEqual(asJson(dc));
  });

  it('cluster, leaving out a loaded relation', () => {
    const columns = {
      ...named,
      id: 'c1',
      datacenterId: 'dc1',
      cpuModel: null,
      compatibilityLevel: '1',
      schedulingPolicy: SchedulingPolicy.EvenlyDistributed,
      migrationPolicy: DEFAULT_MIGRATION_POLICY,
    };
    const cluster = Object.assign(new ClusterEntity(), columns);
    expect(mapCluster(cluster)).toEqual(asJson(cluster));
    cluster.datacenter = Object.assign(new DataCenterEntity(), { ...named, id: 'dc1' });
    expect(mapCluster(cluster)).toEqual(asJson(columns));
  });
});
