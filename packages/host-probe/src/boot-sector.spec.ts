import { buildProbeBootSector, stagesReached } from './boot-sector';

describe('buildProbeBootSector', () => {
  const sector = buildProbeBootSector();

  it('is one 512-byte sector with the 0x55AA signature', () => {
    expect(sector.length).toBe(512);
    expect(sector[510]).toBe(0x55);
    expect(sector[511]).toBe(0xaa);
  });

  it('starts with cli and writes each stage byte to COM1 with `mov al, X; out dx, al`', () => {
    expect(sector[0]).toBe(0xfa);
    expect(sector.includes(Buffer.from([0xba, 0xf8, 0x03]))).toBe(true); // mov dx, 0x3f8
    for (const stage of ['R', 'P', 'L', 'M', 'K']) {
      expect(sector.includes(Buffer.from([0xb0, stage.charCodeAt(0), 0xee]))).toBe(true);
    }
  });

  it('points its GDTR at the GDT inside the sector (loaded at 0x7c00)', () => {
    const gdtr = sector.indexOf(Buffer.from([0x1f, 0x00, 0x10, 0x7d]));
    expect(gdtr).toBeGreaterThan(0);
    const gdtBase = sector.readUInt32LE(gdtr + 2) - 0x7c00;
    expect(sector.readBigUInt64LE(gdtBase)).toBe(0n);
    expect(sector.readBigUInt64LE(gdtBase + 24)).toBe(0x00af9a000000ffffn); // 64-bit code segment
  });

  it('is deterministic', () => {
    expect(buildProbeBootSector().equals(sector)).toBe(true);
  });
});

describe('stagesReached', () => {
  it('lists the stage bytes present in order', () => {
    expect(stagesReached('RPL')).toEqual(['R', 'P', 'L']);
    expect(stagesReached('')).toEqual([]);
  });
});
