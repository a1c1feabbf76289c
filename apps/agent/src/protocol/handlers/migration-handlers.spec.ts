import { COMMANDS } from '@kelpie/shared-types';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { pino } from 'pino';
import type { DomainEventListener, DomainEventTap } from '../../inventory/inventory-sync';
import { LibvirtClient } from '../../libvirt/operations';
import { parseDomjobinfo } from '../../libvirt/operations/migration';
import { VirshError, VirshRunner } from '../../libvirt/process';
import type { CommandContext } from '../registry';
import { MigrationHandlers, migrationPercent } from './migration-handlers';

const fx = (f: string) => readFileSync(join(__dirname, '..', '..', 'libvirt', '__fixtures__', f), 'utf8');
const UUID = '6de778cd-c9ea-461b-8d51-d36ff64f6303';
const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

/** A source host whose `virsh migrate` takes `ms`; the host's event stream announces the switch-over
 * and the job's final statistics shortly before virsh returns, as libvirt 9 does. */
function fakeSource(
  ms: number,
  opts: { jobCompleted: boolean; jobVisibleAfterMs?: number; cachedState?: 'running'; abortable?: boolean },
) {
  let abortJob = () => undefined as void;
  const aborted = new Promise<void>((r) => (abortJob = r));
  const t0 = Date.now();
  const calls: string[][] = [];
  const listeners = new Set<DomainEventListener>();
  const emit = (ev: Parameters<DomainEventListener>[0]) => listeners.forEach((l) => l(ev));
  const runner = Object.assign(new VirshRunner({ uri: 'test:///source', binary: '/bin/false' }), {
    run: async (args: readonly string[]) => {
      calls.push([...args]);
      switch (args[0]) {
        case 'migrate':
          if (opts.abortable) {
            await aborted;
            throw new VirshError('libvirt_error', 'operation aborted: migration out job: canceled by client');
          }
          await sleep(ms - 400);
          emit({ event: 'lifecycle', domain: 'vm1', lifecycle: { type: 'Suspended', reason: 'Migrated' } });
          await sleep(390);
          emit({ event: 'lifecycle', domain: 'vm1', lifecycle: { type: 'Stopped', reason: 'Migrated' } });
          if (opts.jobCompleted)
            emit({ event: 'job-completed', domain: 'vm1', params: { time_elapsed: '1500', downtime: '42' } });
          await sleep(10);
          return { stdout: '', stderr: '' };
        case 'domjobinfo':
          if (Date.now() - t0 < (opts.jobVisibleAfterMs ?? 0))
            return { stdout: 'Job type:         None\n', stderr: '' };
          return { stdout: fx('domjobinfo-migrating.txt'), stderr: '' };
        case 'migrate-setmaxdowntime':
          return { stdout: '', stderr: '' };
        case 'domjobabort':
          abortJob();
          return { stdout: '', stderr: '' };
        case 'dumpxml':
          return { stdout: fx('dumpxml-managed-running.xml'), stderr: '' };
        case 'domstate':
          return { stdout: 'running (booted)\n', stderr: '' };
        default:
          throw new Error(`unexpected virsh ${args[0]}`);
      }
    },
  });
  const tap: DomainEventTap = {
    onDomainEvent: (l) => (listeners.add(l), () => void listeners.delete(l)),
    nameOf: (u) => (u === UUID ? 'vm1' : undefined),
    stateOf: () => opts.cachedState,
  };
  // The polling session answers like the host's virsh (and is counted with it).
  const handlers = new MigrationHandlers(new LibvirtClient(runner), tap, runner);
  return { handlers, calls, listeners };
}

function context() {
  const progress: { percent: number; message?: string; phase?: unknown }[] = [];
  const ctx: CommandContext = {
    jobId: '1',
    command: 'vm.migrate',
    log: pino({ level: 'silent' }),
    signal: new AbortController().signal,
    progress: async (percent, message, data) => void progress.push({ percent, message, phase: data?.phase }),
  };
  return { ctx, progress };
}

const payload = COMMANDS['vm.migrate'].payload.parse({
  uuid: UUID,
  destinationUri: 'qemu+tcp://10.0.0.2/system',
  options: {
    maxBandwidthMiBps: null,
    maxDowntimeMs: 300,
    autoConverge: false,
    postcopy: 'off',
    compressed: false,
    storage: 'shared',
    unsafe: true,
    abortOnNoProgressSeconds: 60,
    maxTotalSeconds: 120,
  },
});

