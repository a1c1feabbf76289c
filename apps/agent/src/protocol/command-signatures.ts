import {
  COMMAND_SIGNATURE_MAX_AGE_MS,
  COMMAND_SIGNATURE_MAX_SKEW_MS,
  CommandSignature,
  commandSigningInput,
} from '@kelpie/shared-types';
import { createPublicKey, verify, type KeyObject } from 'node:crypto';
import { AgentError } from '../errors/agent-error';

/**
 * Admits only command jobs the engine signed for this host and this job id, issued within the
 * window (ADR 0017): whoever holds this host's Redis credentials can write its queue (BullMQ needs
 * it), not sign. A replay under the job's own id inside the window meets the command journal, which
 * never runs a job id twice. Without the engine's key (an agent deployed by hand on the admin Redis
 * URL, whose holder can do anything anyway) every job is admitted.
 */
export class CommandSignatures {
  private readonly key?: KeyObject;

  constructor(
    private readonly hostId: string,
    publicKeyPem: string | undefined,
    private readonly now: () => number = Date.now,
  ) {
    if (publicKeyPem) this.key = createPublicKey(publicKeyPem);
  }

  get enforced(): boolean {
    return this.key !== undefined;
  }

  /** Lets the job run, or throws `signature_invalid` saying why. */
  admit(jobId: string, data: unknown, command: string): void {
    if (!this.key) return;
    const envelope = (data && typeof data === 'object' ? data : {}) as Record<string, unknown>;
    const sig = CommandSignature.safeParse(envelope.signature);
    if (!sig.success) throw refused(command, jobId, 'it is not signed');
    const { issuedAt, value } = sig.data;
    const input = Buffer.from(commandSigningInput(this.hostId, jobId, envelope, issuedAt), 'utf8');
    if (!verify(null, input, this.key, Buffer.from(value, 'base64')))
      throw refused(command, jobId, `its signature is not the engine's for host ${this.hostId} and this job`);
    const age = this.now() - issuedAt;
    if (age > COMMAND_SIGNATURE_MAX_AGE_MS)
      throw refused(command, jobId, `it was signed ${Math.round(age / 1000)} s ago (too old)`);
    if (age < -COMMAND_SIGNATURE_MAX_SKEW_MS)
      throw refused(command, jobId, `it was signed ${Math.round(-age / 1000)} s in the future (clock skew?)`);
  }
}

function refused(command: string, jobId: string, why: string): AgentError {
  return new AgentError('signature_invalid', `${command} (job ${jobId}) refused: ${why}; not run`, { jobId });
}
