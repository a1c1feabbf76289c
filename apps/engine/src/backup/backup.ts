import { chmod, copyFile, mkdir, readdir, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import type { EngineConfig } from '../config/config.schema';
import { BACKUP_FORMAT, BackupManifest, DATABASE_DUMP, describeFile, MANIFEST } from './backup-manifest';
import { keyFilesOf } from './backup-keys';
import { schemaVersionOf } from './backup.repository';
import { runPgTool } from './pg-tools';

/**
 * An online, consistent backup into `dir` (new or empty; made 0700): the database as one pg_dump
 * snapshot (custom format), the engine's key files, and a manifest with their checksums. Engines keep
 * running: pg_dump reads inside one repeatable-read transaction.
 */
export async function createBackup(config: EngineConfig, dir: string): Promise<BackupManifest> {
  await mkdir(dir, { recursive: true, mode: 0o700 });
  if ((await readdir(dir)).length) throw new Error(`${dir} is not empty: back up into a new directory`);
  await chmod(dir, 0o700);
  const schemaVersion = await schemaVersionOf(config.databaseUrl);
  await runPgTool(
    'pg_dump',
    ['--format=custom', '--no-owner', '--no-privileges', `--file=${join(dir, DATABASE_DUMP)}`],
    config.databaseUrl,
  );
  await chmod(join(dir, DATABASE_DUMP), 0o600);
  const files = [await describeFile(dir, DATABASE_DUMP)];
  await mkdir(join(dir, 'keys'), { mode: 0o700 });
  for (const key of keyFilesOf(config)) {
    const name = join('keys', key.name);
    await copyFile(key.path, join(dir, name)).catch((e: NodeJS.ErrnoException) => {
      throw new Error(
        `cannot read the engine key ${key.path} (${e.code ?? e.message}); run the backup where the engine's keys are`,
      );
    });
    await chmod(join(dir, name), 0o600);
    files.push(await describeFile(dir, name));
  }
  const manifest: BackupManifest = {
    format: BACKUP_FORMAT,
    createdAt: new Date().toISOString(),
    schemaVersion,
    redisPrefix: config.redisPrefix,
    files,
  };
  await writeFile(join(dir, MANIFEST), JSON.stringify(manifest, null, 2) + '\n', { mode: 0o600 });
  return manifest;
}
