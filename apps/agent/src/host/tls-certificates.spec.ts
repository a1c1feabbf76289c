import { mkdtempSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { groupId, installHostTls } from './tls-certificates';

describe('installHostTls', () => {
  let dir: string;
  beforeEach(() => (dir = mkdtempSync(join(tmpdir(), 'kelpie-pki-'))));
  afterEach(() => rmSync(dir, { recursive: true, force: true }));
  const tls = { caCertPem: 'CA\n', certPem: 'CERT\n', keyPem: 'KEY\n' };

  it('writes libvirt’s and QEMU’s files with the keys readable only by root (and QEMU’s group)', async () => {
    const groups = join(dir, 'group');
    writeFileSync(groups, 'root:x:0:\nlibvirt-qemu:x:64055:libvirt-qemu\n');
    const pki = join(dir, 'pki');
    const changed = await installHostTls(pki, tls, groups);
    expect(changed).toHaveLength(10);
    const at = (p: string) => ({
      text: readFileSync(join(pki, p), 'utf8'),
      mode: statSync(join(pki, p)).mode & 0o777,
    });
    expect(at('CA/cacert.pem')).toEqual({ text: 'CA\n', mode: 0o644 });
    expect(at('qemu/ca-cert.pem')).toEqual({ text: 'CA\n', mode: 0o644 });
    expect(at('libvirt/servercert.pem')).toEqual({ text: 'CERT\n', mode: 0o644 });
    expect(at('libvirt/private/clientkey.pem')).toEqual({ text: 'KEY\n', mode: 0o600 });
    expect(statSync(join(pki, 'libvirt/private')).mode & 0o777).toBe(0o700);
    expect(at('qemu/server-key.pem')).toEqual({ text: 'KEY\n', mode: 0o640 });
    expect(statSync(join(pki, 'qemu/server-key.pem')).gid).toBe(64055);
    // A restart with the same credentials changes nothing; a re-issued certificate replaces the files.
    expect(await installHostTls(pki, tls, groups)).toEqual([]);
    expect(await installHostTls(pki, { ...tls, certPem: 'NEW\n' }, groups)).toHaveLength(4);
  });

  it('keeps QEMU’s key root-only where no QEMU group exists', async () => {
    const pki = join(dir, 'pki');
    await installHostTls(pki, tls, join(dir, 'no-such-group-file'));
    expect(statSync(join(pki, 'qemu/client-key.pem')).mode & 0o777).toBe(0o600);
  });

  it('finds the first group that exists', async () => {
    const groups = join(dir, 'group');
    writeFileSync(groups, 'qemu:x:107:\n');
    expect(await groupId(groups, ['libvirt-qemu', 'qemu'])).toBe(107);
    expect(await groupId(groups, ['nobody-here'])).toBeUndefined();
  });
});
