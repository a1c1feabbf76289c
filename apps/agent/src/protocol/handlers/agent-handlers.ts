import type { CommandResult } from '@kelpie/shared-types';
import { spawn } from 'node:child_process';
import { join } from 'node:path';
import { AgentError } from '../../errors/agent-error';
import { OnCommand, type CommandContext, type ParsedPayload } from '../registry';

/** The script enrollment installs next to the agent: stops the service, deletes the agent's files. */
export const UNINSTALL_SCRIPT = 'uninstall.sh';
/** Time for the result to reach the engine before the service (this process included) is stopped. */
const UNINSTALL_DELAY_S = '2';

/** Commands about the agent itself (AGENT_COMMANDS). */
export class AgentHandlers {
  constructor(
    private readonly installDir: string | undefined,
    private readonly launch: (argv: string[]) => void = launchDetached,
  ) {}

  @OnCommand('agent.uninstall')
  async uninstall(
    _p: ParsedPayload<'agent.uninstall'>,
    ctx: CommandContext,
  ): Promise<CommandResult<'agent.uninstall'>> {
    if (!this.installDir)
      throw new AgentError(
        'operation_invalid',
        'this agent was not installed by enrollment (no KELPIE_INSTALL_DIR): remove it by hand',
      );
    ctx.log.warn({ installDir: this.installDir }, 'uninstalling: the host was removed from the engine');
    // Detached, in its own session: stopping the agent's service must not stop the script doing it.
    this.launch([
      '/bin/sh',
      '-c',
      `sleep ${UNINSTALL_DELAY_S}; exec /bin/sh "$0"`,
      join(this.installDir, UNINSTALL_SCRIPT),
    ]);
    return { ok: true };
  }
}

function launchDetached(argv: string[]): void {
  const [program, ...args] = argv;
  const child = spawn(program!, args, { detached: true, stdio: 'ignore' });
  child.unref();
}
