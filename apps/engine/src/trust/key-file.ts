import { linkSync, mkdirSync, readFileSync, statSync, unlinkSync, writeFileSync } from 'node:fs';
import { dirname } from 'node:path';

/**
 * The content of an engine key file (`setting` names it in errors), created with `generate()` when
 * absent — atomically (written aside, then hard-linked: of engines booting together, one key wins) and
 * private (file 0600, directory 0700). A key readable by others is refused: the engine would rather
 * not start than sign or decrypt with a key anyone on the machine may have copied.
 */
export function loadOrCreateKeyFile(file: string, setting: string, generate: () => string | Buffer): Buffer {
  try {
    return readKeyFile(file, setting);
  } catch (e) {
    if ((e as NodeJS.ErrnoException).code !== 'ENOENT') throw e;
  }
  mkdirSync(dirname(file), { recursive: true, mode: 0o700 });
  const temp = `${file}.${process.pid}.${Date.now()}.tmp`;
  writeFileSync(temp, generate(), { mode: 0o600, flag: 'wx' });
  try {
    linkSync(temp, file);
  } catch (e) {
    if ((e as NodeJS.ErrnoException).code !== 'EEXIST') throw e;
  } finally {
    unlinkSync(temp);
  }
  return readKeyFile(file, setting);
}

function readKeyFile(file: string, setting: string): Buffer {
  const mode = statSync(file).mode;
  if ((mode & 0o077) !== 0)
    throw new Error(
      `${setting} ${file} is readable by others (mode ${(mode & 0o777).toString(8)}): chmod 600 it`,
    );
  return readFileSync(file);
}
