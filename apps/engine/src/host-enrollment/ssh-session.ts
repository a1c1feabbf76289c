import { createHash } from 'node:crypto';
import { Client, type ConnectConfig, type SFTPWrapper } from 'ssh2';

/** How the engine logs in for one enrollment. Held in memory for that enrollment only, never stored. */
export type SshAuth = { password: string } | { privateKey: string; passphrase?: string };

export interface SshTarget {
  address: string;
  port: number;
  user: string;
}

/** A host's SSH key as the engine pins it: `<type> <base64>` and its OpenSSH SHA256 fingerprint. */
export interface HostKey {
  type: string;
  publicKey: string;
  fingerprint: string;
}

export interface ExecResult {
  code: number;
  stdout: string;
  stderr: string;
}

/** Failures the enrollment explains to the admin, each with what to fix. */
export class SshError extends Error {
  constructor(
    readonly kind: 'unreachable' | 'auth' | 'host_key' | 'command',
    message: string,
  ) {
    super(message);
  }
}

const CONNECT_TIMEOUT_MS = 15_000;

/** `SHA256:<base64 without padding>` of the key blob, as `ssh-keygen -l` prints it. */
export function fingerprintOf(blob: Buffer): string {
  return `SHA256:${createHash('sha256').update(blob).digest('base64').replace(/=+$/, '')}`;
}

export function hostKeyOf(blob: Buffer): HostKey {
  const length = blob.length >= 4 ? blob.readUInt32BE(0) : 0;
  const type = blob.subarray(4, 4 + length).toString('ascii') || 'unknown';
  return { type, publicKey: `${type} ${blob.toString('base64')}`, fingerprint: fingerprintOf(blob) };
}

