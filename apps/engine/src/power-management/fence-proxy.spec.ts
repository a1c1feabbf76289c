import { HostStatus } from '@kelpie/shared-types';
import { fenceRunners } from './fence-proxy';

const h = (id: string, status: HostStatus = HostStatus.Up) => ({ id, name: id, status });

describe('fence runners (proxy selection)', () => {
  const cluster = [h('c2'), h('target', HostStatus.NonResponsive), h('c1'), h('c3', HostStatus.Maintenance)];
  const dc = [...cluster, h('d1'), h('d2', HostStatus.NonResponsive)];

  it('tries Up hosts of the cluster, then of the datacenter, then the engine, never the fenced host', () => {
    expect(fenceRunners({ id: 'target' }, ['cluster', 'dc', 'engine'], cluster, dc)).toEqual([
      { via: 'host', id: 'c1', name: 'c1' },
      { via: 'host', id: 'c2', name: 'c2' },
      { via: 'host', id: 'd1', name: 'd1' },
      { via: 'engine' },
    ]);
  });

  it('follows the preference: the engine first, or never', () => {
    expect(fenceRunners({ id: 'target' }, ['engine', 'cluster'], cluster, dc)[0]).toEqual({ via: 'engine' });
    expect(fenceRunners({ id: 'target' }, ['dc'], [h('target')], [h('target')])).toEqual([]);
  });
});
