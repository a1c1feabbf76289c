import { chmod, mkdir, readFile, rm, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { HostLayout, LabConfig } from './lab-config';
import { isAliveInNetns, readPidFile } from './processes';
import { run, runOrThrow } from './process-runner';

/** How tests and the devstack log in to every host of a lab (root, by password or by key). */
export interface LabSshAccess {
  user: 'root';
  port: number;
  password: string;
  privateKey: string;
  publicKey: string;
}

const SSH_PORT = 22;

/** Per-host directory → the path it is bound over inside the host: the host's own sshd keys and
 * configuration, and where enrollment installs the agent, so two hosts never share a file. */
export const HOST_SSH_BINDS = {
  'etc-ssh': '/etc/ssh',
  'opt-kelpie-agent': '/opt/kelpie-agent',
  'etc-kelpie': '/etc/kelpie',
  'var-lib-kelpie-agent': '/var/lib/kelpie-agent',
  // A copy of /etc/shadow with the lab's root password (the machine's own is never touched).
  shadow: '/etc/shadow',
} as const;

function accessDir(config: LabConfig): string {
  return join(config.stateDir, 'ssh-access');
}

/** The lab's root password and key pair, made once per lab (kept in its state directory, 0600). */
export async function labSshAccess(config: LabConfig): Promise<LabSshAccess> {
  const dir = accessDir(config);
  await mkdir(dir, { recursive: true, mode: 0o700 });
  const passwordFile = join(dir, 'root-password');
  const keyFile = join(dir, 'id_ed25519');
  let password = await readFile(passwordFile, 'utf8').catch(() => '');
  if (!password) {
    password = (await runOrThrow('openssl', ['rand', '-hex', '12'])).trim();
    await writeFile(passwordFile, password, { mode: 0o600 });
  }
  let privateKey = await readFile(keyFile, 'utf8').catch(() => '');
  if (!privateKey) {
    await rm(keyFile, { force: true });
    await rm(`${keyFile}.pub`, { force: true });
    await runOrThrow('ssh-keygen', [
      '-q',
      '-t',
      'ed25519',
      '-N',
      '',
      '-C',
      `kelpie-lab-${config.name}`,
      '-f',
      keyFile,
    ]);
    privateKey = await readFile(keyFile, 'utf8');
  }
  const publicKey = (await readFile(`${keyFile}.pub`, 'utf8')).trim();
  return { user: 'root', port: SSH_PORT, password, privateKey, publicKey };
}

export function sshdPidFile(host: HostLayout): string {
  return join(host.pidDir, 'sshd.pid');
}

/**
 * The host's /etc/ssh (bind-mounted over the real one inside the host): its own ed25519 host key,
 * an sshd listening on the host's address only, root allowed by the lab's password or key. The
 * host's /etc/shadow copy carries the lab's root password (the machine's own is never touched).
 */
export async function prepareHostSsh(config: LabConfig, host: HostLayout): Promise<void> {
  const access = await labSshAccess(config);
  const etc = join(host.dir, 'etc-ssh');
  await mkdir(join(etc, 'authorized_keys'), { recursive: true });
  for (const dir of ['opt-kelpie-agent', 'etc-kelpie', 'var-lib-kelpie-agent'])
    await mkdir(join(host.dir, dir), { recursive: true });
  const hostKey = join(etc, 'ssh_host_ed25519_key');
  const hasKey = await readFile(hostKey).then(
    () => true,
    () => false,
  );
  if (!hasKey) await newHostKey(host);
  // Lines others added (the engine's soft-fence key) survive a lab `up` on a running lab, as they
  // would on a real host; only the lab's own key is ensured.
  const rootKeys = join(etc, 'authorized_keys', 'root');
  const keys = await readFile(rootKeys, 'utf8').catch(() => '');
  if (!keys.split('\n').includes(access.publicKey))
    await writeFile(rootKeys, `${keys}${keys && !keys.endsWith('\n') ? '\n' : ''}${access.publicKey}\n`, {
      mode: 0o600,
    });
  await writeFile(
    join(etc, 'sshd_config'),
    [
      `# kelpie lab host ${host.name}`,
      `ListenAddress ${host.ip}`,
      `Port ${SSH_PORT}`,
      'HostKey /etc/ssh/ssh_host_ed25519_key',
      `PidFile ${sshdPidFile(host)}`,
      'PermitRootLogin yes',
      'PasswordAuthentication yes',
      'KbdInteractiveAuthentication no',
      'UsePAM no',
      'AuthorizedKeysFile /etc/ssh/authorized_keys/%u',
      'Subsystem sftp internal-sftp',
      '',
    ].join('\n'),
  );
  const hash = (await runOrThrow('openssl', ['passwd', '-6', '-stdin'], { input: access.password })).trim();
  const shadow = (await readFile('/etc/shadow', 'utf8'))
    .split('\n')
    .map((line) => (line.startsWith('root:') ? ['root', hash, ...line.split(':').slice(2)].join(':') : line))
    .join('\n');
  await writeFile(join(host.dir, 'shadow'), shadow, { mode: 0o640 });
}

/** A new host key (first start, or a test simulating a reinstalled host); sshd uses it from the next connection. */
export async function newHostKey(host: HostLayout): Promise<string> {
  const key = join(host.dir, 'etc-ssh', 'ssh_host_ed25519_key');
  await rm(key, { force: true });
  await rm(`${key}.pub`, { force: true });
  await runOrThrow('ssh-keygen', ['-q', '-t', 'ed25519', '-N', '', '-C', `lab-${host.name}`, '-f', key]);
  await chmod(key, 0o600);
  return hostKeyFingerprint(host);
}

/** SHA256:… of the host's key, as `ssh-keygen -l` prints it (what an admin would compare). */
export async function hostKeyFingerprint(host: HostLayout): Promise<string> {
  const out = await runOrThrow('ssh-keygen', [
    '-l',
    '-E',
    'sha256',
    '-f',
    join(host.dir, 'etc-ssh', 'ssh_host_ed25519_key.pub'),
  ]);
  return out.split(' ')[1]!;
}

/** Binds the host's SSH directories inside its mount namespace (once: also for hosts started before
 * they existed), then starts its sshd unless it runs. */
export async function ensureHostSshd(host: HostLayout, anchorPid: number): Promise<void> {
  if (await isAliveInNetns(await readPidFile(sshdPidFile(host)), host.netns)) return;
  const nsenter = ['-t', String(anchorPid), '-m', '-n', '--'];
  const bound = await run('nsenter', [
    ...nsenter,
    'grep',
    '-q',
    `kelpie lab host ${host.name}`,
    '/etc/ssh/sshd_config',
  ]);
  if (bound.code !== 0)
    for (const [dir, target] of Object.entries(HOST_SSH_BINDS)) {
      if (dir !== 'shadow') await runOrThrow('nsenter', [...nsenter, 'mkdir', '-p', target]);
      await runOrThrow('nsenter', [...nsenter, 'mount', '--bind', join(host.dir, dir), target]);
    }
  await runOrThrow('nsenter', [...nsenter, 'mkdir', '-p', '/run/sshd']);
  await runOrThrow('nsenter', [...nsenter, '/usr/sbin/sshd', '-f', '/etc/ssh/sshd_config']);
}