/** One POSIX-shell word per argument: an SSH exec request is a string, so the argv is quoted, never joined. */
export function shellQuote(argv: readonly string[]): string {
  return argv.map((a) => (/^[A-Za-z0-9_./:=@%+-]+$/.test(a) ? a : `'${a.replace(/'/g, `'\\''`)}'`)).join(' ');
}

function explainConnectError(target: SshTarget, err: Error & { level?: string; code?: string }): SshError {
  const where = `${target.address}:${target.port}`;
  if (err.level === 'client-authentication')
    return new SshError(
      'auth',
      `${target.user}@${where} refused the credentials (wrong password or key not authorized): check them and that sshd allows this login for ${target.user}`,
    );
  if (err.code === 'ECONNREFUSED')
    return new SshError(
      'unreachable',
      `nothing listens for SSH at ${where} (connection refused): check the address, the port and that sshd runs`,
    );
  if (err.code === 'EHOSTUNREACH' || err.code === 'ENETUNREACH' || err.code === 'ENOTFOUND')
    return new SshError(
      'unreachable',
      `${target.address} cannot be reached from the engine (${err.code}): check the address and the routing`,
    );
  if (/timed out/i.test(err.message))
    return new SshError(
      'unreachable',
      `no SSH answer from ${where} within ${CONNECT_TIMEOUT_MS / 1000} s: check the address, the port and firewalls`,
    );
  return new SshError('unreachable', `SSH to ${where} failed: ${err.message}`);
}

/** Connects without logging in, only to read the key the host offers (for the admin to confirm it). */
export async function readHostKey(target: Pick<SshTarget, 'address' | 'port'>): Promise<HostKey> {
  let seen: HostKey | undefined;
  const client = new Client();
  return new Promise<HostKey>((resolve, reject) => {
    client.on('error', (err: Error & { level?: string; code?: string }) => {
      client.end();
      if (seen) resolve(seen);
      else reject(explainConnectError({ ...target, user: 'root' }, err));
    });
    client.on('ready', () => {
      client.end();
      if (seen) resolve(seen);
    });
    client.connect({
      host: target.address,
      port: target.port,
      username: 'kelpie-host-key-probe',
      readyTimeout: CONNECT_TIMEOUT_MS,
      hostVerifier: (key: Buffer) => {
        seen = hostKeyOf(key);
        return false; // stop here: no authentication is attempted
      },
    });
  });
}

/** A logged-in SSH connection whose host key matched the expected fingerprint. */
export class SshSession {
  private sftpChannel?: SFTPWrapper;

  private constructor(
    private readonly client: Client,
    readonly hostKey: HostKey,
  ) {}

  static async open(target: SshTarget, auth: SshAuth, expectedFingerprint: string): Promise<SshSession> {
    const client = new Client();
    let offered: HostKey | undefined;
    const config: ConnectConfig = {
      host: target.address,
      port: target.port,
      username: target.user,
      readyTimeout: CONNECT_TIMEOUT_MS,
      tryKeyboard: false,
      hostVerifier: (key: Buffer) => {
        offered = hostKeyOf(key);
        return offered.fingerprint === expectedFingerprint;
      },
      ...auth,
    };
    return new Promise<SshSession>((resolve, reject) => {
      client.on('error', (err: Error & { level?: string; code?: string }) => {
        client.end();
        if (offered && offered.fingerprint !== expectedFingerprint)
          reject(
            new SshError(
              'host_key',
              `the host key of ${target.address}:${target.port} is ${offered.fingerprint} (${offered.type}), not the expected ${expectedFingerprint}: ` +
                'refused, nothing was done on the host. If the host was reinstalled, check the new key on its console and enroll it again as a new host',
            ),
          );
        else reject(explainConnectError(target, err));
      });
      client.on('ready', () => resolve(new SshSession(client, offered!)));
      try {
        client.connect(config);
      } catch (e) {
        // e.g. a private key ssh2 cannot parse, or a wrong passphrase
        reject(new SshError('auth', `the private key cannot be used: ${(e as Error).message}`));
      }
    });
  }

  /** Runs argv on the host (quoted for its shell); resolves with the exit code, never throws on != 0. */
  exec(argv: readonly string[], input?: string | Buffer, timeoutMs = 120_000): Promise<ExecResult> {
    return new Promise<ExecResult>((resolve, reject) => {
      this.client.exec(shellQuote(argv), (err, stream) => {
        if (err) return reject(new SshError('command', `${argv[0]}: ${err.message}`));
        const out: Buffer[] = [];
        const errOut: Buffer[] = [];
        const timer = setTimeout(() => {
          stream.close();
          reject(new SshError('command', `${argv.join(' ')} did not finish within ${timeoutMs / 1000} s`));
        }, timeoutMs);
        stream.on('data', (d: Buffer) => out.push(d));
        stream.stderr.on('data', (d: Buffer) => errOut.push(d));
        stream.on('close', (code: number | null) => {
          clearTimeout(timer);
          resolve({
            code: code ?? 255,
            stdout: Buffer.concat(out).toString('utf8'),
            stderr: Buffer.concat(errOut).toString('utf8'),
          });
        });
        stream.end(input);
      });
    });
  }

  /** exec that fails with the command's stderr when it exits non-zero. */
  async run(argv: readonly string[], input?: string | Buffer): Promise<string> {
    const r = await this.exec(argv, input);
    if (r.code !== 0)
      throw new SshError(
        'command',
        `${argv.join(' ')} exited ${r.code}: ${(r.stderr || r.stdout).trim().slice(0, 500)}`,
      );
    return r.stdout;
  }

  /** Writes a file over SFTP, created with `mode` (a new name each time: SFTP keeps an existing file's mode). */
  async writeFile(path: string, data: string | Buffer, mode: number): Promise<void> {
    const sftp = await this.sftp();
    await new Promise<void>((resolve, reject) =>
      sftp.writeFile(path, data, { mode }, (err) =>
        err ? reject(new SshError('command', `writing ${path}: ${err.message}`)) : resolve(),
      ),
    );
  }

  close(): void {
    this.client.end();
  }

  private async sftp(): Promise<SFTPWrapper> {
    if (this.sftpChannel) return this.sftpChannel;
    this.sftpChannel = await new Promise<SFTPWrapper>((resolve, reject) =>
      this.client.sftp((err, sftp) =>
        err ? reject(new SshError('command', `SFTP is not available: ${err.message}`)) : resolve(sftp),
      ),
    );
    return this.sftpChannel;
  }
}
