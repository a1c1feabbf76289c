import type { AgentCredentials } from '@kelpie/shared-types';
import type { AgentBundle } from './agent-bundle';
import {
  AGENT_HOST_SCRIPTS,
  ENGINE_KEY_FILE_SETTING,
  ENGINE_SSH_KEY_COMMENT,
  envFile,
  HOST_PATHS as P,
  LEASE_RENEWER_UNIT,
  SYSTEMD_UNIT,
} from '@kelpie/shared-types';
import type { SshSession } from './ssh-session';

export interface InstallSettings {
  credentials: AgentCredentials;
  redisPrefix: string;
  nodeBinary: string;
  virtualization: 'probe' | 'tcg';
  /** The metrics endpoint on the host's management address, behind a token (absent: loopback). */
  metrics?: { listen: string; token: string };
  /** The engine's authorized_keys line (restricted to the soft-fence script). */
  engineKeyLine: string;
}

export interface Installed {
  /** No agent was installed before (a failed start then removes everything again). */
  fresh: boolean;
  version: string;
}

/**
 * Copies the bundle and its configuration onto the host. Files are written under new names and
 * renamed into place only once all are there and the code's checksum matched on the host, so a
 * failed upgrade leaves the previous agent as it was, and a failed first install leaves nothing.
 */
export async function installAgent(
  ssh: SshSession,
  bundle: AgentBundle,
  s: InstallSettings,
): Promise<Installed> {
  const fresh = (await ssh.exec(['test', '-e', `${P.installDir}/package.json`])).code !== 0;
  const keysFile = await authorizedKeysFile(ssh);
  const files: [path: string, data: string | Buffer, mode: number][] = [
    [`${P.installDir}/lib/agent.js`, bundle.code, 0o644],
    [`${P.installDir}/package.json`, bundle.packageJson, 0o644],
    ...AGENT_HOST_SCRIPTS.map((f): [string, string, number] => [f.path, f.data, f.mode]),
    [
      P.env,
      envFile({
        KELPIE_CREDENTIALS_FILE: P.credentials,
        KELPIE_INSTALL_DIR: P.installDir,
        KELPIE_STATE_DIR: P.stateDir,
        KELPIE_REDIS_PREFIX: s.redisPrefix,
        KELPIE_LIBVIRT_URI: 'qemu:///system',
        KELPIE_VIRTUALIZATION: s.virtualization,
        KELPIE_NODE_BINARY: s.nodeBinary,
        [ENGINE_KEY_FILE_SETTING]: keysFile,
        ...(s.metrics
          ? { KELPIE_METRICS_LISTEN: s.metrics.listen, KELPIE_METRICS_TOKEN: s.metrics.token }
          : {}),
      }),
      0o600,
    ],
    [P.credentials, JSON.stringify(s.credentials), 0o600],
  ];
  try {
    await ssh.run(['mkdir', '-p', `${P.installDir}/lib`, P.configDir, P.stateDir]);
    await ssh.run(['chmod', '700', P.configDir, P.stateDir]);
    for (const [path, data, mode] of files) {
      await ssh.run(['rm', '-f', `${path}.new`]);
      await ssh.writeFile(`${path}.new`, data, mode);
      await ssh.run(['chmod', mode.toString(8), `${path}.new`]);
    }
    const sum = (await ssh.run(['sha256sum', `${P.installDir}/lib/agent.js.new`])).split(/\s+/)[0];
    if (sum !== bundle.sha256)
      throw new Error(
        `the agent copied to the host has checksum ${sum}, not ${bundle.sha256}: the copy was damaged, retry`,
      );
    for (const [path] of files) await ssh.run(['mv', '-f', `${path}.new`, path]);
    await keepEngineKey(ssh, keysFile, s.engineKeyLine);
  } catch (e) {
    if (fresh) await removeAgentFiles(ssh);
    else await ssh.exec(['rm', '-f', ...files.map(([path]) => `${path}.new`)]);
    throw e;
  }
  return { fresh, version: bundle.version };
}

