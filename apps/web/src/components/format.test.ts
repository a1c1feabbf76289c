import { expect, it } from 'vitest';
import { fmtBytes } from './format';

it('fmtBytes draws a byte count that a live event carried as a string instead of crashing the page', () => {
  expect(fmtBytes('0' as unknown as number)).toBe('0 B');
  expect(fmtBytes(1536)).toBe('1.5 KiB');
});
