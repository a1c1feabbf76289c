import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { parseCpuModes } from './cpu-modes';

describe('parseCpuModes', () => {
  it('reads host-model/passthrough support and only the usable named models', () => {
    const xml = readFileSync(join(__dirname, '../__fixtures__/domcapabilities-qemu.xml'), 'utf8');
    const modes = parseCpuModes(xml);
    expect(modes.hostPassthrough).toBe(false);
    expect(modes.hostModel).toBe(true);
    expect(modes.custom).toContain('qemu64');
    expect(modes.custom).toContain('Nehalem');
    expect(modes.custom).not.toContain('phenom');
  });

  it('refuses another document', () => {
    expect(() => parseCpuModes('<capabilities/>')).toThrow(/domainCapabilities/);
  });
});
