import { COMMANDS, isCommandName } from '@kelpie/shared-types';
import type { Logger } from '../logger';
import { AgentError, toAgentError } from '../errors/agent-error';
import type { CommandJournal, JournalEntry } from './command-journal';

/** What the host shows now about a command's targets (for an `outcome_unknown` answer). */
export type HostInspector = (command: string, payload: unknown) => Promise<HostNow>;

export interface HostNow {
  /** One line per fact, e.g. `domain 1234… is running on this host`. */
  facts: string[];
}

/** Non-idempotent commands of the catalog: journaled and never run twice. */
export function runsAtMostOnce(name: unknown): boolean {
  return typeof name === 'string' && isCommandName(name) && !COMMANDS[name].idempotent;
}

/**
 * Runs each BullMQ job at most once on this host. A job delivered again while its first run is still
 * going in this process (its lock was lost, e.g. Redis restarted) joins that run. For non-idempotent
 * commands the journal decides across agent restarts: `done` → the first run's outcome is reported
 * again; `started` without `done` (the agent died mid-command) → not run again, an `outcome_unknown`
 * error with what the host shows now, so the engine can settle its task truthfully.
 */
export class AtMostOnce {
  private readonly running = new Map<string, Promise<unknown>>();

  constructor(
    private readonly journal: CommandJournal,
    private readonly inspect: HostInspector,
    private readonly log: Logger,
  ) {}

  /** Job ids being run right now by this process. */
  get inFlight(): string[] {
    return [...this.running.keys()];
  }

  run(jobId: string, data: unknown, exec: () => Promise<unknown>): Promise<unknown> {
    const current = this.running.get(jobId);
    if (current) {
      this.log.warn({ jobId }, 'job delivered again while its first run goes on: waiting for that run');
      return current;
    }
    const name = (data as { name?: unknown } | null)?.name;
    const run = runsAtMostOnce(name) ? this.journaled(jobId, name as string, data, exec) : exec();
    this.running.set(jobId, run);
    return run.finally(() => this.running.delete(jobId));
  }

  private async journaled(
    jobId: string,
    name: string,
    data: unknown,
    exec: () => Promise<unknown>,
  ): Promise<unknown> {
    const previous = await this.journal.get(jobId);
    if (previous) return this.replay(previous, data);
    // Written and fsynced before anything runs: a crash from here on leaves `started` behind.
    const entry = await this.journal.started(jobId, name).catch((e: Error) => {
      throw new AgentError('internal', `cannot journal ${name} before running it: ${e.message}`);
    });
    let result: unknown;
    try {
      result = await exec();
    } catch (e) {
      const err = toAgentError(e);
      await this.record(entry, { ok: false, error: err.body() });
      throw err;
    }
    await this.record(entry, { ok: true, result });
    return result;
  }

  private async record(entry: JournalEntry, outcome: NonNullable<JournalEntry['outcome']>): Promise<void> {
    // The command has run: failing to note it must not turn its outcome into an error.
    await this.journal
      .done(entry, outcome)
      .catch((e: Error) => this.log.error({ err: e.message, jobId: entry.jobId }, 'journal write failed'));
  }

  private async replay(entry: JournalEntry, data: unknown): Promise<unknown> {
    if (entry.state === 'done' && entry.outcome) {
      this.log.warn(
        { jobId: entry.jobId, command: entry.command },
        'job delivered again: first outcome reported',
      );
      if (entry.outcome.ok) return entry.outcome.result;
      const { code, message, details } = entry.outcome.error;
      throw new AgentError(code, message, details);
    }
    const payload = (data as { payload?: unknown }).payload;
    const now = await this.inspect(entry.command, payload).catch((e: Error): HostNow => ({
      facts: [`the host could not be inspected: ${e.message}`],
    }));
    this.log.warn(
      { jobId: entry.jobId, command: entry.command, startedAt: entry.startedAt, now: now.facts },
      'job delivered again after the agent stopped mid-command: not run again',
    );
    throw new AgentError(
      'outcome_unknown',
      `${entry.command} started on this host at ${entry.startedAt} and the agent stopped before it ` +
        `finished; it is not run again. What the host shows now: ${now.facts.join('; ') || 'nothing'}`,
      { startedAt: entry.startedAt, facts: now.facts },
    );
  }
}
