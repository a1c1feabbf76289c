import {
  ENGINE_KEY_LINE_PATTERN,
  engineAuthorizedKeyLine,
  HOST_CONFIG_SCRIPT,
  HOST_PATHS,
  LOCKSPACE_PATTERN,
  SUPERVISOR_SCRIPT,
} from '@kelpie/shared-types';
import { execFile } from 'node:child_process';
import { mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
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
        HOST_PATHS.hostConfig,
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

  it('runs the host configuration in postinst (credentials there), before the unit starts the agent, and in supervisor start', () => {
    expect(String(byPath.get(HOST_PATHS.hostConfig)!.data)).toBe(HOST_CONFIG_SCRIPT);
    const configure = `/bin/sh ${HOST_PATHS.installDir}/supervisor.sh configure`;
    expect(POSTINST).toContain(`if [ -f ${HOST_PATHS.credentials} ]; then\n  ${configure}`);
    // Before the units are (re)started.
    expect(POSTINST.indexOf(configure)).toBeLessThan(POSTINST.indexOf('systemctl restart kelpie-agent'));
    expect(POSTINST.indexOf(configure)).toBeLessThan(
      POSTINST.indexOf(`/bin/sh ${HOST_PATHS.installDir}/supervisor.sh start`),
    );
    const unit = String(byPath.get(PACKAGED_UNIT)!.data);
    expect(unit).toContain(`ExecStartPre=${configure}\nExecStart=`);
    // The supervisor: its own command, run by `start` before the loop, with the host's Node.
    expect(SUPERVISOR_SCRIPT).toContain(`exec "\${KELPIE_NODE_BINARY:-node}" ${HOST_PATHS.hostConfig}`);
    const start = SUPERVISOR_SCRIPT.slice(SUPERVISOR_SCRIPT.indexOf('\nstart)'));
    expect(start.indexOf('configure ||')).toBeGreaterThan(0);
    expect(start.indexOf('configure ||')).toBeLessThan(start.indexOf('setsid /bin/sh "$0" loop'));
  });

  it('accepts only absolute lockspaces a shell or libvirt reads as written, and only the restricted engine line', () => {
    for (const ok of ['direct', '/srv/shared/.kelpie-lockspace', '/mnt/a b/.kelpie-lockspace'])
      expect(LOCKSPACE_PATTERN.test(ok)).toBe(true);
    for (const bad of ['', 'relative/dir', 'directx', '/a"b', "/a'b", '/a\nb', '/a\\b', '/srv/../etc', '/..'])
      expect(LOCKSPACE_PATTERN.test(bad)).toBe(false);
    const line = engineAuthorizedKeyLine('ssh-ed25519 AAAAC3NzaC1lZDI1NTE5AAAAIK1+/=');
    expect(ENGINE_KEY_LINE_PATTERN.test(line)).toBe(true);
    for (const bad of [
      line.replace('restrict,', ''),
      line.replace('soft-fence.sh', 'sh'),
      `${line}\nssh-ed25519 AAAA attacker`,
      line.replace('ssh-ed25519 AAAA', 'ssh-ed25519 AA"AA'),
      `command="/bin/sh" ${line}`,
    ])
      expect(ENGINE_KEY_LINE_PATTERN.test(bad)).toBe(false);
  });

  describe('host-config.cjs, run by node', () => {
    let dir: string;
    const key = engineAuthorizedKeyLine('ssh-ed25519 AAAAC3NzaC1lZDI1NTE5AAAAINEW');
    beforeEach(async () => {
      dir = await mkdtemp(join(tmpdir(), 'kelpie-host-config-'));
      await writeFile(join(dir, 'host-config.cjs'), HOST_CONFIG_SCRIPT);
      // A lock-manager.sh stand-in: records its arguments, one call a line.
      await writeFile(
        join(dir, 'lock-manager.sh'),
        `printf '%s|' "$@" >>"${dir}/calls"; echo >>"${dir}/calls"; echo lockd on\n`,
      );
    });
    afterEach(() => rm(dir, { recursive: true, force: true }));
    const runIt = (credentials: unknown) =>
      new Promise<{ code: number; out: string }>((resolve) => {
        void writeFile(join(dir, 'credentials.json'), JSON.stringify(credentials)).then(() =>
          execFile(
            process.execPath,
            [join(dir, 'host-config.cjs')],
            {
              env: {
                KELPIE_CREDENTIALS_FILE: join(dir, 'credentials.json'),
                KELPIE_AUTHORIZED_KEYS_FILE: join(dir, 'ssh', 'authorized_keys'),
                KELPIE_LOCK_MANAGER_SCRIPT: join(dir, 'lock-manager.sh'),
              },
            },
            (err, stdout, stderr) => resolve({ code: err ? Number(err.code ?? 1) : 0, out: stdout + stderr }),
          ),
        );
      });
    const calls = () => readFile(join(dir, 'calls'), 'utf8').catch(() => '');

    it('writes exactly one engine line (replacing an older one, keeping the admin lines) and runs the lock manager with the lockspace as one argument; twice changes nothing', async () => {
      await runIt({ hostId: 'h1' }); // makes nothing: no hostConfig
      expect(await calls()).toBe('');
      const keys = join(dir, 'ssh', 'authorized_keys');
      await runIt({
        hostId: 'h1',
        hostConfig: { lockspace: '/srv/a b/.kelpie-lockspace', engineAuthorizedKey: key },
      });
      await writeFile(keys, `ssh-ed25519 AAAAadmin admin@desk\n${key.replace('NEW', 'OLD')}\n`);
      const first = await runIt({
        hostId: 'h1',
        hostConfig: { lockspace: '/srv/a b/.kelpie-lockspace', engineAuthorizedKey: key },
      });
      expect(first.code).toBe(0);
      const written = await readFile(keys, 'utf8');
      expect(written).toBe(`ssh-ed25519 AAAAadmin admin@desk\n${key}\n`);
      const second = await runIt({
        hostId: 'h1',
        hostConfig: { lockspace: '/srv/a b/.kelpie-lockspace', engineAuthorizedKey: key },
      });
      expect(second.code).toBe(0);
      expect(second.out).toContain('already in');
      expect(await readFile(keys, 'utf8')).toBe(written);
      expect(await calls()).toBe('/srv/a b/.kelpie-lockspace|\n'.repeat(3));
    });

    it('refuses a lockspace or key line it could misread, touching nothing', async () => {
      for (const hostConfig of [
        { lockspace: '/srv/x"; rm -rf /', engineAuthorizedKey: key },
        { lockspace: 'srv/relative', engineAuthorizedKey: key },
        {
          lockspace: 'direct',
          engineAuthorizedKey: `command="/bin/sh" ssh-ed25519 AAAA kelpie-engine-soft-fence`,
        },
        { lockspace: 'direct', engineAuthorizedKey: `${key}\nssh-ed25519 AAAA x` },
      ]) {
        const r = await runIt({ hostId: 'h1', hostConfig });
        expect(r.code).not.toBe(0);
      }
      expect(await calls()).toBe('');
      await expect(readFile(join(dir, 'ssh', 'authorized_keys'))).rejects.toThrow();
    });
  });
});
