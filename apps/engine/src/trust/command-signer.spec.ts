import { commandSigningInput, type CommandEnvelope } from '@kelpie/shared-types';
import { verify } from 'node:crypto';
import { chmodSync, mkdtempSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { CommandSigner } from './command-signer';

const envelope: CommandEnvelope = { name: 'vm.start', protocolVersion: 1, payload: { uuid: 'u-1' } };

describe('CommandSigner', () => {
  const dir = mkdtempSync(join(tmpdir(), 'kelpie-signer-'));
  const file = join(dir, 'keys', 'command.pem');

  it('creates its key at first boot (0600 in a 0700 directory) and reuses it afterwards', () => {
    const first = new CommandSigner({ commandKeyFile: file });
    expect(statSync(file).mode & 0o777).toBe(0o600);
    expect(statSync(join(dir, 'keys')).mode & 0o777).toBe(0o700);
    expect(new CommandSigner({ commandKeyFile: file }).publicKeyPem).toBe(first.publicKeyPem);
    expect(first.publicKeyPem).toMatch(/^-----BEGIN PUBLIC KEY-----/);
  });

  it('signs host id, job id, envelope and issue time; any change breaks the signature', () => {
    const signer = new CommandSigner({ commandKeyFile: file });
    const signed = signer.sign('host-a', 'job-1', envelope, 1000);
    expect(signed.signature!.issuedAt).toBe(1000);
    const ok = (hostId: string, jobId: string, env: CommandEnvelope, at: number) =>
      verify(
        null,
        Buffer.from(commandSigningInput(hostId, jobId, env, at)),
        signer.publicKeyPem,
        Buffer.from(signed.signature!.value, 'base64'),
      );
    expect(ok('host-a', 'job-1', signed, 1000)).toBe(true);
    expect(ok('host-b', 'job-1', signed, 1000)).toBe(false);
    expect(ok('host-a', 'job-2', signed, 1000)).toBe(false);
    expect(ok('host-a', 'job-1', signed, 1001)).toBe(false);
    expect(ok('host-a', 'job-1', { ...signed, payload: { uuid: 'u-2' } }, 1000)).toBe(false);
  });

  it('refuses to boot with a key file others can read', () => {
    chmodSync(file, 0o644);
    expect(() => new CommandSigner({ commandKeyFile: file })).toThrow(/readable by others.*chmod 600/);
    chmodSync(file, 0o600);
  });
});
