/**
 * Which `limit`/`offset` windows a virtualised list needs for the rows on screen (plus a margin),
 * so only a few pages are ever requested no matter how long the list is.
 */
export function windowsFor(
  firstRow: number,
  lastRow: number,
  pageSize: number,
  total: number | undefined,
  marginRows = 0,
): number[] {
  if (pageSize <= 0) throw new Error('pageSize must be positive');
  if (total === 0) return [];
  const max = total === undefined ? Number.POSITIVE_INFINITY : total - 1;
  const from = Math.max(0, Math.min(firstRow - marginRows, max));
  const to = Math.max(from, Math.min(lastRow + marginRows, max));
  if (total === undefined) return [0]; // the first window tells the total
  const offsets: number[] = [];
  for (let p = Math.floor(from / pageSize); p <= Math.floor(to / pageSize); p++) offsets.push(p * pageSize);
  return offsets;
}

/** Row `index` of the list, looked up in the windows loaded so far. */
export function rowAt<T>(pages: Map<number, T[]>, pageSize: number, index: number): T | undefined {
  const offset = Math.floor(index / pageSize) * pageSize;
  return pages.get(offset)?.[index - offset];
}
