import { EvacuationSteps } from './evacuation-steps';

describe('EvacuationSteps', () => {
  const vms = [
    { id: 'a', name: 'vm-a' },
    { id: 'b', name: 'vm-b' },
    { id: 'c', name: 'vm-c' },
  ];

  it('starts with every VM waiting, in order', () => {
    expect(new EvacuationSteps(vms).list()).toEqual([
      { name: 'vm-a', objectId: 'a', status: 'pending', message: 'waiting' },
      { name: 'vm-b', objectId: 'b', status: 'pending', message: 'waiting' },
      { name: 'vm-c', objectId: 'c', status: 'pending', message: 'waiting' },
    ]);
  });

  it('follows each VM: migrating to a host, migrated, or failed with the reason', () => {
    const s = new EvacuationSteps(vms);
    s.migrating('a', 'h2');
    s.migrating('b', 'h3');
    expect(s.list()[0]).toEqual({
      name: 'vm-a',
      objectId: 'a',
      status: 'running',
      message: 'migrating to h2',
    });
    s.migrated('a', 'h2');
    s.failed('b', 'target h3 refused: not enough memory');
    s.failed('c', 'stopped: host is up');
    expect(s.list()).toEqual([
      { name: 'vm-a', objectId: 'a', status: 'done', message: 'migrated to h2' },
      { name: 'vm-b', objectId: 'b', status: 'failed', message: 'target h3 refused: not enough memory' },
      { name: 'vm-c', objectId: 'c', status: 'failed', message: 'stopped: host is up' },
    ]);
  });

  it('ignores unknown VMs and hands out copies', () => {
    const s = new EvacuationSteps(vms);
    s.failed('zzz', 'x');
    const list = s.list();
    list[0]!.status = 'done';
    expect(s.list().map((x) => x.status)).toEqual(['pending', 'pending', 'pending']);
  });
});
