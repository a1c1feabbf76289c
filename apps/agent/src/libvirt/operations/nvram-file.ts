import { NVRAM_MAX_BYTES, type NvramContent } from '@kelpie/shared-types';
import { createHash, randomBytes } from 'node:crypto';
import { open, readFile, rename, rm, stat } from 'node:fs/promises';
import { dirname, basename, join } from 'node:path';
import { AgentError } from '../../errors/agent-error';

const sha256 = (b: Buffer) => createHash('sha256').update(b).digest('hex');

/** A UEFI VM's NVRAM file, whole; null when there is none (the domain never started on this host). */
export async function readNvram(path: string): Promise<NvramContent | null> {
  let bytes: Buffer;
  try {
    const { size } = await stat(path);
    if (size > NVRAM_MAX_BYTES)
      throw new AgentError('operation_invalid', `${path} is ${size} bytes: more than an NVRAM file holds`);
    bytes = await readFile(path);
  } catch (e) {
    if ((e as NodeJS.ErrnoException).code === 'ENOENT') return null;
    throw e;
  }
  if (!bytes.length) return null;
  return { base64: bytes.toString('base64'), sha256: sha256(bytes), sizeBytes: bytes.length };
}

/** Writes an exported NVRAM file: checked against its digest, written and flushed under a temporary
 * name beside it, then renamed over the path (a crash leaves the old file or the new one, never half
 * of it). Owner-only: libvirt gives it to QEMU's user at start. */
export async function writeNvram(
  path: string,
  content: NvramContent,
): Promise<{ path: string; sha256: string }> {
  const bytes = Buffer.from(content.base64, 'base64');
  if (bytes.length !== content.sizeBytes || sha256(bytes) !== content.sha256)
    throw new AgentError(
      'invalid_payload',
      `NVRAM content does not match its digest (${bytes.length} bytes, ${content.sizeBytes} announced)`,
    );
  const tmp = join(dirname(path), `.${basename(path)}.${randomBytes(6).toString('hex')}.tmp`);
  try {
    const fh = await open(tmp, 'wx', 0o600);
    try {
      await fh.writeFile(bytes);
      await fh.sync();
    } finally {
      await fh.close();
    }
    await rename(tmp, path);
  } catch (e) {
    await rm(tmp, { force: true });
    throw e;
  }
  return { path, sha256: content.sha256 };
}
