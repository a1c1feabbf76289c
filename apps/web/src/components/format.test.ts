import { expect, it } from 'vitest';
import { fmtBytes, fmtWhen } from './format';

it('fmtBytes draws a byte count that a live event carried as a string instead of crashing the page', () => {
  expect(fmtBytes('0' as unknown as number)).toBe('0 B');
  expect(fmtBytes(1536)).toBe('1.5 KiB');
});

it('fmtWhen fits a list column: the time today, day and month this year, the date before', () => {
  const now = new Date(2026, 11, 7, 15, 0, 0);
  expect(fmtWhen(new Date(2026, 11, 7, 9, 5, 7).toISOString(), now)).toBe('09:05:07');
  expect(fmtWhen(new Date(2026, 2, 3, 9, 5, 7).toISOString(), now)).toBe('3 Mar, 09:05');
  expect(fmtWhen(new Date(2025, 2, 3, 9, 5, 7).toISOString(), now)).toBe('3 Mar 2025');
  expect(fmtWhen(null, now)).toBe('–');
});
