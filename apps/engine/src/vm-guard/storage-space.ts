import { DomainDiskInfo } from '@kelpie/shared-types';
import { dirname } from 'node:path';

/** A group of disks sharing free space (one pool, or one directory when no pool serves it). */
export interface SpaceShortage {
  where: string;
  neededBytes: number;
  availableBytes: number;
  disks: string[];
}

/** Sums `need(disk)` per pool/directory and returns every group that does not fit. */
export function spaceShortages(
  disks: DomainDiskInfo[],
  need: (d: DomainDiskInfo) => number,
): SpaceShortage[] {
  const groups = new Map<string, SpaceShortage>();
  for (const d of disks) {
    if (d.availableBytes === null) continue;
    const where = d.pool ? `pool ${d.pool}` : dirname(d.path);
    const g = groups.get(where) ?? { where, neededBytes: 0, availableBytes: d.availableBytes, disks: [] };
    g.neededBytes += need(d);
    g.disks.push(d.target);
    groups.set(where, g);
  }
  return [...groups.values()].filter((g) => g.neededBytes > g.availableBytes);
}

export const gib = (b: number) => `${(b / 1024 ** 3).toFixed(2)} GiB`;
