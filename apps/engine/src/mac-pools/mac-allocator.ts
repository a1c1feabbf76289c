/** A range of MAC addresses, both ends included (lowercase `aa:bb:cc:dd:ee:ff`). */
export interface MacRange {
  from: string;
  to: string;
}

export const macToNumber = (mac: string): number => parseInt(mac.replace(/:/g, ''), 16);

export const numberToMac = (n: number): string => n.toString(16).padStart(12, '0').match(/../g)!.join(':');

export const rangeSize = (r: MacRange): number => macToNumber(r.to) - macToNumber(r.from) + 1;

/** How many addresses the ranges hold together (they never overlap: validated on write). */
export const poolSize = (ranges: MacRange[]): number => ranges.reduce((n, r) => n + rangeSize(r), 0);

const RANDOM_TRIES = 32;

/**
 * A free address of the ranges, or null when every one is used. Random first (two engines allocating
 * at once rarely collide, and the unique constraint settles the rest); a scan from a random point
 * when the pool is nearly full, so the last free address is still found.
 */
export function pickMac(ranges: MacRange[], used: ReadonlySet<string>, random = Math.random): string | null {
  const size = poolSize(ranges);
  if (size === 0) return null;
  const at = (i: number): string => {
    for (const r of ranges) {
      const n = rangeSize(r);
      if (i < n) return numberToMac(macToNumber(r.from) + i);
      i -= n;
    }
    throw new Error('index outside the pool');
  };
  for (let t = 0; t < RANDOM_TRIES; t++) {
    const mac = at(Math.floor(random() * size));
    if (!used.has(mac)) return mac;
  }
  const start = Math.floor(random() * size);
  for (let k = 0; k < size; k++) {
    const mac = at((start + k) % size);
    if (!used.has(mac)) return mac;
  }
  return null;
}

/** Problems of a pool's ranges, each with the field it concerns (empty: valid). */
export function rangeProblems(ranges: MacRange[]): { field: string; reason: string }[] {
  const problems: { field: string; reason: string }[] = [];
  ranges.forEach((r, i) => {
    if (macToNumber(r.from) > macToNumber(r.to))
      problems.push({ field: `ranges.${i}.to`, reason: `${r.to} is below ${r.from}` });
    for (const [end, mac] of [
      ['from', r.from],
      ['to', r.to],
    ] as const)
      if (parseInt(mac.slice(0, 2), 16) & 1)
        problems.push({ field: `ranges.${i}.${end}`, reason: `${mac} is a multicast address` });
    ranges.slice(0, i).forEach((o, j) => {
      if (macToNumber(r.from) <= macToNumber(o.to) && macToNumber(o.from) <= macToNumber(r.to))
        problems.push({ field: `ranges.${i}`, reason: `overlaps ranges.${j} (${o.from}-${o.to})` });
    });
  });
  return problems;
}
