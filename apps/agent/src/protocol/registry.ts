import { COMMANDS, DEV_ONLY_COMMANDS, type CommandName, type CommandResult } from '@kelpie/shared-types';
import type { z } from 'zod';
import type { Logger } from '../logger';

/** What a handler gets besides its (already validated) payload. */
export interface CommandContext {
  jobId: string;
  command: CommandName;
  taskId?: string;
  correlationId?: string;
  log: Logger;
  /** Aborted when the command's time is up: pass it to every child process the handler runs (they
   * are killed) and stop the work it stands for (a migration is aborted with domjobabort). */
  signal: AbortSignal;
  /** Reports progress (job.updateProgress + a CommandProgressReport). Never throws. */
  progress(percent: number, message: string, data?: Record<string, unknown>): Promise<void>;
}

export type ParsedPayload<N extends CommandName> = z.output<(typeof COMMANDS)[N]['payload']>;

export type CommandHandler<N extends CommandName> = (
  payload: ParsedPayload<N>,
  ctx: CommandContext,
) => Promise<CommandResult<N>>;

type AnyHandler = (payload: unknown, ctx: CommandContext) => Promise<unknown>;

export class MissingHandlersError extends Error {
  constructor(readonly missing: string[]) {
    super(`no handler registered for command(s): ${missing.join(', ')}`);
  }
}

/** Handlers keyed by command name. `assertComplete()` fails boot when any command of the catalog
 * (COMMANDS) has no handler, so a catalog extension can never ship half-implemented. */
export class CommandRegistry {
  private readonly handlers = new Map<CommandName, AnyHandler>();

  register<N extends CommandName>(name: N, handler: CommandHandler<N>): this {
    if (!Object.prototype.hasOwnProperty.call(COMMANDS, name))
      throw new Error(`not a command of the catalog: ${name}`);
    if (this.handlers.has(name)) throw new Error(`handler for ${name} registered twice`);
    this.handlers.set(name, handler as AnyHandler);
    return this;
  }

  /** Registers every method of `instance` decorated with @OnCommand. */
  registerInstance(instance: object): this {
    const entries = (Object.getPrototypeOf(instance) as Record<symbol, unknown>)[HANDLERS] as
      Array<[CommandName, string | symbol]> | undefined;
    for (const [name, key] of entries ?? []) {
      const fn = (instance as Record<string | symbol, unknown>)[key];
      if (typeof fn !== 'function') throw new Error(`@OnCommand(${name}) is not on a method`);
      this.register(name, (fn as AnyHandler).bind(instance) as CommandHandler<typeof name>);
    }
    return this;
  }

  get(name: CommandName): AnyHandler | undefined {
    return this.handlers.get(name);
  }

  names(): CommandName[] {
    return [...this.handlers.keys()];
  }

  /** Catalog commands without a handler (development-only ones are optional). */
  missing(): CommandName[] {
    return (Object.keys(COMMANDS) as CommandName[]).filter(
      (n) => !this.handlers.has(n) && !DEV_ONLY_COMMANDS.includes(n),
    );
  }

  assertComplete(): void {
    const missing = this.missing();
    if (missing.length) throw new MissingHandlersError(missing);
  }
}

const HANDLERS = Symbol('kelpie.commandHandlers');

/** Method decorator: `@OnCommand('vm.start') async start(p, ctx) {...}` (legacy decorators). */
export function OnCommand<N extends CommandName>(name: N) {
  return (target: object, key: string | symbol, _desc: TypedPropertyDescriptor<CommandHandler<N>>): void => {
    const proto = target as Record<symbol, Array<[CommandName, string | symbol]>>;
    if (!Object.prototype.hasOwnProperty.call(proto, HANDLERS)) {
      Object.defineProperty(proto, HANDLERS, { value: [...(proto[HANDLERS] ?? [])], enumerable: false });
    }
    proto[HANDLERS]!.push([name, key]);
  };
}
