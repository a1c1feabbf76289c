import { ChildProcess, execFile, spawn } from 'node:child_process';
import { chown, mkdtemp, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { Client } from 'pg';
import type { TestDatabase } from './services';
import { freePort } from '@kelpie/test-support';

const BIN = process.env.KELPIE_TEST_POSTGRES_BIN ?? '/usr/lib/postgresql/15/bin';
const run = promisify(execFile);

/**
 * A Postgres server of a test's own (fault tests restart and kill it; the machine's shared Postgres
 * is never touched): a cluster initialised into a temp directory, trust auth, listening on 127.0.0.1
 * only, run as the `postgres` user (Postgres refuses to run as root).
 */
export interface PrivatePostgres {
  port: number;
  /** The `postgres` database of this server. */
  url: string;
  /** The same, as a TestDatabase for startTestEngine/startTestPlatform (dropping it stops nothing). */
  database: TestDatabase;
  /** Starts the server again after stop/kill (same data directory). */
  start(): Promise<void>;
  /** Fast shutdown (SIGINT): clients are disconnected, data is flushed. */
  stop(): Promise<void>;
  /** SIGKILL: a crash (the next start runs crash recovery). */
  kill(): Promise<void>;
  /** stop, then start after `downMs`. */
  restart(downMs?: number): Promise<void>;
  /** Stops the server and removes its directory. */
  destroy(): Promise<void>;
}

export interface PrivatePostgresOptions {
  /** Default: a free port chosen by the OS. */
  port?: number;
}

export async function startPrivatePostgres(options: PrivatePostgresOptions = {}): Promise<PrivatePostgres> {
  const dir = await mkdtemp(join(tmpdir(), 'kelpie-pg-'));
  const { uid, gid } = await userIds('postgres');
  await chown(dir, uid, gid);
  const data = join(dir, 'data');
  await run(join(BIN, 'initdb'), ['-D', data, '-U', 'postgres', '-A', 'trust', '-E', 'UTF8', '--no-sync'], {
    uid,
    gid,
    cwd: dir,
  });
  const port = options.port ?? (await freePort());
  const url = `postgres://postgres@127.0.0.1:${port}/postgres`;
  let server: ChildProcess | undefined;

  const start = async () => {
    if (server && server.exitCode === null && server.signalCode === null) return;
    const child = spawn(
      join(BIN, 'postgres'),
      [
        '-D',
        data,
        '-p',
        String(port),
        '-k',
        dir,
        '-c',
        'listen_addresses=127.0.0.1',
        '-c',
        'fsync=off',
        '-c',
        'max_connections=200',
      ],
      { uid, gid, cwd: dir, stdio: ['ignore', 'ignore', 'pipe'] },
    );
    let stderr = '';
    child.stderr?.on('data', (b: Buffer) => (stderr = (stderr + b.toString()).slice(-4000)));
    server = child;
    await waitReady(url, child, () => stderr);
  };
  const signal = async (sig: NodeJS.Signals) => {
    const child = server;
    if (!child || child.exitCode !== null || child.signalCode !== null) return;
    const exited = new Promise<void>((r) => child.once('exit', () => r()));
    child.kill(sig);
    await exited;
  };
  await start();
  return {
    port,
    url,
    database: { url, name: 'postgres', drop: async () => undefined },
    start,
    stop: () => signal('SIGINT'),
    kill: async () => {
      // The whole server dies at once, as in a power cut; orphaned backends would keep its memory.
      const children = server?.pid ? await childrenOf(server.pid) : [];
      await signal('SIGKILL');
      for (const pid of children) {
        try {
          process.kill(pid, 'SIGKILL');
        } catch {
          // already gone
        }
      }
    },
    restart: async (downMs = 0) => {
      await signal('SIGINT');
      if (downMs) await new Promise((r) => setTimeout(r, downMs));
      await start();
    },
    destroy: async () => {
      await signal('SIGINT').catch(() => undefined);
      await rm(dir, { recursive: true, force: true });
    },
  };
}

async function waitReady(url: string, child: ChildProcess, stderr: () => string): Promise<void> {
  const deadline = Date.now() + 30_000;
  while (Date.now() < deadline) {
    if (child.exitCode !== null) throw new Error(`private postgres exited: ${stderr()}`);
    const c = new Client({ connectionString: url });
    try {
      await c.connect();
      await c.query('SELECT 1');
      return;
    } catch {
      await new Promise((r) => setTimeout(r, 100));
    } finally {
      await c.end().catch(() => undefined);
    }
  }
  throw new Error(`private postgres not ready within 30 s: ${stderr()}`);
}

/** The server's processes below the postmaster (backends, checkpointer, …). */
async function childrenOf(pid: number): Promise<number[]> {
  const { stdout } = await run('pgrep', ['-P', String(pid)]).catch(() => ({ stdout: '' }));
  return stdout.split('\n').filter(Boolean).map(Number);
}

async function userIds(name: string): Promise<{ uid: number; gid: number }> {
  const passwd = await readFile('/etc/passwd', 'utf8');
  const line = passwd.split('\n').find((l) => l.startsWith(`${name}:`));
  if (!line) throw new Error(`no user ${name}: install the postgresql package`);
  const [, , uid, gid] = line.split(':');
  return { uid: Number(uid), gid: Number(gid) };
}
