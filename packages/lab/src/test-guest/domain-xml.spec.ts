import { testGuestDomainXml } from './domain-xml';

const base = {
  name: 'g1',
  memoryMiB: 128,
  vcpus: 1,
  virtType: 'qemu' as const,
  kernel: '/k/vmlinuz',
  initrd: '/k/initrd.gz',
  serialLogPath: '/shared/g1.log',
};

describe('testGuestDomainXml', () => {
  it('boots the kernel directly with a logged serial console', () => {
    const xml = testGuestDomainXml({ ...base, cmdlineExtra: 'ip=10.77.0.50/24' });
    expect(xml).toContain('<domain type="qemu">');
    expect(xml).toContain('<kernel>/k/vmlinuz</kernel>');
    expect(xml).toContain('<cmdline>console=ttyS0 panic=-1 quiet ip=10.77.0.50/24</cmdline>');
    expect(xml).toContain('<log file="/shared/g1.log" append="on"/>');
    expect(xml).toContain('<memory unit="MiB">128</memory>');
  });

  it('caps the TCG translation cache only under TCG', () => {
    expect(testGuestDomainXml(base)).toMatch(/<tcg>\s*<tb-cache unit="MiB">16<\/tb-cache>\s*<\/tcg>/);
    expect(testGuestDomainXml({ ...base, virtType: 'kvm' })).not.toContain('tb-cache');
  });

  it('adds an uncached virtio disk, a bridged NIC and VNC on request', () => {
    const xml = testGuestDomainXml({
      ...base,
      diskPath: '/shared/g1.img',
      bridge: 'br0',
      vnc: true,
      uuid: '0b7c9d1e-0000-4000-8000-000000000001',
    });
    expect(xml).toContain('<driver name="qemu" type="raw" cache="none"/>');
    expect(xml).toContain('<source bridge="br0"/>');
    expect(xml).toContain('listen="0.0.0.0"');
    expect(xml).toContain('<uuid>0b7c9d1e-0000-4000-8000-000000000001</uuid>');
  });

  it('escapes text instead of breaking the document', () => {
    expect(testGuestDomainXml({ ...base, name: 'a<b&c' })).toContain('<name>a&lt;b&amp;c</name>');
  });

  it('refuses less memory than the kernel needs', () => {
    expect(() => testGuestDomainXml({ ...base, memoryMiB: 64 })).toThrow(/96/);
  });

  it('under TCG gives the guest a RAM backend 8 KiB larger (QEMU 7.2 migration dirty-sync bug)', () => {
    const xml = testGuestDomainXml(base);
    expect(xml).toContain('<qemu:commandline xmlns:qemu="http://libvirt.org/schemas/domain/qemu/1.0">');
    const args = [...xml.matchAll(/<qemu:arg value="([^"]*)"\/>/g)].map((m) => m[1]!.replace(/&quot;/g, '"'));
    expect(args).toEqual([
      '-m',
      '131080k',
      '-object',
      '{"qom-type":"memory-backend-ram","id":"kelpie-tcg-ram","size":134225920}',
      '-machine',
      'memory-backend=kelpie-tcg-ram',
    ]);
    // libvirt still sees the requested size.
    expect(xml).toContain('<memory unit="MiB">128</memory>');
    expect(testGuestDomainXml({ ...base, virtType: 'kvm' })).not.toContain('qemu:commandline');
    expect(testGuestDomainXml({ ...base, tcgRamPad: false })).not.toContain('qemu:commandline');
  });

  it('takes a CPU model, a qcow2 disk and another emulator on request', () => {
    const xml = testGuestDomainXml({
      ...base,
      cpu: { mode: 'custom', model: 'qemu64' },
      diskPath: '/images/o.qcow2',
      diskFormat: 'qcow2',
      emulator: '/opt/qemu',
    });
    expect(xml).toMatch(/<cpu mode="custom">\s*<model fallback="forbid">qemu64<\/model>/);
    expect(xml).toContain('<driver name="qemu" type="qcow2" cache="none"/>');
    expect(xml).toContain('<emulator>/opt/qemu</emulator>');
    expect(testGuestDomainXml({ ...base, cpu: { mode: 'maximum' } })).toContain('<cpu mode="maximum"/>');
  });
});
