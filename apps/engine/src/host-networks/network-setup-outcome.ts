import { ErrorCode, NetworkSetupOutcome } from '@kelpie/shared-types';
import { DomainError } from '../common/errors/domain-error';
import { HostEntity } from '../hosts/host.entity';

export const NETWORK_SETUP_TASK = 'host.network_setup';

/** How a network setup task ends once the host told its outcome (by its command result or its
 * report): applied → the task's result; rolled back or failed → the task fails with the host's reason. */
export function setupResult(
  host: Pick<HostEntity, 'id' | 'name'>,
  outcome: NetworkSetupOutcome,
  networks: string[],
): Record<string, unknown> {
  if (outcome.outcome !== 'applied')
    throw new DomainError(
      ErrorCode.Unprocessable,
      `network setup of ${host.name} ${outcome.outcome === 'rolled_back' ? 'was rolled back' : 'failed'}: ${outcome.reason ?? 'no reason given'}`,
    );
  return { hostId: host.id, checkpoint: outcome.checkpoint, outcome: outcome.outcome, networks };
}
