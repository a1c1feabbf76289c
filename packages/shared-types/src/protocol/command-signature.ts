import { z } from 'zod';

/** The engine's Ed25519 signature of one command job (ADR 0017): `value` is base64, over
 * commandSigningInput(hostId, jobId, envelope without `signature`, issuedAt). */
export const CommandSignature = z.object({
  /** When the engine signed it (ms since the epoch): agents refuse jobs older than the window below. */
  issuedAt: z.number().int().min(0),
  value: z.string().min(1).max(200),
});
export type CommandSignature = z.infer<typeof CommandSignature>;

/** A signed job older than this is refused. Longer than any command waits in its queue (the engine
 * removes a job nobody picked up after the command's timeout, at most 10 minutes), shorter than what
 * BullMQ and the agent's journal remember of a job id: a signed job put back under its own id within
 * the window is answered from the journal, never run twice. */
export const COMMAND_SIGNATURE_MAX_AGE_MS = 15 * 60_000;
/** How far in the future an issue time may be (clock skew between engine and host). */
export const COMMAND_SIGNATURE_MAX_SKEW_MS = 2 * 60_000;

/** JSON with every object's keys sorted, after the JSON round trip BullMQ puts job data through (so
 * the engine's object and the agent's parsed copy give the same text). */
export function canonicalJson(value: unknown): string {
  const plain: unknown = value === undefined ? null : JSON.parse(JSON.stringify(value));
  return JSON.stringify(sortKeys(plain));
}

function sortKeys(v: unknown): unknown {
  if (Array.isArray(v)) return v.map(sortKeys);
  if (v === null || typeof v !== 'object') return v;
  const out: Record<string, unknown> = {};
  for (const k of Object.keys(v).sort()) out[k] = sortKeys((v as Record<string, unknown>)[k]);
  return out;
}

/** The exact text (signed as UTF-8) of a command job: which host may run it, as which job, what, and when. */
export function commandSigningInput(
  hostId: string,
  jobId: string,
  envelope: Record<string, unknown>,
  issuedAt: number,
): string {
  const unsigned = { ...envelope };
  delete unsigned.signature;
  return canonicalJson({ hostId, jobId, issuedAt, envelope: unsigned });
}