describe('migration progress', () => {
  it('counts the data already sent against the total', () => {
    expect(migrationPercent(parseDomjobinfo(fx('domjobinfo-migrating.txt')))).toBe(16);
  });
});

describe('vm.migrate on the source agent', () => {
  it('starts virsh migrate without reading the domain first and sets the downtime alongside', async () => {
    const { handlers, calls } = fakeSource(2200, { jobCompleted: true });
    const { ctx } = context();
    await handlers.migrate(payload, ctx);
    expect(calls[0]![0]).toBe('migrate');
    expect(calls.map((c) => c[0])).not.toContain('domstate');
    expect(calls.filter((c) => c[0] === 'migrate-setmaxdowntime')).toEqual([
      ['migrate-setmaxdowntime', '--domain', UUID, '--downtime', '300'],
    ]);
  });

  it('takes the final statistics from the job-completed event, without asking the destination', async () => {
    const { handlers, calls, listeners } = fakeSource(2200, { jobCompleted: true });
    const { ctx, progress } = context();
    const result = await handlers.migrate(payload, ctx);
    expect(result.stats).toMatchObject({ downtimeMs: 42, totalMs: 1500 });
    expect(calls.filter((c) => c.includes('--completed'))).toEqual([]);
    expect(listeners.size).toBe(0);
    // Samples while copying, then the switch-over is named (no domjobinfo polling during it).
    expect(progress.some((p) => p.phase === 'precopy')).toBe(true);
    const firstCompleting = progress.findIndex((p) => p.phase === 'completing');
    expect(firstCompleting).toBeGreaterThan(0);
    expect(progress.slice(firstCompleting).every((p) => p.phase === 'completing')).toBe(true);
  });

  it('says something at least once a second even while no job sample comes', async () => {
    // The job shows up only after 1.8 s (destination QEMU starting): no samples until then.
    const { handlers } = fakeSource(3200, { jobCompleted: true, jobVisibleAfterMs: 1800 });
    const { ctx, progress } = context();
    const stamps: number[] = [];
    const t0 = Date.now();
    const inner = ctx.progress;
    ctx.progress = async (...a) => (stamps.push(Date.now() - t0), inner(...a));
    await handlers.migrate(payload, ctx);
    const gaps = stamps.slice(1).map((t, i) => t - stamps[i]!);
    expect(Math.max(...gaps)).toBeLessThan(1400);
    expect(progress.some((p) => /^starting: the target prepares/.test(p.message ?? ''))).toBe(true);
    expect(
      progress.some((p) => /completing: the VM is paused for the switch-over/.test(p.message ?? '')),
    ).toBe(true);
  });

  it("aborts libvirt's migration job when the command's time is up (the signal), and fails", async () => {
    const { handlers, calls } = fakeSource(0, { jobCompleted: false, abortable: true });
    const abort = new AbortController();
    const { ctx } = context();
    ctx.signal = abort.signal;
    const running = handlers.migrate(payload, ctx).catch((e: unknown) => e);
    await sleep(300);
    expect(calls.map((c) => c[0])).not.toContain('domjobabort');
    abort.abort();
    const err = await running;
    expect(calls.filter((c) => c[0] === 'domjobabort')).toEqual([['domjobabort', '--domain', UUID]]);
    expect(err).toMatchObject({
      code: 'timeout',
      message: expect.stringMatching(/timed out: migration aborted/),
    });
  });

  it('vm.migration-info reads the state the event stream keeps instead of running domstate', async () => {
    const cached = fakeSource(0, { jobCompleted: false, cachedState: 'running' });
    expect(await cached.handlers.info({ uuid: UUID }, context().ctx)).toMatchObject({ state: 'running' });
    expect(cached.calls.map((c) => c[0])).toEqual(['dumpxml']);
    const cold = fakeSource(0, { jobCompleted: false });
    await cold.handlers.info({ uuid: UUID }, context().ctx);
    expect(cold.calls.map((c) => c[0]).sort()).toEqual(['domstate', 'dumpxml']);
  });
});
