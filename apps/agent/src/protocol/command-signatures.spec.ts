import { commandSigningInput, COMMAND_SIGNATURE_MAX_AGE_MS } from '@kelpie/shared-types';
import { generateKeyPairSync, sign } from 'node:crypto';
import { AgentError } from '../errors/agent-error';
import { CommandSignatures } from './command-signatures';

const engine = generateKeyPairSync('ed25519');
const publicKeyPem = engine.publicKey.export({ type: 'spki', format: 'pem' }).toString();
const NOW = 1_800_000_000_000;
const HOST = 'host-a';

/** A job envelope as the engine's CommandSigner makes it, signed with `key`. */
function signed(hostId: string, jobId: string, issuedAt = NOW, key = engine.privateKey) {
  const envelope = { name: 'vm.start', protocolVersion: 1, payload: { uuid: 'u-1', flags: { b: 1, a: 2 } } };
  const value = sign(null, Buffer.from(commandSigningInput(hostId, jobId, envelope, issuedAt)), key);
  return { ...envelope, signature: { issuedAt, value: value.toString('base64') } };
}

function refusal(check: () => void): string {
  try {
    check();
  } catch (e) {
    expect(e).toBeInstanceOf(AgentError);
    expect((e as AgentError).code).toBe('signature_invalid');
    return (e as AgentError).message;
  }
  throw new Error('admitted');
}

describe('CommandSignatures', () => {
  const sigs = new CommandSignatures(HOST, publicKeyPem, () => NOW);

  it('admits a job the engine signed for this host and job id', () => {
    expect(() => sigs.admit('job-1', signed(HOST, 'job-1'), 'vm.start')).not.toThrow();
    // Key order does not matter (BullMQ's JSON round trip may reorder nothing, but the check must not care).
    const job = signed(HOST, 'job-1');
    const reordered = {
      signature: job.signature,
      payload: { flags: { a: 2, b: 1 }, uuid: 'u-1' },
      protocolVersion: 1,
      name: 'vm.start',
    };
    expect(() => sigs.admit('job-1', reordered, 'vm.start')).not.toThrow();
  });

  it('refuses an unsigned job', () => {
    const { signature: _dropped, ...unsigned } = signed(HOST, 'job-1');
    expect(refusal(() => sigs.admit('job-1', unsigned, 'vm.start'))).toMatch(/not signed/);
    expect(refusal(() => sigs.admit('job-1', undefined, 'vm.start'))).toMatch(/not signed/);
  });

  it('refuses a tampered payload, name or fence', () => {
    const job = signed(HOST, 'job-1');
    expect(
      refusal(() =>
        sigs.admit('job-1', { ...job, payload: { uuid: 'u-2', flags: { a: 2, b: 1 } } }, 'vm.start'),
      ),
    ).toMatch(/not the engine's/);
    expect(refusal(() => sigs.admit('job-1', { ...job, name: 'vm.destroy' }, 'vm.destroy'))).toMatch(
      /not the engine's/,
    );
    expect(
      refusal(() => sigs.admit('job-1', { ...job, fence: { taskId: 't', generation: 9 } }, 'vm.start')),
    ).toMatch(/not the engine's/);
    expect(
      refusal(() =>
        sigs.admit('job-1', { ...job, signature: { ...job.signature, issuedAt: NOW - 1 } }, 'vm.start'),
      ),
    ).toMatch(/not the engine's/);
  });

  it('refuses a job signed for another host or another job id, or with another key', () => {
    expect(refusal(() => sigs.admit('job-1', signed('host-b', 'job-1'), 'vm.start'))).toMatch(
      /for host host-a/,
    );
    expect(refusal(() => sigs.admit('job-2', signed(HOST, 'job-1'), 'vm.start'))).toMatch(/not the engine's/);
    const rogue = generateKeyPairSync('ed25519').privateKey;
    expect(refusal(() => sigs.admit('job-1', signed(HOST, 'job-1', NOW, rogue), 'vm.start'))).toMatch(
      /not the engine's/,
    );
  });

  it('refuses a stale job, and one issued too far in the future', () => {
    const stale = signed(HOST, 'job-1', NOW - COMMAND_SIGNATURE_MAX_AGE_MS - 1);
    expect(refusal(() => sigs.admit('job-1', stale, 'vm.start'))).toMatch(/too old/);
    const future = signed(HOST, 'job-1', NOW + 10 * 60_000);
    expect(refusal(() => sigs.admit('job-1', future, 'vm.start'))).toMatch(/future/);
    expect(() =>
      sigs.admit('job-1', signed(HOST, 'job-1', NOW - COMMAND_SIGNATURE_MAX_AGE_MS + 1000), 'vm.start'),
    ).not.toThrow();
  });

  it("without the engine's key (an agent deployed by hand) admits everything", () => {
    const open = new CommandSignatures(HOST, undefined);
    expect(open.enforced).toBe(false);
    expect(() => open.admit('job-1', { name: 'vm.start', payload: {} }, 'vm.start')).not.toThrow();
  });
});
