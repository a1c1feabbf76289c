import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

/** Hands `xml` to a virsh call that reads a file: a private temp file (directory 0700, file 0600),
 * removed afterwards. */
export async function withXmlFile<T>(xml: string, fn: (file: string) => Promise<T>): Promise<T> {
  const dir = await mkdtemp(join(tmpdir(), 'kelpie-agent-'));
  const file = join(dir, 'input.xml');
  try {
    await writeFile(file, xml, { mode: 0o600, flag: 'wx' });
    return await fn(file);
  } finally {
    await rm(dir, { recursive: true, force: true });
  }
}
