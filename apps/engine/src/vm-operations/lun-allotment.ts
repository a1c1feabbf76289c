/** A LUN as the host's iscsi-direct pool lists it. */
export interface Lun {
  name: string;
  capacityBytes: number;
}

/**
 * The LUN a new disk of `wantedBytes` takes (oVirt's direct LUN): the smallest free one that is
 * large enough, so big LUNs stay for big disks; the lowest name among equals, so the choice is stable.
 */
export function pickLun(luns: Lun[], taken: ReadonlySet<string>, wantedBytes: number): Lun | undefined {
  return luns
    .filter((l) => !taken.has(l.name) && l.capacityBytes >= wantedBytes)
    .sort((a, b) => a.capacityBytes - b.capacityBytes || a.name.localeCompare(b.name))[0];
}

/**
 * Claims a free LUN for a disk: picks one (pickLun) and lets `take` record it. `take` answering
 * false means another disk holds that LUN (the database refuses a second disk on one volume): the
 * LUNs taken are read again and the next one picked, so provisionings racing for a LUN each end up
 * with their own. A LUN refused once is not tried again (a holder the listing of taken LUNs does not
 * show must not make this loop). `lun` is undefined when none is free; `taken` is how many were not.
 */
export async function claimLun(
  luns: Lun[],
  wantedBytes: number,
  takenNow: () => Promise<ReadonlySet<string>>,
  take: (lun: Lun) => Promise<boolean>,
): Promise<{ lun?: Lun; taken: number }> {
  const refused = new Set<string>();
  for (;;) {
    const taken = new Set([...(await takenNow()), ...refused]);
    const lun = pickLun(luns, taken, wantedBytes);
    if (!lun || (await take(lun))) return { lun, taken: taken.size };
    refused.add(lun.name);
  }
}
