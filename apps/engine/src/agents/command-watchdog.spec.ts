import type { Queue } from 'bullmq';
import { AgentCommandError } from './agent-command.error';
import { CommandWatch, JobVerdict, LOST_AFTER_CHECKS, UNDELIVERED_AFTER_CHECKS } from './command-watchdog';

// The queue is a fake: these tests are about what the watchdog decides from what Redis shows.
// (The real thing — a flushed queue, a killed agent — is test/agent-faults/lost-commands.test.ts.)
function fakeQueue() {
  const removed: string[] = [];
  const queue = {
    remove: async (id: string) => {
      removed.push(id);
      return 1;
    },
  } as unknown as Queue;
  return { queue, removed };
}

/** A watch whose checks see `verdicts` one after the other (the last one repeats). */
function watch(verdicts: Array<JobVerdict | Error>, queue = fakeQueue().queue) {
  let i = 0;
  const checks: number[] = [];
  const w = new CommandWatch({ queue, jobId: 'j1', hostId: 'h1', name: 'vm.migrate' }, 5, async () => {
    checks.push(i);
    const v = verdicts[Math.min(i++, verdicts.length - 1)]!;
    if (v instanceof Error) throw v;
    return v;
  });
  return { w, checks };
}

const settled = <T>(p: Promise<T>) =>
  p.then(
    (value) => ({ value }),
    (error: unknown) => ({ error }),
  );

describe('CommandWatch', () => {
  it('fails a command that vanished from Redis with command_lost, after two checks in a row', async () => {
    const { w, checks } = watch([{ kind: 'running' }, { kind: 'vanished' }]);
    const { error } = (await settled(w.result)) as { error: AgentCommandError };
    expect(error).toBeInstanceOf(AgentCommandError);
    expect(error.code).toBe('command_lost');
    expect(error.message).toMatch(/host h1 lost the command vm.migrate: it vanished from Redis/);
    expect(checks).toHaveLength(1 + LOST_AFTER_CHECKS);
  });

  it('fails a command whose agent stopped (active, no live lock) with command_lost', async () => {
    const { w } = watch([{ kind: 'orphaned' }]);
    const { error } = (await settled(w.result)) as { error: AgentCommandError };
    expect(error.code).toBe('command_lost');
    expect(error.message).toMatch(/the agent that was running it stopped/);
  });

  it('one lost look between live ones is not enough (a stalled job being taken back)', async () => {
    const { w, checks } = watch([
      { kind: 'orphaned' },
      { kind: 'running' },
      { kind: 'orphaned' },
      { kind: 'running' },
      { kind: 'completed', returnvalue: { ok: true } },
    ]);
    expect(await w.result).toEqual({ ok: true });
    expect(checks).toHaveLength(5);
  });

  it('settles from Redis when the completion or failure event was missed', async () => {
    expect(await watch([{ kind: 'completed', returnvalue: { n: 1 } }]).w.result).toEqual({ n: 1 });
    const { error } = (await settled(
      watch([
        {
          kind: 'failed',
          failedReason: 'kelpie-agent-error:{"code":"outcome_unknown","message":"not run again"}',
        },
      ]).w.result,
    )) as { error: AgentCommandError };
    expect(error).toMatchObject({ code: 'outcome_unknown', message: 'not run again' });
  });

  it('a Redis that cannot be read decides nothing', async () => {
    const { w, checks } = watch([
      new Error('ECONNREFUSED'),
      { kind: 'vanished' },
      new Error('ECONNREFUSED'),
      { kind: 'running' },
      { kind: 'completed', returnvalue: 1 },
    ]);
    expect(await w.result).toBe(1);
    expect(checks).toHaveLength(5);
  });

  it('a queued command with no agent listening is removed and fails not_delivered', async () => {
    const { queue, removed } = fakeQueue();
    const { w, checks } = watch([{ kind: 'queued', agentListening: false }], queue);
    const { error } = (await settled(w.result)) as { error: AgentCommandError };
    expect(error.code).toBe('not_delivered');
    expect(removed).toEqual(['j1']);
    expect(checks).toHaveLength(UNDELIVERED_AFTER_CHECKS);
  });

  it('never settles while the command runs, and stops checking when stopped', async () => {
    const { w, checks } = watch([{ kind: 'running' }]);
    await new Promise((r) => setTimeout(r, 60));
    w.stop();
    const seen = checks.length;
    expect(seen).toBeGreaterThan(2);
    await new Promise((r) => setTimeout(r, 40));
    expect(checks.length).toBe(seen);
  });
});