/** Starts (or restarts, for an upgrade) the agent: a systemd unit where systemd runs, else the supervisor. */
export async function startAgent(ssh: SshSession): Promise<string> {
  const systemd = (await ssh.exec(['test', '-d', '/run/systemd/system'])).code === 0;
  if (systemd) {
    await ssh.writeFile(`${P.unit}.new`, SYSTEMD_UNIT, 0o644);
    await ssh.run(['mv', '-f', `${P.unit}.new`, P.unit]);
    await ssh.run(['systemctl', 'daemon-reload']);
    await ssh.run(['systemctl', 'enable', 'kelpie-agent.service']);
    await ssh.run(['systemctl', 'restart', 'kelpie-agent.service']);
    // The lease renewer in a unit of its own: it must go on renewing when the agent is dead (ADR 0037).
    await ssh.writeFile(`${P.leaseRenewerUnit}.new`, LEASE_RENEWER_UNIT, 0o644);
    await ssh.run(['mv', '-f', `${P.leaseRenewerUnit}.new`, P.leaseRenewerUnit]);
    await ssh.run(['systemctl', 'daemon-reload']);
    await ssh.run(['systemctl', 'enable', 'kelpie-lease-renewer.service']);
    await ssh.run(['systemctl', 'restart', 'kelpie-lease-renewer.service']);
    return 'systemd units kelpie-agent.service and kelpie-lease-renewer.service (re)started';
  }
  await ssh.run(['/bin/sh', `${P.installDir}/supervisor.sh`, 'stop']);
  await ssh.run(['/bin/sh', `${P.installDir}/supervisor.sh`, 'start']);
  return `no systemd on the host: started under ${P.installDir}/supervisor.sh (restarts the agent when it exits)`;
}

/**
 * Turns on libvirt's lock manager (virtlockd) on the host, so a second QEMU for a disk another host
 * runs is refused (ADR 0037, 0053): disk leases in `lockspace` (a directory on the datacenter's shared
 * storage), or on the disk files themselves when there is none. Returns what the host's script did.
 */
export async function enableLockManager(ssh: SshSession, lockspace: string | null): Promise<string> {
  const r = await ssh.exec(['/bin/sh', P.lockManager, lockspace ?? 'direct']);
  const said = r.stdout.trim().split('\n').pop() ?? '';
  if (r.code !== 0)
    throw new Error(
      `libvirt's lock manager could not be turned on: ${said || r.stderr.trim() || `exit ${r.code}`}`,
    );
  return said;
}

/** Stops the agent and deletes everything enrollment put on the host (its uninstall script's job). */
export async function removeAgentFiles(ssh: SshSession): Promise<void> {
  if ((await ssh.exec(['test', '-e', `${P.installDir}/uninstall.sh`])).code === 0)
    await ssh.exec(['/bin/sh', `${P.installDir}/uninstall.sh`]);
  await ssh.exec(['rm', '-rf', P.installDir, P.configDir, P.stateDir]);
}

/**
 * The authorized_keys file root's sshd really reads (`sshd -T`: the lab's, a hardened host's, or the
 * default `~/.ssh/authorized_keys`), its first one when several are listed.
 */
async function authorizedKeysFile(ssh: SshSession): Promise<string> {
  const home = (await ssh.exec(['getent', 'passwd', 'root'])).stdout.split(':')[5]?.trim() || '/root';
  const effective = await ssh.exec(['sshd', '-T', '-C', 'user=root,host=kelpie,addr=127.0.0.1']);
  const listed = /^authorizedkeysfile\s+(\S+)/m.exec(effective.stdout)?.[1] ?? '.ssh/authorized_keys';
  const path = listed.replace(/%%|%u|%h/g, (t) => (t === '%u' ? 'root' : t === '%h' ? home : '%'));
  return path.startsWith('/') ? path : `${home}/${path}`;
}

/** Exactly one engine line in root's authorized_keys (a re-enrollment replaces it); the admin's own
 * lines are kept as they were. Written aside and renamed, so sshd never reads half a file. */
async function keepEngineKey(ssh: SshSession, file: string, line: string): Promise<void> {
  const current = await ssh.exec(['cat', file]);
  const kept = (current.code === 0 ? current.stdout : '')
    .split('\n')
    .filter((l) => l.trim() && !l.trimEnd().endsWith(` ${ENGINE_SSH_KEY_COMMENT}`));
  const dir = file.slice(0, file.lastIndexOf('/')) || '/';
  await ssh.run(['mkdir', '-p', dir]);
  await ssh.writeFile(`${file}.kelpie-new`, [...kept, line].join('\n') + '\n', 0o600);
  await ssh.run(['chmod', '600', `${file}.kelpie-new`]);
  await ssh.run(['mv', '-f', `${file}.kelpie-new`, file]);
}
