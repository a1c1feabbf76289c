import { ErrorCode } from '@kelpie/shared-types';
import { DomainError } from '../common/errors/domain-error';
import { AgentCommandError } from './agent-command.error';

/**
 * What each agent failure means to an API client. The one table every feature uses, so the same
 * failure gives the same status everywhere; a Record over the agent's codes makes the compiler
 * demand a row for every new code.
 */
export const AGENT_ERROR_TO_API: Record<AgentCommandError['code'], ErrorCode> = {
  // The host never took the command, lost its libvirt connection, or did not answer in time: retry later.
  not_delivered: ErrorCode.HostUnavailable,
  connection_lost: ErrorCode.HostUnavailable,
  // The host lost the command mid-way (job gone from Redis, agent killed): whether it ran, and how far,
  // is read from the host; it is never run a second time.
  command_lost: ErrorCode.HostUnavailable,
  outcome_unknown: ErrorCode.HostUnavailable,
  // A host too busy or too cut off to answer in time is unavailable for now (503 + retry), not a
  // gateway failure of Kelpie's own: whether a command that timed out ran is read from the host.
  timeout: ErrorCode.HostUnavailable,
  // The object is not in the state the command needs (not running, not defined where Kelpie thought).
  operation_invalid: ErrorCode.InvalidState,
  domain_not_found: ErrorCode.InvalidState,
  // The host understood the request and refused it (libvirt said no, or its agent cannot do it).
  libvirt_error: ErrorCode.Unprocessable,
  invalid_payload: ErrorCode.Unprocessable,
  unknown_command: ErrorCode.Unprocessable,
  incompatible_protocol: ErrorCode.Unprocessable,
  // The task was adopted by another engine: this runner's command was refused, the task is not its own.
  task_fenced: ErrorCode.Conflict,
  // The host refused a job not signed with the key it was enrolled with (the engine's key file was
  // replaced, or the host was enrolled by another deployment): reinstall the host to give it this key.
  signature_invalid: ErrorCode.Unprocessable,
  // A bug or crash in the agent: reported as such.
  internal: ErrorCode.Internal,
};

/** The API code of an agent failure. */
export function apiCodeOf(err: AgentCommandError): ErrorCode {
  return AGENT_ERROR_TO_API[err.code] ?? ErrorCode.Internal;
}

/**
 * An error from CommandBus.send as the DomainError a request or task reports: `what` says what was
 * attempted, the agent's code stays at the end of the message. Domain errors pass unchanged; other
 * errors (engine bugs) too.
 */
export function fromAgentError(err: unknown, what?: string): Error {
  return agentFailureAsDomainError(err, what) ?? (err instanceof Error ? err : new Error(String(err)));
}

/** An agent failure as its DomainError; undefined for any other error. Also the HTTP error filter's
 * translator, for a failure a request let through unwrapped. */
export function agentFailureAsDomainError(err: unknown, what?: string): DomainError | undefined {
  if (!(err instanceof AgentCommandError)) return undefined;
  const mapped = new DomainError(apiCodeOf(err), `${what ? `${what}: ` : ''}${err.message} (${err.code})`);
  mapped.cause = err;
  return mapped;
}

/** The agent's own code behind an error made by fromAgentError, for callers that react to one
 * failure in particular (a domain the host no longer defines). */
export function agentCodeOf(err: unknown): AgentCommandError['code'] | undefined {
  const cause = err instanceof Error ? err.cause : undefined;
  return cause instanceof AgentCommandError ? cause.code : undefined;
}
