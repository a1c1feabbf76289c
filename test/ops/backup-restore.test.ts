import { virsh } from '@kelpie/lab';
import type { Task, Vm } from '@kelpie/shared-types';
import { execFile } from 'node:child_process';
import { mkdtemp, readFile, rm, stat, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { promisify } from 'node:util';
import { authEnv } from '../support/auth';
import { startTestEngine } from '../support/engine';
import { eventually, startTestPlatform, TestPlatform } from '../support/platform';
import { createTestDatabase, TestDatabase } from '../support/services';
import { apiOk, defineTestVm, taskDone, TestVm, uriOf } from '../vm/support-ks';

/** `kelpie backup` / `kelpie restore` (lab kbr1, 1 host): an online backup, changes made after it,
 * the database lost, a restore into a new database, and the restored engine reconciling with libvirt. */
const CLI = resolve(__dirname, '../../apps/engine/dist/tools/kelpie.js');
const run = promisify(execFile);

let p: TestPlatform;
let work: string;
let restoredDb: TestDatabase | undefined;

/** The engine's key files in a directory of their own (each engine of the test has one). */
const keysIn = (dir: string) => ({
  KELPIE_COMMAND_KEY_FILE: join(dir, 'signing.pem'),
  KELPIE_CA_FILE: join(dir, 'ca.pem'),
  KELPIE_SECRET_KEY_FILE: join(dir, 'secret.key'),
  KELPIE_SSH_KEY_FILE: join(dir, 'ssh.pem'),
});

const cliEnv = (databaseUrl: string, keyDir: string) => ({
  ...process.env,
  ...authEnv(),
  KELPIE_DATABASE_URL: databaseUrl,
  KELPIE_REDIS_URL: process.env.KELPIE_TEST_REDIS_URL,
  KELPIE_REDIS_PREFIX: p.engine.config.redisPrefix,
  ...keysIn(keyDir),
});

async function kelpie(args: string[], env: NodeJS.ProcessEnv): Promise<{ code: number; out: string }> {
  try {
    const r = await run(process.execPath, [CLI, ...args], { env });
    return { code: 0, out: r.stdout + r.stderr };
  } catch (e) {
    const err = e as { code: number; stdout: string; stderr: string };
    return { code: err.code, out: err.stdout + err.stderr };
  }
}

const vmOf = async (id: string) => (await p.engine.api('GET', `/api/v1/vms/${id}`)).body as Vm;

beforeAll(async () => {
  work = await mkdtemp(join(tmpdir(), 'kelpie-backup-'));
  p = await startTestPlatform({
    labName: 'kbr1',
    subnet: 170,
    hosts: 1,
    engineEnv: keysIn(join(work, 'engine-a')),
  });
}, 180_000);

afterAll(async () => {
  await p?.close();
  await restoredDb?.drop().catch(() => undefined);
  await rm(work, { recursive: true, force: true });
});

describe('kelpie backup and restore', () => {
  let kept: TestVm;
  let gone: TestVm;
  let later: TestVm;
  const backupDir = () => join(work, 'backup');

  it('backs up online: a dump, the signing key and a manifest, readable by root only, no password inside', async () => {
    kept = await defineTestVm(p, 'kbr-kept');
    gone = await defineTestVm(p, 'kbr-gone');
    const r = await kelpie(['backup', '--out', backupDir()], cliEnv(p.engine.db.url, join(work, 'engine-a')));
    expect(r).toMatchObject({ code: 0 });
    const manifest = JSON.parse(await readFile(join(backupDir(), 'manifest.json'), 'utf8'));
    expect(manifest.files.map((f: { name: string }) => f.name)).toEqual([
      'database.dump',
      'keys/command-signing-key.pem',
      'keys/engine-ca.pem',
      'keys/secret-key',
      'keys/engine-ssh-key.pem',
    ]);
    expect(manifest.schemaVersion).toMatch(/^[A-Za-z]+\d+$/);
    expect((await stat(backupDir())).mode & 0o777).toBe(0o700);
    expect((await stat(join(backupDir(), 'keys/command-signing-key.pem'))).mode & 0o777).toBe(0o600);
    // The database password travels in PGPASSWORD, never into the backup's metadata.
    const password = new URL(p.engine.db.url).password;
    if (password) expect(JSON.stringify(manifest)).not.toContain(password);
  });

  it('after changes and the loss of the database, restores into a new one; the engine reconciles with libvirt', async () => {
    // Changes after the backup: one VM deleted (domain gone), one made (record not in the backup).
    const del = await p.engine.api('DELETE', `/api/v1/vms/${gone.id}?force=true`);
    expect(del.status).toBe(202);
    await taskDone(p, del.body as Task);
    later = await defineTestVm(p, 'kbr-later');
    const prefix = p.engine.config.redisPrefix;
    await p.engine.close(); // drops the engine's database: the disaster
    restoredDb = await createTestDatabase();
    const keyDir = join(work, 'engine-b');
    const r = await kelpie(['restore', '--from', backupDir()], cliEnv(restoredDb.url, keyDir));
    expect(r).toMatchObject({ code: 0 });
    expect(await readFile(join(keyDir, 'signing.pem'))).toEqual(
      await readFile(join(backupDir(), 'keys/command-signing-key.pem')),
    );
    expect(await readFile(join(keyDir, 'ca.pem'))).toEqual(
      await readFile(join(backupDir(), 'keys/engine-ca.pem')),
    );
    expect(await readFile(join(keyDir, 'ssh.pem'))).toEqual(
      await readFile(join(backupDir(), 'keys/engine-ssh-key.pem')),
    );
    p.engine = await startTestEngine(keysIn(keyDir), { db: restoredDb, redisPrefix: prefix });

    // The inventory converges with libvirt: the deleted VM's record is back but its domain is not.
    await eventually(
      'kbr-gone shown as not defined',
      async () => (await vmOf(gone.id)).statusReason === 'not defined on its host',
      30_000,
      250,
    );
    expect(await virsh(uriOf(p), ['domstate', gone.id])).toMatchObject({ code: 1 });
    // The VM made after the backup is found on its host as an external VM.
    await eventually(
      'kbr-later found as external',
      async () => {
        const list = (await p.engine.api('GET', '/api/v1/vms?q=kbr-later')).body as { items: Vm[] };
        return list.items.some((v) => v.name === later.name && v.external);
      },
      30_000,
      250,
    );
    // The host still obeys the restored engine (same signing key, its Redis user re-applied).
    const start = await p.engine.api('POST', `/api/v1/vms/${kept.id}/start`);
    expect(start.status).toBe(202);
    expect(await taskDone(p, start.body as Task)).toMatchObject({ status: 'succeeded' });
    expect((await virsh(uriOf(p), ['domstate', kept.id])).stdout.trim()).toBe('running');
    expect((await apiOk<Vm>(p, 'GET', `/api/v1/vms/${kept.id}`)).status).toBe('up');
  });

  it('refuses to restore over a database with tables, or from an altered backup; nothing is written', async () => {
    const over = await kelpie(
      ['restore', '--from', backupDir()],
      cliEnv(restoredDb!.url, join(work, 'engine-b')),
    );
    expect(over.code).toBe(1);
    expect(over.out).toContain('restore into a new, empty database');

    const dump = join(backupDir(), 'database.dump');
    const bytes = await readFile(dump);
    bytes[bytes.length - 1] ^= 0xff;
    await writeFile(dump, bytes);
    const empty = await createTestDatabase();
    try {
      const altered = await kelpie(
        ['restore', '--from', backupDir()],
        cliEnv(empty.url, join(work, 'c.pem')),
      );
      expect(altered.code).toBe(1);
      expect(altered.out).toContain('database.dump is altered');
      await expect(stat(join(work, 'c.pem'))).rejects.toThrow();
    } finally {
      await empty.drop();
    }
  });
});
