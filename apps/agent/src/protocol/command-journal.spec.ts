import { mkdtemp, readdir, rm, utimes } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { pino } from 'pino';
import { AgentError } from '../errors/agent-error';
import { AtMostOnce } from './at-most-once';
import { CommandJournal } from './command-journal';

const log = pino({ level: 'silent' });
const UUID = '6de778cd-c9ea-461b-8d51-d36ff64f6303';
const migrate = { name: 'vm.migrate', payload: { uuid: UUID, destinationUri: 'qemu+tcp://10.0.0.2/system' } };
const refresh = { name: 'host.refresh', payload: {} };

describe('CommandJournal + AtMostOnce', () => {
  let dir: string;
  beforeEach(async () => {
    dir = await mkdtemp(join(tmpdir(), 'kelpie-journal-'));
  });
  afterEach(() => rm(dir, { recursive: true, force: true }));

  /** A fresh guard on the same directory: what a restarted agent sees. */
  const restarted = (facts: string[] = ['domain is not defined on this host']) =>
    new AtMostOnce(new CommandJournal(dir), async () => ({ facts }), log);

  it('a non-idempotent job delivered again after it finished reports the first outcome, without running', async () => {
    let runs = 0;
    const exec = async () => ({ run: ++runs });
    expect(await restarted().run('job-1', migrate, exec)).toEqual({ run: 1 });
    // The agent restarted; BullMQ delivers the same job again.
    expect(await restarted().run('job-1', migrate, exec)).toEqual({ run: 1 });
    expect(runs).toBe(1);
  });

  it('a failure is replayed with its code and message', async () => {
    let runs = 0;
    const exec = async () => {
      runs++;
      throw new AgentError('libvirt_error', 'migration failed: no route');
    };
    await expect(restarted().run('job-2', migrate, exec)).rejects.toMatchObject({
      code: 'libvirt_error',
      message: 'migration failed: no route',
    });
    await expect(restarted().run('job-2', migrate, exec)).rejects.toMatchObject({ code: 'libvirt_error' });
    expect(runs).toBe(1);
  });

  it('a job journaled started but never done (the agent died mid-command) is not run again: outcome_unknown with what the host shows', async () => {
    const journal = new CommandJournal(dir);
    await journal.started('job-3', 'vm.migrate'); // ... and the agent was SIGKILLed here
    let runs = 0;
    const err = (await restarted(['domain 6de7… is not defined on this host'])
      .run('job-3', migrate, async () => ++runs)
      .catch((e: unknown) => e)) as AgentError;
    expect(runs).toBe(0);
    expect(err).toBeInstanceOf(AgentError);
    expect(err.code).toBe('outcome_unknown');
    expect(err.message).toMatch(/not run again.*not defined on this host/);
    expect(err.details).toMatchObject({ facts: ['domain 6de7… is not defined on this host'] });
  });

  it('a job delivered again while its first run goes on in this process joins that run', async () => {
    const guard = restarted();
    let runs = 0;
    let finish!: (v: unknown) => void;
    const exec = () => {
      runs++;
      return new Promise((r) => (finish = r));
    };
    const first = guard.run('job-4', migrate, exec);
    const second = guard.run('job-4', migrate, exec);
    while (runs === 0) await new Promise((r) => setTimeout(r, 5));
    finish({ ok: 1 });
    expect(await Promise.all([first, second])).toEqual([{ ok: 1 }, { ok: 1 }]);
    expect(runs).toBe(1);
  });

  it('idempotent commands are not journaled: a later delivery runs again', async () => {
    let runs = 0;
    const exec = async () => ({ domains: ++runs });
    await restarted().run('job-5', refresh, exec);
    await restarted().run('job-5', refresh, exec);
    expect(runs).toBe(2);
    expect(await readdir(dir)).toEqual([]);
  });

  it('is bounded: old entries and entries beyond the cap are pruned', async () => {
    const journal = new CommandJournal(dir, { maxEntries: 3, maxAgeMs: 3600_000 });
    for (let i = 0; i < 5; i++) {
      const e = await journal.started(`job-${i}`, 'vm.clone');
      await journal.done(e, { ok: true, result: i });
    }
    const files = await readdir(dir);
    const now = Date.now() / 1000;
    // job-0 is two hours old: pruned by age even before the cap applies.
    for (const [i, f] of files.entries()) await utimes(join(dir, f), now - i, now - i);
    const old = files[0]!;
    await utimes(join(dir, old), now - 7200, now - 7200);
    expect(await journal.prune()).toBe(2);
    expect(await readdir(dir)).toHaveLength(3);
    expect(await readdir(dir)).not.toContain(old);
  });
});
