import { z } from 'zod';

export interface CommandSpec<P extends z.ZodType, R extends z.ZodType> {
  payload: P;
  result: R;
  /** Safe to resend: the engine retries these on transient failures. The others run at most once:
   * one attempt, and the agent journals them by job id so a redelivered job is never run twice. */
  idempotent: boolean;
  timeoutMs: number;
  /** The payload may carry a secret: its job is removed from Redis once finished (not kept for an
   * hour like the others) and nobody logs the payload. */
  sensitive?: boolean;
}

export const spec = <P extends z.ZodType, R extends z.ZodType>(s: CommandSpec<P, R>) => s;

// z.guid(), not .uuid(): libvirt accepts any 128-bit UUID, and zod 4's .uuid() rejects non-RFC-variant ones
// (e.g. 00000000-0000-0000-0000-000000000001), which external domains may well have.
// Payloads are strict: an unknown key is a contract violation, refused like a wrong type.
export const domainRef = z.strictObject({ uuid: z.guid() });
export const ok = z.object({ ok: z.literal(true) });
