import { DomainSnapshot } from '@kelpie/shared-types';
import { ForeignMoves } from './foreign-moves';

const dom = (state: DomainSnapshot['state'], reason?: string) =>
  ({
    uuid: 'u',
    name: 'vm',
    state,
    reason,
    vcpus: 1,
    memoryKiB: 65536,
    maxMemoryKiB: 65536,
  }) as DomainSnapshot;

describe('ForeignMoves', () => {
  it('hands the VM to the host that reported it running once the owner lets go', () => {
    const f = new ForeignMoves();
    f.seenElsewhere('vm1', 'h2', dom('paused', 'incoming migration'));
    f.seenElsewhere('vm1', 'h2', dom('running', 'migrated'));
    expect(f.takeOver('vm1')).toMatchObject({ hostId: 'h2', domain: { state: 'running' } });
    expect(f.takeOver('vm1')).toBeUndefined();
  });

  it('forgets a target whose copy went away (failed migration) and ignores inactive reports', () => {
    const f = new ForeignMoves();
    f.seenElsewhere('vm1', 'h2', dom('paused', 'incoming migration'));
    f.seenElsewhere('vm1', 'h2', null);
    expect(f.takeOver('vm1')).toBeUndefined();
    f.seenElsewhere('vm1', 'h3', dom('shutoff'));
    expect(f.takeOver('vm1')).toBeUndefined();
  });

  it('a stale pending move expires', () => {
    jest.useFakeTimers();
    try {
      const f = new ForeignMoves();
      f.seenElsewhere('vm1', 'h2', dom('running'));
      jest.advanceTimersByTime(11 * 60_000);
      expect(f.takeOver('vm1')).toBeUndefined();
    } finally {
      jest.useRealTimers();
    }
  });
});
