import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { hostUsesLockd, lockdConfigured } from './lock-manager';

describe('lock manager of the host (qemu.conf)', () => {
  it('an active lock_manager = "lockd" line turns it on; comments and other managers do not', () => {
    expect(lockdConfigured('#lock_manager = "lockd"\n')).toBe(false);
    expect(lockdConfigured('lock_manager = "lockd"\n')).toBe(true);
    expect(lockdConfigured('  lock_manager="lockd"  # kelpie\n')).toBe(true);
    expect(lockdConfigured('lock_manager = "sanlock"\n')).toBe(false);
    // The last setting wins, as in libvirt's parser.
    expect(lockdConfigured('lock_manager = "lockd"\nlock_manager = "nop"\n')).toBe(false);
  });

  it('reads the file at each call; a missing file is libvirt default (none)', async () => {
    const dir = await mkdtemp(join(tmpdir(), 'lockd-'));
    try {
      const file = join(dir, 'qemu.conf');
      expect(await hostUsesLockd(file)).toBe(false);
      await writeFile(file, 'lock_manager = "lockd"\n');
      expect(await hostUsesLockd(file)).toBe(true);
    } finally {
      await rm(dir, { recursive: true, force: true });
    }
  });
});
