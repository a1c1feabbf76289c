import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { parseCpuModes, parseMissingFeatures, parseUnusableCpuModels } from './cpu-modes';

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

describe('why a named model is unusable', () => {
  it('lists the models domcapabilities marks usable=no', () => {
    const xml = readFileSync(join(__dirname, '../__fixtures__/domcapabilities-qemu.xml'), 'utf8');
    const unusable = parseUnusableCpuModels(xml);
    expect(unusable).toContain('phenom');
    expect(unusable).toContain('Skylake-Server');
    expect(unusable).not.toContain('qemu64');
  });

  it("reads the features from hypervisor-cpu-compare's error, and nothing from another message", () => {
    const stderr =
      'error: Failed to compare hypervisor CPU with /tmp/x/cpu-0.xml\n' +
      'error: the CPU is incompatible with host CPU: Host CPU does not provide required features: vme, pcid, x2apic, avx512f\n';
    expect(parseMissingFeatures(stderr)).toEqual(['vme', 'pcid', 'x2apic', 'avx512f']);
    expect(parseMissingFeatures('error: unknown CPU model Foo')).toEqual([]);
  });
});
