import {
  COMMANDS,
  CommandEnvelope,
  PROTOCOL_VERSION,
  isCommandName,
  isCompatibleProtocol,
  type CommandName,
} from '@kelpie/shared-types';
import type { z } from 'zod';
import type { Logger } from '../logger';
import { AgentError, toAgentError } from '../errors/agent-error';
import type { CommandContext, CommandRegistry } from './registry';

function describeIssues(issues: z.core.$ZodIssue[]): string {
  return issues.map((i) => `${i.path.length ? i.path.join('.') : '(root)'}: ${i.message}`).join('; ');
}

export interface ValidatedCommand {
  name: CommandName;
  envelope: CommandEnvelope;
  payload: unknown;
}

/** Envelope → validated command, or AgentError. Runs nothing. */
export function validateCommand(data: unknown): ValidatedCommand {
  const env = CommandEnvelope.safeParse(data);
  if (!env.success) {
    throw new AgentError('invalid_payload', `invalid command envelope: ${describeIssues(env.error.issues)}`, {
      issues: env.error.issues,
    });
  }
  const envelope = env.data;
  if (!isCompatibleProtocol(envelope.protocolVersion)) {
    throw new AgentError(
      'incompatible_protocol',
      `command uses protocol ${envelope.protocolVersion}, this agent speaks ${PROTOCOL_VERSION}`,
      { agent: PROTOCOL_VERSION, command: envelope.protocolVersion },
    );
  }
  if (!isCommandName(envelope.name))
    throw new AgentError('unknown_command', `unknown command: ${envelope.name}`);
  const payload = COMMANDS[envelope.name].payload.safeParse(envelope.payload);
  if (!payload.success) {
    throw new AgentError(
      'invalid_payload',
      `invalid payload for ${envelope.name}: ${describeIssues(payload.error.issues)}`,
      {
        issues: payload.error.issues,
      },
    );
  }
  return { name: envelope.name, envelope, payload: payload.data };
}

export interface DispatchContext {
  jobId: string;
  log: Logger;
  progress: CommandContext['progress'];
  /** Test hook: the command's time limit (default: the catalog's timeoutMs). */
  timeoutMs?: number;
}

const sleep = (ms: number) => new Promise<void>((r) => setTimeout(r, ms).unref());

/** After a timeout aborted a handler, how long its answer waits for the handler's cleanup. */
export const ABORT_GRACE_MS = 20_000;

/** Validates, runs the handler under the command's timeout, validates the result. Every failure
 * comes out as an AgentError. */
export class CommandDispatcher {
  constructor(private readonly registry: CommandRegistry) {}

  async dispatch(data: unknown, dctx: DispatchContext): Promise<{ name: CommandName; result: unknown }> {
    const cmd = validateCommand(data);
    const handler = this.registry.get(cmd.name);
    if (!handler) throw new AgentError('unknown_command', `no handler for ${cmd.name}`);
    const spec = COMMANDS[cmd.name];
    const log = dctx.log.child({
      command: cmd.name,
      jobId: dctx.jobId,
      ...(cmd.envelope.correlationId ? { correlationId: cmd.envelope.correlationId } : {}),
      ...(cmd.envelope.taskId ? { taskId: cmd.envelope.taskId } : {}),
    });
    const timeoutMs = dctx.timeoutMs ?? spec.timeoutMs;
    const abort = new AbortController();
    const ctx: CommandContext = {
      jobId: dctx.jobId,
      signal: abort.signal,
      command: cmd.name,
      log,
      progress: dctx.progress,
      ...(cmd.envelope.taskId ? { taskId: cmd.envelope.taskId } : {}),
      ...(cmd.envelope.correlationId ? { correlationId: cmd.envelope.correlationId } : {}),
    };
    const started = Date.now();
    log.info('command started');
    let timer: NodeJS.Timeout | undefined;
    try {
      const work = handler(cmd.payload, ctx);
      const first = await Promise.race([
        work.then((value) => ({ value })),
        new Promise<'timeout'>((resolve) => (timer = setTimeout(() => resolve('timeout'), timeoutMs))),
      ]);
      if (first === 'timeout') {
        const err = new AgentError(
          'timeout',
          `${cmd.name} did not finish within ${timeoutMs} ms: its work was cancelled`,
        );
        // The handler's work is cancelled, not only its answer: its child processes are killed, a
        // migration is aborted. The answer waits (a bounded while) until that cleanup is over.
        abort.abort(err);
        await Promise.race([work.catch(() => undefined), sleep(ABORT_GRACE_MS)]);
        throw err;
      }
      const raw = first.value;
      const result = spec.result.safeParse(raw);
      if (!result.success) {
        throw new AgentError(
          'internal',
          `handler for ${cmd.name} returned an invalid result: ${describeIssues(result.error.issues)}`,
        );
      }
      log.info({ ms: Date.now() - started }, 'command succeeded');
      return { name: cmd.name, result: result.data };
    } catch (e) {
      const err = toAgentError(e);
      log.warn({ ms: Date.now() - started, code: err.code, err: err.message }, 'command failed');
      throw err;
    } finally {
      if (timer) clearTimeout(timer);
    }
  }
}
