import type { CommandResult } from '@kelpie/shared-types';
import type { HostNetworking } from '../../host/network';
import { OnCommand, type CommandContext, type ParsedPayload } from '../registry';

/** Host networking (HOST_NETWORK_COMMANDS). */
export class HostNetworkHandlers {
  constructor(private readonly networking: HostNetworking) {}

  @OnCommand('host.network.setup')
  setup(
    p: ParsedPayload<'host.network.setup'>,
    ctx: CommandContext,
  ): Promise<CommandResult<'host.network.setup'>> {
    return this.networking.setup(
      p.checkpoint,
      { attachments: p.attachments, bonds: p.bonds },
      p.connectivityTimeoutMs,
      () =>
        ctx.progress(50, 'applied; waiting for the engine to confirm it still reaches the host', {
          phase: 'awaiting_confirmation',
          checkpoint: p.checkpoint,
        }),
    );
  }

  @OnCommand('host.network.confirm')
  confirm(
    p: ParsedPayload<'host.network.confirm'>,
    _ctx: CommandContext,
  ): Promise<CommandResult<'host.network.confirm'>> {
    return Promise.resolve({ confirmed: this.networking.confirm(p.checkpoint) });
  }
}
