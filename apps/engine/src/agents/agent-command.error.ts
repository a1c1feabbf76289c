import { AgentErrorBody } from '@kelpie/shared-types';

/** A command that reached the agent and failed there, with the agent's typed code. */
export class AgentCommandError extends Error {
  readonly code: AgentErrorBody['code'] | 'not_delivered';

  constructor(body: { code: AgentErrorBody['code'] | 'not_delivered'; message: string }) {
    super(body.message);
    this.code = body.code;
  }
}
