import { describe, expect, it } from 'vitest';
import { keysymOf } from './keysyms';

describe('keysymOf', () => {
  it('maps printable Latin-1 to itself, newline to Return, other Unicode to 0x01000000+', () => {
    expect(keysymOf('a')).toBe(0x61);
    expect(keysymOf(' ')).toBe(0x20);
    expect(keysymOf('é')).toBe(0xe9);
    expect(keysymOf('\n')).toBe(0xff0d);
    expect(keysymOf('€')).toBe(0x010020ac);
    expect(keysymOf('\u0001')).toBeNull();
  });
});
