import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { BACKUP_FORMAT, describeFile, verifiedManifest } from './backup-manifest';
import { libpqEnv } from './pg-tools';

describe('libpqEnv', () => {
  it('hands the password to libpq in the environment, decoded, and the rest of the URL', () => {
    expect(libpqEnv('postgres://kelpie:p%40ss@db.example:6543/kelpie_prod?sslmode=require')).toEqual({
      PGHOST: 'db.example',
      PGPORT: '6543',
      PGDATABASE: 'kelpie_prod',
      PGUSER: 'kelpie',
      PGPASSWORD: 'p@ss',
      PGSSLMODE: 'require',
    });
    expect(libpqEnv('postgres://127.0.0.1/k')).toEqual({
      PGHOST: '127.0.0.1',
      PGPORT: '5432',
      PGDATABASE: 'k',
    });
  });
});

describe('verifiedManifest', () => {
  let dir: string;
  beforeEach(async () => {
    dir = await mkdtemp(join(tmpdir(), 'kelpie-manifest-'));
    await writeFile(join(dir, 'database.dump'), 'dump');
  });
  afterEach(() => rm(dir, { recursive: true, force: true }));

  const writeManifest = async (extra: object = {}) =>
    writeFile(
      join(dir, 'manifest.json'),
      JSON.stringify({
        format: BACKUP_FORMAT,
        createdAt: 'x',
        schemaVersion: null,
        redisPrefix: 'kelpie',
        ...extra,
      }),
    );

  it('accepts an intact backup and refuses an altered, a missing file or another format', async () => {
    await writeManifest({ files: [await describeFile(dir, 'database.dump')] });
    await expect(verifiedManifest(dir)).resolves.toMatchObject({ redisPrefix: 'kelpie' });
    await writeFile(join(dir, 'database.dump'), 'dumq');
    await expect(verifiedManifest(dir)).rejects.toThrow('database.dump is altered');
    await rm(join(dir, 'database.dump'));
    await expect(verifiedManifest(dir)).rejects.toThrow('database.dump is missing');
    await writeManifest({ format: 99, files: [] });
    await expect(verifiedManifest(dir)).rejects.toThrow('backup format 99');
  });
});
