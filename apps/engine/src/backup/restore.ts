import { chmod, copyFile, mkdir, readFile } from 'node:fs/promises';
import { dirname, join } from 'node:path';
import type { EngineConfig } from '../config/config.schema';
import { keyFilesOf } from './backup-keys';
import { BackupManifest, DATABASE_DUMP, verifiedManifest } from './backup-manifest';
import { tableCount } from './backup.repository';
import { libpqEnv, runPgTool } from './pg-tools';

export interface RestoreOptions {
  /** Replace key files that exist with different content (a deliberate move to the backup's keys). */
  replaceKeys?: boolean;
  /** The schema migrations this engine knows, oldest first: a dump from a newer engine is refused. */
  knownMigrations: string[];
}

async function sameContent(a: string, b: string): Promise<boolean | null> {
  const existing = await readFile(b).catch(() => null);
  if (!existing) return null;
  return existing.equals(await readFile(a));
}

/**
 * Restores a backup into a fresh stack: the configured database must be empty (restoring over a
 * live inventory would mix two histories). Everything is checked before anything is written. The
 * engine started afterwards migrates the schema if the backup is older and reconciles the inventory
 * with what the hosts report (domains made since the backup appear as external VMs; VMs deleted
 * since show as not defined on their host).
 */
export async function restoreBackup(
  config: EngineConfig,
  dir: string,
  options: RestoreOptions,
): Promise<BackupManifest> {
  const manifest = await verifiedManifest(dir);
  if (manifest.schemaVersion && !options.knownMigrations.includes(manifest.schemaVersion))
    throw new Error(
      `the backup's schema (${manifest.schemaVersion}) is newer than this engine knows; restore with the Kelpie release that made it or a later one`,
    );
  if (manifest.redisPrefix !== config.redisPrefix)
    throw new Error(
      `the backup was made with KELPIE_REDIS_PREFIX=${manifest.redisPrefix}, this engine uses ${config.redisPrefix}: enrolled agents log in under the backup's prefix, set it`,
    );
  const tables = await tableCount(config.databaseUrl);
  if (tables > 0)
    throw new Error(`the target database already has ${tables} table(s): restore into a new, empty database`);
  const keys = keyFilesOf(config);
  for (const key of keys) {
    const same = await sameContent(join(dir, 'keys', key.name), key.path);
    if (same === false && !options.replaceKeys)
      throw new Error(
        `${key.path} exists with another key than the backup's; agents enrolled by the backup's engine obey only the backup's key (--replace-keys to use it)`,
      );
  }
  // Only the database's name goes on the command line; host, user and password travel in PG* variables.
  const { PGDATABASE } = libpqEnv(config.databaseUrl);
  await runPgTool(
    'pg_restore',
    [
      '--no-owner',
      '--no-privileges',
      '--exit-on-error',
      '--single-transaction',
      `--dbname=${PGDATABASE}`,
      join(dir, DATABASE_DUMP),
    ],
    config.databaseUrl,
  );
  for (const key of keys) {
    await mkdir(dirname(key.path), { recursive: true, mode: 0o700 });
    await copyFile(join(dir, 'keys', key.name), key.path);
    await chmod(key.path, 0o600);
  }
  return manifest;
}
