import { decodeAgentError } from '@kelpie/shared-types';
import { Job, Queue } from 'bullmq';
import { AgentCommandError } from './agent-command.error';

/** What Redis shows of a command the engine waits for. */
export type JobVerdict =
  | { kind: 'completed'; returnvalue: unknown }
  | { kind: 'failed'; failedReason: string }
  /** Active with a live lock: the agent is working on it. */
  | { kind: 'running' }
  | { kind: 'queued'; agentListening: boolean }
  /** Gone from Redis (flushed, evicted, Redis lost its data). */
  | { kind: 'vanished' }
  /** Active without a lock: the agent that took it stopped renewing it (killed, cut off). */
  | { kind: 'orphaned' };

/** How often a waiting command is checked. */
export const WATCHDOG_INTERVAL_MS = 15_000;
/** Checks in a row that must find a command lost (vanished or orphaned) before the wait gives up:
 * one look could fall between a lock's expiry and the agent's stalled-job check taking it back. */
export const LOST_AFTER_CHECKS = 2;
/** A queued command whose host has no agent listening fails after this many checks in a row (an
 * agent restarting is away for seconds, not for half a minute). */
export const UNDELIVERED_AFTER_CHECKS = 3;

/** Reads one job's state from Redis: the facts the watchdog decides on. */
export async function inspectJob(queue: Queue, jobId: string): Promise<JobVerdict> {
  const job = await Job.fromId(queue, jobId);
  if (!job) return { kind: 'vanished' };
  const state = await job.getState();
  switch (state) {
    case 'completed':
      return { kind: 'completed', returnvalue: job.returnvalue };
    case 'failed':
      return { kind: 'failed', failedReason: job.failedReason };
    case 'active': {
      const client = await queue.getBackend().client;
      const locked = (await client.get(`${queue.toKey(jobId)}:lock`)) !== null;
      return locked ? { kind: 'running' } : { kind: 'orphaned' };
    }
    case 'unknown':
      return { kind: 'vanished' };
    default:
      return { kind: 'queued', agentListening: (await queue.getWorkersCount()) > 0 };
  }
}

export interface WatchTarget {
  queue: Queue;
  jobId: string;
  hostId: string;
  name: string;
}

/**
 * Watches one command while the engine waits for its result, so that a result that can never come
 * fails the wait within a bounded time (a few WATCHDOG_INTERVAL_MS) instead of the command's timeout
 * (24 h for a migration). It also settles the wait from Redis when the completion event was missed
 * (e.g. across a Redis restart). `result` resolves with the job's return value, rejects with an
 * AgentCommandError (`command_lost`, `not_delivered`, or the agent's failure); it never settles
 * while the command is healthy. A Redis that cannot be read counts as nothing either way.
 */
export class CommandWatch {
  readonly result: Promise<unknown>;
  private timer: NodeJS.Timeout | undefined;
  private stopped = false;
  private lost = 0;
  private undelivered = 0;

  constructor(
    private readonly target: WatchTarget,
    private readonly everyMs: number,
    private readonly inspect: (queue: Queue, jobId: string) => Promise<JobVerdict> = inspectJob,
  ) {
    this.result = new Promise((resolve, reject) => this.schedule(resolve, reject));
  }

  stop(): void {
    this.stopped = true;
    if (this.timer) clearTimeout(this.timer);
  }

  private schedule(resolve: (v: unknown) => void, reject: (e: Error) => void): void {
    if (this.stopped) return;
    this.timer = setTimeout(() => {
      void this.check().then(
        (settled) => {
          if (this.stopped) return;
          if (!settled) return this.schedule(resolve, reject);
          this.stop();
          if ('error' in settled) reject(settled.error);
          else resolve(settled.value);
        },
        () => this.schedule(resolve, reject),
      );
    }, this.everyMs);
    this.timer.unref();
  }

  private async check(): Promise<{ value: unknown } | { error: Error } | null> {
    const { queue, jobId, hostId, name } = this.target;
    const verdict = await this.inspect(queue, jobId);
    if (verdict.kind === 'completed') return { value: verdict.returnvalue };
    if (verdict.kind === 'failed')
      return { error: new AgentCommandError(decodeAgentError(verdict.failedReason)) };
    this.lost = verdict.kind === 'vanished' || verdict.kind === 'orphaned' ? this.lost + 1 : 0;
    this.undelivered = verdict.kind === 'queued' && !verdict.agentListening ? this.undelivered + 1 : 0;
    if (this.lost >= LOST_AFTER_CHECKS)
      return {
        error: new AgentCommandError({
          code: 'command_lost',
          message:
            verdict.kind === 'vanished'
              ? `host ${hostId} lost the command ${name}: it vanished from Redis (flushed or Redis lost its data), so its result can never arrive; check the VM on the host (it may have been done or half-done) and Redis' persistence`
              : `host ${hostId} lost the command ${name}: the agent that was running it stopped (its lock expired); check that the agent runs on the host and what the host shows of the VM (the command may have been done or half-done)`,
          details: { hostId, jobId, reason: verdict.kind },
        }),
      };
    if (this.undelivered >= UNDELIVERED_AFTER_CHECKS) {
      // Never let a command nobody picked up run later by surprise; one the agent took meanwhile
      // cannot be removed (it is locked): keep watching it.
      const removed = await queue.remove(jobId).catch(() => 0);
      if (!removed) return null;
      return {
        error: new AgentCommandError({
          code: 'not_delivered',
          message: `host ${hostId} has no agent listening for commands: ${name} was not run; is its agent running?`,
          details: { hostId, jobId },
        }),
      };
    }
    return null;
  }
}
