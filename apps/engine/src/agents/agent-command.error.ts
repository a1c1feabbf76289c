import { CommandFailureCode } from '@kelpie/shared-types';

/** A command that failed on the agent (the agent's typed code) or on its way (`not_delivered`,
 * `command_lost`: see CommandFailureCode). */
export class AgentCommandError extends Error {
  readonly code: CommandFailureCode;
  readonly details?: unknown;

  constructor(body: { code: CommandFailureCode; message: string; details?: unknown }) {
    super(body.message);
    this.code = body.code;
    if (body.details !== undefined) this.details = body.details;
  }
}
