import { createHash } from 'node:crypto';
import { readFile } from 'node:fs/promises';
import { join } from 'node:path';

export const BACKUP_FORMAT = 1;
export const MANIFEST = 'manifest.json';
export const DATABASE_DUMP = 'database.dump';

export interface BackupFile {
  /** Path inside the backup directory. */
  name: string;
  sha256: string;
  bytes: number;
}

export interface BackupManifest {
  format: number;
  createdAt: string;
  /** The newest schema migration in the dump: a restore into an older engine is refused. */
  schemaVersion: string | null;
  /** Agents' Redis users and queues are named by it: the restored engine must use the same one. */
  redisPrefix: string;
  files: BackupFile[];
}

export async function describeFile(dir: string, name: string): Promise<BackupFile> {
  const data = await readFile(join(dir, name));
  return { name, sha256: createHash('sha256').update(data).digest('hex'), bytes: data.length };
}

/** Reads a backup's manifest and checks every file against it: a truncated copy fails here. */
export async function verifiedManifest(dir: string): Promise<BackupManifest> {
  const manifest = JSON.parse(await readFile(join(dir, MANIFEST), 'utf8')) as BackupManifest;
  if (manifest.format !== BACKUP_FORMAT)
    throw new Error(
      `${dir}: backup format ${manifest.format} is not one this engine reads (${BACKUP_FORMAT})`,
    );
  for (const f of manifest.files) {
    const actual = await describeFile(dir, f.name).catch(() => null);
    if (!actual || actual.sha256 !== f.sha256)
      throw new Error(`${dir}: ${f.name} is ${actual ? 'altered' : 'missing'}; the backup cannot be trusted`);
  }
  return manifest;
}
