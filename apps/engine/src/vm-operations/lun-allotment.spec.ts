import { claimLun, pickLun } from './lun-allotment';

const GIB = 1024 ** 3;

const MIB = 1024 ** 2;
const luns = [
  { name: 'unit:0:0:1', capacityBytes: 64 * MIB },
  { name: 'unit:0:0:2', capacityBytes: 32 * MIB },
  { name: 'unit:0:0:3', capacityBytes: 32 * MIB },
];

describe('LUN allotment', () => {
  it('takes the smallest free LUN large enough, the lowest name among equals', () => {
    expect(pickLun(luns, new Set(), 16 * MIB)?.name).toBe('unit:0:0:2');
    expect(pickLun(luns, new Set(), 40 * MIB)?.name).toBe('unit:0:0:1');
  });

  it('skips LUNs other disks hold, and finds none when no free one is large enough', () => {
    expect(pickLun(luns, new Set(['unit:0:0:2']), 16 * MIB)?.name).toBe('unit:0:0:3');
    expect(pickLun(luns, new Set(['unit:0:0:1']), 40 * MIB)).toBeUndefined();
    expect(pickLun([], new Set(), 1)).toBeUndefined();
  });
});

describe('claiming a LUN against other provisionings', () => {
  const luns = [
    { name: 'unit:0:0:1', capacityBytes: 2 * GIB },
    { name: 'unit:0:0:2', capacityBytes: 2 * GIB },
  ];

  it('two claims at once end on two different LUNs: the loser of the first picks again', async () => {
    const holders = new Set<string>();
    // The database's unique volume path: the first to record a LUN gets it.
    const take = async (lun: { name: string }) => {
      await Promise.resolve();
      if (holders.has(lun.name)) return false;
      holders.add(lun.name);
      return true;
    };
    const snapshot = async () => new Set(holders);
    const [a, b] = await Promise.all([
      claimLun(luns, GIB, snapshot, take),
      claimLun(luns, GIB, snapshot, take),
    ]);
    expect([a.lun?.name, b.lun?.name].sort()).toEqual(['unit:0:0:1', 'unit:0:0:2']);
  });

  it('a LUN refused by a holder the listing does not show is not tried again; none left: no LUN', async () => {
    const take = jest.fn(async () => false);
    const res = await claimLun(luns, GIB, async () => new Set<string>(), take);
    expect(res.lun).toBeUndefined();
    expect(take).toHaveBeenCalledTimes(2);
  });
});
