import { z } from 'zod';
import { spec } from './command-spec';
import { BondSpec, NetworkAttachmentSpec, NetworkSetupOutcome } from './host-network';

/** Longest connectivity check a setup may ask for. */
export const MAX_CONNECTIVITY_TIMEOUT_MS = 600_000;

/** Host networking commands. */
export const HOST_NETWORK_COMMANDS = {
  /** Applies the whole wanted state (every network the host carries), then waits for the engine to
   * confirm it still reaches the host (`host.network.confirm` with the same checkpoint) within
   * `connectivityTimeoutMs`; without it the agent restores the previous configuration by itself.
   * Progress `{ phase: 'awaiting_confirmation', checkpoint }` tells the engine when to confirm. */
  'host.network.setup': spec({
    payload: z.strictObject({
      checkpoint: z.guid(),
      attachments: z.array(NetworkAttachmentSpec).max(64),
      /** The host's whole set of bonds: bonds of the previous setup not listed are removed. */
      bonds: z.array(BondSpec).max(16).default([]),
      connectivityTimeoutMs: z.number().int().min(1_000).max(MAX_CONNECTIVITY_TIMEOUT_MS),
    }),
    result: NetworkSetupOutcome,
    idempotent: false,
    timeoutMs: MAX_CONNECTIVITY_TIMEOUT_MS + 60_000,
  }),
  /** The engine heard the agent after a setup: keep it. `confirmed: false` when no setup with that
   * checkpoint is waiting (already rolled back, or not applied yet). */
  'host.network.confirm': spec({
    payload: z.strictObject({ checkpoint: z.guid() }),
    result: z.object({ confirmed: z.boolean() }),
    idempotent: true,
    timeoutMs: 15_000,
  }),
} as const;
