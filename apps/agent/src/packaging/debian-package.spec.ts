import { HOST_PATHS } from '@kelpie/shared-types';
import {
  controlFile,
  debianVersion,
  packageFiles,
  PACKAGED_RENEWER_UNIT,
  PACKAGED_UNIT,
  POSTINST,
  PRERM,
} from './debian-package';

describe('the agent Debian package', () => {
  const files = packageFiles({ code: Buffer.from('x'.repeat(4096)), packageJson: '{}', version: '0.1.0' });
  const byPath = new Map(files.map((f) => [f.path, f]));

  it('installs the layout enrollment installs, its unit starting the packaged supervisor, and no configuration', () => {
    expect([...byPath.keys()].filter((p) => !p.startsWith('DEBIAN/')).sort()).toEqual(
      [
        `${HOST_PATHS.installDir}/lib/agent.js`,
        `${HOST_PATHS.installDir}/package.json`,
        `${HOST_PATHS.installDir}/supervisor.sh`,
        `${HOST_PATHS.installDir}/uninstall.sh`,
        HOST_PATHS.softFence,
        HOST_PATHS.leaseRenewer,
        HOST_PATHS.lockManager,
        PACKAGED_UNIT,
        PACKAGED_RENEWER_UNIT,
      ].sort(),
    );
    const unit = String(byPath.get(PACKAGED_UNIT)!.data);
    expect(unit).toContain(`ExecStart=/bin/sh ${HOST_PATHS.installDir}/supervisor.sh exec`);
    expect(unit).toContain(`EnvironmentFile=${HOST_PATHS.env}`);
    // The admin's configuration and the host's credentials are never part of the package.
    expect([...byPath.keys()].some((p) => p.startsWith(HOST_PATHS.configDir))).toBe(false);
    expect(byPath.get('DEBIAN/postinst')!.mode).toBe(0o755);
  });

  it('starts the lease renewer in a unit of its own (systemd) or through the supervisor, and stops it on removal', () => {
    expect(String(byPath.get(PACKAGED_RENEWER_UNIT)!.data)).toContain(
      `ExecStart=/bin/sh ${HOST_PATHS.leaseRenewer}`,
    );
    expect(byPath.get(HOST_PATHS.leaseRenewer)!.mode).toBe(0o755);
    expect(byPath.get(HOST_PATHS.softFence)!.mode).toBe(0o755);
    expect(POSTINST).toContain('systemctl enable --now kelpie-lease-renewer.service');
    expect(POSTINST).toContain(`/bin/sh ${HOST_PATHS.installDir}/supervisor.sh start`);
    expect(PRERM).toContain('systemctl disable --now kelpie-lease-renewer.service');
    expect(PRERM).toContain('supervisor.sh stop-renewer');
  });

  it('writes a control file dpkg accepts: Debian version, size in KiB, dependencies', () => {
    // 4 KiB of code plus the scripts and the unit, rounded up.
    const size = /^Installed-Size: (\d+)$/m.exec(String(byPath.get('DEBIAN/control')!.data));
    expect(Number(size?.[1])).toBeGreaterThan(4);
    expect(controlFile('1.2.3-rc.1', 10)).toMatch(/^Version: 1\.2\.3~rc\.1$/m);
    expect(controlFile('1.0.0', 1)).toMatch(/^Depends: libvirt-clients, libvirt-daemon-system, qemu-utils$/m);
    expect(() => debianVersion('1.0; rm -rf /')).toThrow('not a version');
  });
});
