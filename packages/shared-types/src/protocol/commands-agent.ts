import { z } from 'zod';
import { ok, spec } from './command-spec';

/** Commands about the agent itself rather than libvirt. */
export const AGENT_COMMANDS = {
  /** Sent when its host is removed: the agent answers, then stops its service and deletes the files
   * enrollment installed (the engine holds no standing SSH access to do it itself). */
  'agent.uninstall': spec({
    payload: z.strictObject({}),
    result: ok,
    idempotent: true,
    timeoutMs: 30_000,
  }),
} as const;
