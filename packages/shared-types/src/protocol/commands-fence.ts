import { z } from 'zod';
import { spec } from './command-spec';

/** A BMC as the fence agent reaches it. The password travels only in this payload (the command is
 * `sensitive`: its job leaves Redis once finished, nobody logs it) and reaches ipmitool in its
 * environment on the proxy host, as on the engine. */
export const FenceTarget = z.strictObject({
  agent: z.literal('ipmilan'),
  address: z.string().min(1).max(253),
  port: z.number().int().min(1).max(65535),
  username: z.string().regex(/^[\x21-\x7e]{1,16}$/),
  password: z.string().regex(/^[\x20-\x7e]{1,20}$/),
  lanplus: z.boolean(),
  cipher: z.number().int().min(0).max(17).optional(),
});
export type FenceTarget = z.infer<typeof FenceTarget>;

export const FenceActionName = z.enum(['status', 'off', 'on']);

/** What one fence agent call established (the same answer whether a proxy host or the engine ran it). */
export const FenceRunResult = z.object({
  ok: z.boolean(),
  powerStatus: z.enum(['on', 'off']).optional(),
  detail: z.string(),
  field: z.enum(['address', 'username', 'password']).optional(),
  /** The fence agent is not installed on the host that was to run it: the next runner is tried. */
  missing: z.boolean().optional(),
});
export type FenceRunResult = z.infer<typeof FenceRunResult>;

/** Fencing by proxy (as oVirt does): a healthy host of the fenced host's cluster (then datacenter)
 * runs the fence agent against the fenced host's BMC, so the BMCs' management network need not reach
 * the engine. The agent's own cap (20 s per call) sits below the command's timeout. */
export const FENCE_COMMANDS = {
  'host.fence': spec({
    payload: z.strictObject({ target: FenceTarget, action: FenceActionName }),
    result: FenceRunResult,
    idempotent: false,
    timeoutMs: 30_000,
    sensitive: true,
  }),
} as const;
