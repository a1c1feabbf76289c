import { z } from 'zod';
import { CommandSignature } from './command-signature';
import { DomainSnapshot } from './domain';
import { domainRef, ok, spec } from './command-spec';
import { CONSOLE_COMMANDS } from './commands-console';
import { SNAPSHOT_COMMANDS } from './commands-snapshot';
import { CLONE_COMMANDS } from './commands-clone';
import { CLOUD_INIT_COMMANDS } from './commands-cloud-init';
import { MIGRATION_COMMANDS } from './commands-migration';
import { VM_COMMANDS } from './commands-vm';
import { GC_COMMANDS } from './commands-gc';
import { AGENT_COMMANDS } from './commands-agent';
import { FENCE_COMMANDS } from './commands-fence';
import { HOST_NETWORK_COMMANDS } from './commands-host-network';
import { STORAGE_COMMANDS } from './commands-storage';
import { IMAGE_COMMANDS } from './commands-images';

/** Engine → agent commands: name → payload schema, result schema, and how the engine may run it.
 * Both sides validate with these schemas; a payload that does not parse is never executed.
 * Core host and power commands live here; other areas add a catalog file and spread it into COMMANDS. */
export const CORE_COMMANDS = {
  /** Relist every domain and report the inventory (also sent by the agent on its own schedule). */
  'host.refresh': spec({
    payload: z.strictObject({}),
    result: z.object({ domains: z.number().int() }),
    idempotent: true,
    timeoutMs: 30_000,
  }),
  /** Test/diagnostic: sleeps on the agent, used to prove that command backlogs never delay heartbeats. */
  'host.sleep': spec({
    payload: z.strictObject({ ms: z.number().int().min(0).max(60_000) }),
    result: ok,
    idempotent: true,
    timeoutMs: 70_000,
  }),
  'vm.define': spec({
    payload: z.strictObject({ xml: z.string().max(1_000_000) }),
    result: DomainSnapshot,
    idempotent: true,
    timeoutMs: 30_000,
  }),
  'vm.undefine': spec({
    payload: domainRef.extend({
      /** Only a shut-off domain is undefined; a running one is left alone (`operation_invalid`). For
       * a stale copy of a VM that runs on another host: a copy that runs after all is not a copy. */
      onlyIfInactive: z.boolean().optional(),
    }),
    result: ok,
    idempotent: true,
    timeoutMs: 30_000,
  }),
  'vm.start': spec({ payload: domainRef, result: DomainSnapshot, idempotent: false, timeoutMs: 60_000 }),
  'vm.shutdown': spec({
    payload: domainRef.extend({
      timeoutMs: z.number().int().min(0).max(600_000).default(60_000),
      forceAfterTimeout: z.boolean().default(false),
    }),
    result: DomainSnapshot,
    idempotent: false,
    timeoutMs: 620_000,
  }),
  'vm.destroy': spec({ payload: domainRef, result: DomainSnapshot, idempotent: true, timeoutMs: 30_000 }),
  // On a lockd host a reboot is a clean shutdown (up to 120 s) and a start (ADR 0053).
  'vm.reboot': spec({ payload: domainRef, result: DomainSnapshot, idempotent: false, timeoutMs: 180_000 }),
  'vm.reset': spec({ payload: domainRef, result: DomainSnapshot, idempotent: false, timeoutMs: 30_000 }),
  'vm.suspend': spec({ payload: domainRef, result: DomainSnapshot, idempotent: true, timeoutMs: 30_000 }),
  'vm.resume': spec({ payload: domainRef, result: DomainSnapshot, idempotent: true, timeoutMs: 30_000 }),
} as const;

export const COMMANDS = {
  ...CORE_COMMANDS,
  ...CONSOLE_COMMANDS,
  ...SNAPSHOT_COMMANDS,
  ...CLONE_COMMANDS,
  ...CLOUD_INIT_COMMANDS,
  ...MIGRATION_COMMANDS,
  ...VM_COMMANDS,
  ...GC_COMMANDS,
  ...AGENT_COMMANDS,
  ...FENCE_COMMANDS,
  ...HOST_NETWORK_COMMANDS,
  ...STORAGE_COMMANDS,
  ...IMAGE_COMMANDS,
} as const;

export type CommandName = keyof typeof COMMANDS;

/** Commands the engine never sends: a diagnostic wait and a domain defined from raw XML (the engine
 * only sends specs, turned into XML by the agent's builder). An agent has handlers for them only
 * when started with KELPIE_DEV_COMMANDS=on (tests); enrolled agents answer `unknown_command`. */
export const DEV_ONLY_COMMANDS: readonly CommandName[] = ['host.sleep', 'vm.define'];
export type CommandPayload<N extends CommandName> = z.input<(typeof COMMANDS)[N]['payload']>;
export type CommandResult<N extends CommandName> = z.infer<(typeof COMMANDS)[N]['result']>;

/** The envelope of every BullMQ command job. */
export const CommandEnvelope = z.object({
  name: z.string(),
  protocolVersion: z.number().int(),
  taskId: z.string().optional(),
  correlationId: z.string().optional(),
  /** The sending task and its owner generation (ADR 0016): an agent that has seen a higher generation
   * for that task refuses the command (`task_fenced`), so a runner taken for dead stops at its next
   * command instead of its next task write. */
  fence: z.object({ taskId: z.string().min(1).max(64), generation: z.number().int().min(0) }).optional(),
  payload: z.unknown(),
  /** The engine's signature (ADR 0017): an agent given the engine's public key refuses a job without
   * a valid one for its host (`signature_invalid`), so Redis access alone cannot make it run anything. */
  signature: CommandSignature.optional(),
});
export type CommandEnvelope = z.infer<typeof CommandEnvelope>;

/** Typed failure an agent returns; the engine puts `code` and `message` on the task. */
export const AgentErrorCode = z.enum([
  'invalid_payload',
  'unknown_command',
  'incompatible_protocol',
  'domain_not_found',
  'operation_invalid',
  'connection_lost',
  'timeout',
  'libvirt_error',
  'internal',
  /** A redelivered command whose first run started on this host and never finished (the agent died
   * mid-command): not run again; `details` says what the host shows now. */
  'outcome_unknown',
  /** Sent by a task runner in an older owner generation than one this host already saw for that task
   * (another engine adopted it): not run. */
  'task_fenced',
  /** Not signed by this host's engine, signed for another host or job, or outside the signature's
   * time window: not run (a forged or replayed job, or a host enrolled by another engine key). */
  'signature_invalid',
]);
export type AgentErrorCode = z.infer<typeof AgentErrorCode>;

/** Failures the engine's command bus itself detects, besides the agent's codes:
 * - `not_delivered`: no agent picked the command up (it never ran);
 * - `command_lost`: the command was picked up but its result can never arrive (the job vanished from
 *   Redis, or the agent that held it stopped): whether it ran, and how far, must be read from the host. */
export const CommandFailureCode = z.enum([...AgentErrorCode.options, 'not_delivered', 'command_lost']);
export type CommandFailureCode = z.infer<typeof CommandFailureCode>;

export function isCommandName(name: string): name is CommandName {
  return Object.prototype.hasOwnProperty.call(COMMANDS, name);
}
