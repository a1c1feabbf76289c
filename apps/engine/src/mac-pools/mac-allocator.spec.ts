import { pickMac, poolSize, rangeProblems } from './mac-allocator';

const r = (from: string, to: string) => ({ from, to });

describe('MAC allocator', () => {
  it('picks inside the ranges, across range boundaries', () => {
    const ranges = [r('52:54:00:00:00:fe', '52:54:00:00:01:01'), r('52:54:01:00:00:00', '52:54:01:00:00:00')];
    expect(poolSize(ranges)).toBe(5);
    expect(pickMac(ranges, new Set(), () => 0)).toBe('52:54:00:00:00:fe');
    expect(pickMac(ranges, new Set(), () => 0.5)).toBe('52:54:00:00:01:00');
    expect(pickMac(ranges, new Set(), () => 0.99)).toBe('52:54:01:00:00:00');
  });

  it('finds the last free address when randomness keeps hitting used ones', () => {
    const ranges = [r('52:54:00:00:00:00', '52:54:00:00:00:03')];
    const used = new Set(['52:54:00:00:00:00', '52:54:00:00:00:01', '52:54:00:00:00:03']);
    expect(pickMac(ranges, used, () => 0)).toBe('52:54:00:00:00:02');
  });

  it('answers null when every address is used', () => {
    const ranges = [r('52:54:00:00:00:00', '52:54:00:00:00:01')];
    expect(pickMac(ranges, new Set(['52:54:00:00:00:00', '52:54:00:00:00:01']))).toBeNull();
    expect(pickMac([], new Set())).toBeNull();
  });

  it('names reversed, multicast and overlapping ranges by field', () => {
    expect(rangeProblems([r('52:54:00:00:00:00', '52:54:00:ff:ff:ff')])).toEqual([]);
    expect(
      rangeProblems([
        r('52:54:00:00:00:10', '52:54:00:00:00:01'),
        r('01:00:5e:00:00:00', '01:00:5e:00:00:ff'),
        r('52:54:00:10:00:00', '52:54:00:10:00:20'),
        r('52:54:00:10:00:20', '52:54:00:10:00:30'),
      ]),
    ).toEqual([
      { field: 'ranges.0.to', reason: '52:54:00:00:00:01 is below 52:54:00:00:00:10' },
      { field: 'ranges.1.from', reason: '01:00:5e:00:00:00 is a multicast address' },
      { field: 'ranges.1.to', reason: '01:00:5e:00:00:ff is a multicast address' },
      { field: 'ranges.3', reason: 'overlaps ranges.2 (52:54:00:10:00:00-52:54:00:10:00:20)' },
    ]);
  });
});
