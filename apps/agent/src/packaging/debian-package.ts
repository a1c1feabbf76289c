import { AGENT_HOST_SCRIPTS, HOST_PATHS as P, LEASE_RENEWER_UNIT, SYSTEMD_UNIT } from '@kelpie/shared-types';

/** Where the package puts its systemd unit: the packaged location, which an admin's (or enrollment's)
 * /etc/systemd/system copy overrides. */
export const PACKAGED_UNIT = '/lib/systemd/system/kelpie-agent.service';
/** The lease renewer's packaged unit: a unit of its own, so it outlives the agent (ADR 0037). */
export const PACKAGED_RENEWER_UNIT = '/lib/systemd/system/kelpie-lease-renewer.service';

export interface PackageFile {
  path: string;
  data: string | Buffer;
  mode: number;
}

/** The Debian version of an npm version: `-` (a pre-release) sorts before the release as `~` does. */
export function debianVersion(npmVersion: string): string {
  if (!/^\d+\.\d+\.\d+([-+][0-9A-Za-z.-]+)?$/.test(npmVersion))
    throw new Error(`${npmVersion} is not a version the package can carry`);
  return npmVersion.replace('-', '~').replace('+', '+b');
}

export function controlFile(version: string, installedKiB: number): string {
  return `Package: kelpie-agent
Version: ${debianVersion(version)}
Architecture: all
Maintainer: Kelpie developers <kelpie@localhost>
Section: admin
Priority: optional
Installed-Size: ${installedKiB}
Depends: libvirt-clients, libvirt-daemon-system, qemu-utils
Recommends: nodejs (>= 20), ovmf, fence-agents
Description: Kelpie agent: manages this KVM host's VMs for the Kelpie engine
 The daemon the Kelpie engine sends its commands to (through Redis), driving
 libvirt with virsh, and reporting events, heartbeats and statistics back.
 Configure ${P.env} and ${P.credentials} (issued by the engine for this
 host), then: systemctl enable --now kelpie-agent.
`;
}

/** Applies the host configuration of the credentials when they are there (lock manager, the engine's
 * soft-fence key: \`supervisor.sh configure\`, ADR 0060). Enables the agent's unit where systemd runs, and says what is still missing instead of starting
 * blind. The lease renewer needs no configuration (it idles until the agent lists shared directories),
 * so it is enabled and started at once: it must run before any VM does. Without systemd the packaged
 * supervisor starts both, once the agent is configured. */
export const POSTINST = `#!/bin/sh
set -e
mkdir -p ${P.configDir} ${P.stateDir}
chmod 700 ${P.configDir} ${P.stateDir}
[ "$1" = configure ] || exit 0
# The host configuration the engine issued with the credentials (lock manager, soft-fence key; ADR 0060):
# here once, and again before each agent start (the unit's ExecStartPre, supervisor.sh start).
if [ -f ${P.credentials} ]; then
  /bin/sh ${P.installDir}/supervisor.sh configure ||
    echo "kelpie-agent: the host configuration failed (above); the agent starts once it succeeds" >&2
fi
if [ -d /run/systemd/system ]; then
  systemctl daemon-reload || true
  systemctl enable --now kelpie-lease-renewer.service >/dev/null || true
  systemctl enable kelpie-agent.service >/dev/null || true
  if [ -f ${P.env} ] && [ -f ${P.credentials} ]; then
    systemctl restart kelpie-agent.service || true
  else
    echo "kelpie-agent: write ${P.env} and ${P.credentials}, then: systemctl start kelpie-agent" >&2
  fi
elif [ -f ${P.env} ] && [ -f ${P.credentials} ]; then
  /bin/sh ${P.installDir}/supervisor.sh stop || true
  /bin/sh ${P.installDir}/supervisor.sh start || true
else
  echo "kelpie-agent: no systemd; write ${P.env} and ${P.credentials}, then: sh ${P.installDir}/supervisor.sh start" >&2
fi
exit 0
`;

export const PRERM = `#!/bin/sh
set -e
if [ -d /run/systemd/system ]; then
  systemctl stop kelpie-agent.service || true
  [ "$1" = remove ] && systemctl disable --now kelpie-lease-renewer.service >/dev/null || true
  [ "$1" = remove ] && systemctl disable kelpie-agent.service >/dev/null || true
else
  /bin/sh ${P.installDir}/supervisor.sh stop || true
  [ "$1" = remove ] && /bin/sh ${P.installDir}/supervisor.sh stop-renewer || true
fi
exit 0
`;

/**
 * Every file of the package, from the agent bundle: the same layout enrollment installs over SSH
 * (code in ${P.installDir}, configuration in ${P.configDir}, state in ${P.stateDir}), logging to
 * the journal through the unit's standard output. The configuration is the admin's: the package
 * ships none, so an upgrade never touches it.
 */
export function packageFiles(bundle: { code: Buffer; packageJson: string; version: string }): PackageFile[] {
  const installed: PackageFile[] = [
    { path: `${P.installDir}/lib/agent.js`, data: bundle.code, mode: 0o644 },
    { path: `${P.installDir}/package.json`, data: bundle.packageJson, mode: 0o644 },
    ...AGENT_HOST_SCRIPTS,
    { path: PACKAGED_UNIT, data: SYSTEMD_UNIT, mode: 0o644 },
    { path: PACKAGED_RENEWER_UNIT, data: LEASE_RENEWER_UNIT, mode: 0o644 },
  ];
  const kib = Math.ceil(installed.reduce((n, f) => n + Buffer.byteLength(f.data), 0) / 1024);
  return [
    ...installed,
    { path: 'DEBIAN/control', data: controlFile(bundle.version, kib), mode: 0o644 },
    { path: 'DEBIAN/postinst', data: POSTINST, mode: 0o755 },
    { path: 'DEBIAN/prerm', data: PRERM, mode: 0o755 },
  ];
}
