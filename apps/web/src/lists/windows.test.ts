import { describe, expect, it } from 'vitest';
import { rowAt, windowsFor } from './windows';

describe('windowsFor', () => {
  it('asks only for the first window while the total is unknown', () => {
    expect(windowsFor(0, 20, 100, undefined)).toEqual([0]);
    expect(windowsFor(5000, 5020, 100, undefined)).toEqual([0]);
  });

  it('asks for nothing on an empty list', () => {
    expect(windowsFor(0, 20, 100, 0)).toEqual([]);
  });

  it('at the top of 50,000 rows needs one window', () => {
    expect(windowsFor(0, 22, 100, 50_000, 10)).toEqual([0]);
  });

  it('scrolled to the middle needs only the windows around the viewport', () => {
    expect(windowsFor(25_010, 25_032, 100, 50_000, 10)).toEqual([25_000]);
    expect(windowsFor(25_090, 25_112, 100, 50_000, 10)).toEqual([25_000, 25_100]);
  });

  it('includes the margin so a window loads before its rows scroll into view', () => {
    expect(windowsFor(195, 210, 100, 50_000, 0)).toEqual([100, 200]);
    expect(windowsFor(205, 220, 100, 50_000, 10)).toEqual([100, 200]);
    expect(windowsFor(215, 230, 100, 50_000, 10)).toEqual([200]);
  });

  it('never asks past the end of the list', () => {
    expect(windowsFor(49_990, 50_020, 100, 50_000, 10)).toEqual([49_900]);
    expect(windowsFor(0, 40, 100, 7, 10)).toEqual([0]);
  });

  it('at the bottom of 50,000 rows the request count stays tiny', () => {
    const offsets = windowsFor(49_978, 49_999, 100, 50_000, 10);
    expect(offsets).toEqual([49_900]);
  });
});

describe('rowAt', () => {
  it('finds a row in its window and nothing in a window not loaded', () => {
    const pages = new Map([[100, ['a', 'b', 'c']]]);
    expect(rowAt(pages, 100, 101)).toBe('b');
    expect(rowAt(pages, 100, 5)).toBeUndefined();
  });
});
