import {
  clockSkewMs,
  libvirtEndpoint,
  nodeMajor,
  parseCpuInfo,
  parseDfAvailableMib,
  parseMemAvailableMib,
  parseOsRelease,
  virtHostValidateProblems,
} from './preflight-parsers';

describe('preflight parsers', () => {
  it('reads the distribution, CPU vendor and virtualization flag', () => {
    expect(parseOsRelease('NAME="Debian GNU/Linux"\nPRETTY_NAME="Debian GNU/Linux 12 (bookworm)"\n')).toBe(
      'Debian GNU/Linux 12 (bookworm)',
    );
    const cpu = 'processor\t: 0\nvendor_id\t: AuthenticAMD\nflags\t\t: fpu svm sse\n\nprocessor\t: 1\n';
    expect(parseCpuInfo(cpu)).toEqual({ vendor: 'AuthenticAMD', virtFlag: 'svm', cpus: 2 });
    expect(parseCpuInfo('vendor_id : GenuineIntel\nflags : fpu sse\n').virtFlag).toBeNull();
  });

  it('reads free memory and disk in MiB', () => {
    expect(parseMemAvailableMib('MemTotal: 100 kB\nMemAvailable:    2097152 kB\n')).toBe(2048);
    expect(
      parseDfAvailableMib(
        'Filesystem 1024-blocks Used Available Capacity Mounted on\n/dev/sda1 100 50 1048576 5% /\n',
      ),
    ).toBe(1024);
  });

  it('keeps only the FAIL and WARN lines of virt-host-validate', () => {
    const out =
      '  QEMU: Checking for hardware virtualization                                 : FAIL (Only emulated CPUs are available, performance will be significantly limited)\n' +
      '  QEMU: Checking if device /dev/vhost-net exists                              : PASS\n' +
      '  QEMU: Checking for secure guest support                                     : WARN (Unknown if this platform has Secure Guest support)\n';
    const p = virtHostValidateProblems(out);
    expect(p.fail).toEqual([
      'QEMU: Checking for hardware virtualization : FAIL (Only emulated CPUs are available, performance will be significantly limited)',
    ]);
    expect(p.warn).toHaveLength(1);
  });

  it('measures clock skew against the middle of the round trip', () => {
    expect(clockSkewMs('1000.500000000\n', 1_000_000, 1_001_000)).toBe(0);
    expect(clockSkewMs('1060', 1_000_000, 1_000_000)).toBe(60_000);
    expect(() => clockSkewMs('soon', 0, 0)).toThrow(/unreadable/);
  });

  it('reads the Node major version and libvirt endpoints', () => {
    expect(nodeMajor('v20.11.1\n')).toBe(20);
    expect(nodeMajor('garbage')).toBe(0);
    expect(libvirtEndpoint('qemu+tcp://10.1.0.11/system')).toEqual({ host: '10.1.0.11', port: 16509 });
    expect(libvirtEndpoint('qemu+tls://h.example:1234/system')).toEqual({ host: 'h.example', port: 1234 });
    expect(libvirtEndpoint('qemu+ssh://root@[fd00::1]/system')).toEqual({ host: 'fd00::1', port: 22 });
    expect(libvirtEndpoint('qemu:///system')).toBeNull();
  });
});
