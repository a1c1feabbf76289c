import { z } from 'zod';
import { AgentErrorCode } from './commands';

/** XML namespace of Kelpie's element in a domain's `<metadata>`: a domain whose XML has
 * `<metadata><kelpie:vm xmlns:kelpie="https://kelpie.dev/xmlns/vm/1" .../></metadata>` is managed by
 * Kelpie; any other domain is "external" (DomainSnapshot.managed = false). */
export const KELPIE_VM_XMLNS = 'https://kelpie.dev/xmlns/vm/1';

/** The body of every agent failure. */
export const AgentErrorBody = z.object({
  code: AgentErrorCode,
  message: z.string(),
  /** Optional structured extras (e.g. zod issues for invalid_payload, virsh stderr). */
  details: z.unknown().optional(),
});
export type AgentErrorBody = z.infer<typeof AgentErrorBody>;

/** Prefix of an encoded agent error. A failed BullMQ command job's `failedReason` (= the thrown
 * Error's message) is exactly `AGENT_ERROR_PREFIX + JSON.stringify(AgentErrorBody)`, e.g.
 * `kelpie-agent-error:{"code":"invalid_payload","message":"payload.uuid: Invalid UUID"}`. */
export const AGENT_ERROR_PREFIX = 'kelpie-agent-error:';

export function encodeAgentError(body: AgentErrorBody): string {
  return AGENT_ERROR_PREFIX + JSON.stringify(body);
}

/** Decodes a failedReason/error message. Anything that is not an encoded agent error (a BullMQ
 * stall, a crash, a plain Error) becomes `{code: 'internal', message: <the raw text>}`. */
export function decodeAgentError(reason: string | undefined | null): AgentErrorBody {
  const raw = reason ?? '';
  if (raw.startsWith(AGENT_ERROR_PREFIX)) {
    try {
      const parsed = AgentErrorBody.safeParse(JSON.parse(raw.slice(AGENT_ERROR_PREFIX.length)));
      if (parsed.success) return parsed.data;
    } catch {
      /* fall through */
    }
  }
  return { code: 'internal', message: raw || 'unknown agent failure' };
}
