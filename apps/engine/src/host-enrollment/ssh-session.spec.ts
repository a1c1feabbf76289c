import { execFileSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { hostKeyOf, shellQuote } from './ssh-session';
import { envFile } from '@kelpie/shared-types';

describe('ssh helpers', () => {
  it('fingerprints a key exactly as ssh-keygen -l does', () => {
    const dir = mkdtempSync(join(tmpdir(), 'kelpie-fp-'));
    try {
      execFileSync('ssh-keygen', ['-q', '-t', 'ed25519', '-N', '', '-f', join(dir, 'k')]);
      const [type, b64] = readFileSync(join(dir, 'k.pub'), 'utf8').split(' ');
      const key = hostKeyOf(Buffer.from(b64!, 'base64'));
      const printed = execFileSync('ssh-keygen', ['-l', '-E', 'sha256', '-f', join(dir, 'k.pub')], {
        encoding: 'utf8',
      });
      expect(printed.split(' ')[1]).toBe(key.fingerprint);
      expect(key.type).toBe(type);
      expect(key.publicKey).toBe(`${type} ${b64}`);
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });

  it('quotes every argument for the remote shell', () => {
    expect(shellQuote(['ls', '-l', '/tmp/a b', "it's", '$(reboot)', ''])).toBe(
      `ls -l '/tmp/a b' 'it'\\''s' '$(reboot)' ''`,
    );
    const echoed = execFileSync('sh', ['-c', `printf '%s|' ${shellQuote(["a'b", '$HOME', '; rm -rf /'])}`], {
      encoding: 'utf8',
    });
    expect(echoed).toBe(`a'b|$HOME|; rm -rf /|`);
  });

  it('writes env files both systemd and sh read, refusing values that would break them', () => {
    expect(envFile({ A: 'x y', B: '/p' })).toBe(`A='x y'\nB='/p'\n`);
    expect(() => envFile({ A: "it's" })).toThrow(/A cannot be written/);
  });
});
