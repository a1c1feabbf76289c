import { TCG_RAM_BACKEND_ID, TCG_RAM_PAD_KIB, tcgRamPadArgs } from './tcg-ram-pad';

describe('tcgRamPadArgs', () => {
  it.each([96, 128, 1024])('gives %i MiB a backend that is not a multiple of 64 pages', (mib) => {
    const [m, size, object, backend, machine, use] = tcgRamPadArgs(mib);
    const kib = mib * 1024 + TCG_RAM_PAD_KIB;
    expect([m, size, object, machine, use]).toEqual([
      '-m',
      `${kib}k`,
      '-object',
      '-machine',
      `memory-backend=${TCG_RAM_BACKEND_ID}`,
    ]);
    const parsed = JSON.parse(backend ?? '') as { id: string; size: number };
    expect(parsed).toMatchObject({ 'qom-type': 'memory-backend-ram', id: TCG_RAM_BACKEND_ID });
    expect(parsed.size).toBe(kib * 1024);
    expect(parsed.size % (64 * 4096)).not.toBe(0);
  });
});
