import { SnapshotType } from '@kelpie/shared-types';
import { externalOnTopOf } from './snapshot-rules';

const at = (s: number) => new Date(Date.UTC(2026, 0, 1, 0, 0, s));
const snap = (id: string, type: SnapshotType, s: number) => ({ id, type, createdAt: at(s) });

describe('externalOnTopOf (an internal snapshot under an external overlay cannot be deleted)', () => {
  const old = snap('old', SnapshotType.Internal, 1);
  const ext1 = snap('ext1', SnapshotType.External, 2);
  const mid = snap('mid', SnapshotType.Internal, 3);
  const ext2 = snap('ext2', SnapshotType.External, 4);
  const fresh = snap('fresh', SnapshotType.Internal, 5);
  const all = [fresh, ext2, mid, ext1, old];

  it('names the first external snapshot taken after an internal one', () => {
    expect(externalOnTopOf(old, all)?.id).toBe('ext1');
    expect(externalOnTopOf(mid, all)?.id).toBe('ext2');
  });

  it('lets an internal snapshot of the active image, and any external snapshot, be deleted', () => {
    expect(externalOnTopOf(fresh, all)).toBeUndefined();
    expect(externalOnTopOf(old, [old, mid, fresh])).toBeUndefined();
    expect(externalOnTopOf(ext1, all)).toBeUndefined();
  });
});
