import { mkdtempSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { SecretBox } from './secret-box';

describe('SecretBox', () => {
  const dir = mkdtempSync(join(tmpdir(), 'kelpie-secret-'));
  const secretKeyFile = join(dir, 'keys', 'secret-key');

  it('creates its key at first boot (0600) and opens what it sealed, also after a restart', () => {
    const sealed = new SecretBox({ secretKeyFile }).seal('hunter2', 'host-1');
    expect(statSync(secretKeyFile).mode & 0o777).toBe(0o600);
    expect(sealed).toMatch(/^v1:/);
    expect(sealed).not.toContain('hunter2');
    expect(new SecretBox({ secretKeyFile }).open(sealed, 'host-1')).toBe('hunter2');
  });

  it('refuses a ciphertext moved to another context, altered, or sealed under another key', () => {
    const box = new SecretBox({ secretKeyFile });
    const sealed = box.seal('hunter2', 'host-1');
    expect(() => box.open(sealed, 'host-2')).toThrow(/does not decrypt/);
    expect(() => box.open(`${sealed.slice(0, -4)}AAAA`, 'host-1')).toThrow(/does not decrypt/);
    const other = new SecretBox({ secretKeyFile: join(dir, 'other-key') });
    expect(() => other.open(sealed, 'host-1')).toThrow(/does not decrypt/);
  });
});
