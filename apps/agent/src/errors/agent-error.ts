import { encodeAgentError, type AgentErrorBody, type AgentErrorCode } from '@kelpie/shared-types';
import { UnrecoverableError } from 'bullmq';
import { VirshError } from '../libvirt/process';

/** A typed failure of a command. Thrown to BullMQ as an Error whose message is
 * encodeAgentError({code, message, details}) — see @kelpie/shared-types decodeAgentError. */
export class AgentError extends Error {
  override readonly name = 'AgentError';
  constructor(
    readonly code: AgentErrorCode,
    message: string,
    readonly details?: unknown,
  ) {
    super(message);
  }

  body(): AgentErrorBody {
    return this.details === undefined
      ? { code: this.code, message: this.message }
      : { code: this.code, message: this.message, details: this.details };
  }
}

/** Anything thrown by a handler → AgentError. */
export function toAgentError(e: unknown): AgentError {
  if (e instanceof AgentError) return e;
  if (e instanceof VirshError) return new AgentError(e.code, e.message, { stderr: e.details.stderr?.trim() });
  return new AgentError('internal', e instanceof Error ? e.message : String(e));
}

/** Failures that resending the same command cannot fix: BullMQ must not retry them. */
const PERMANENT: ReadonlySet<AgentErrorCode> = new Set([
  'invalid_payload',
  'unknown_command',
  'incompatible_protocol',
  'domain_not_found',
  'operation_invalid',
  // Running it again is exactly what must not happen.
  'outcome_unknown',
  // The task belongs to another runner now: the stale one must not get through by retrying.
  'task_fenced',
  // A forged or replayed job: retrying it must not get it through either.
  'signature_invalid',
]);

/** The Error handed to BullMQ (its message becomes the job's failedReason). */
export function toBullError(e: AgentError): Error {
  const msg = encodeAgentError(e.body());
  return PERMANENT.has(e.code) ? new UnrecoverableError(msg) : new Error(msg);
}
