import { PassThrough } from 'node:stream';
import { readExact, vncAuthResponse } from './rfb';

describe('rfb', () => {
  it('computes the VNC auth response as DES with bit-reversed key bytes', () => {
    // Classic DES vector: key 0x0101010101010101, plaintext 0 → 8CA64DE9C1B123A7. The bit-reversed
    // key bytes 0x80 give the same DES key (parity bits are ignored).
    const key = String.fromCharCode(0x80).repeat(8);
    expect(vncAuthResponse(key, Buffer.alloc(16)).toString('hex')).toBe('8ca64de9c1b123a78ca64de9c1b123a7');
    // Differs per password and per challenge.
    const c = Buffer.from('00112233445566778899aabbccddeeff', 'hex');
    expect(vncAuthResponse('abcd1234', c)).not.toEqual(vncAuthResponse('abcd1235', c));
  });

  it('reads exact byte counts and leaves the rest buffered', async () => {
    const s = new PassThrough();
    s.write(Buffer.from([1, 2, 3]));
    setTimeout(() => s.write(Buffer.from([4, 5])), 10);
    expect([...(await readExact(s, 4, 1000, 'x'))]).toEqual([1, 2, 3, 4]);
    expect([...(await readExact(s, 1, 1000, 'y'))]).toEqual([5]);
    s.end();
    await expect(readExact(s, 1, 1000, 'z')).rejects.toThrow(/closed/);
  });
});
