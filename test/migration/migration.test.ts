import { virsh, virshOrThrow } from '@kelpie/lab';
import type { StreamMessage, Task, VmMigration } from '@kelpie/shared-types';
import { HostStatus, VmStatus } from '@kelpie/shared-types';
import { randomUUID } from 'node:crypto';
import { readFile, writeFile } from 'node:fs/promises';
import { openStream } from '@kelpie/test-support';
import { eventually, TestPlatform } from '../support/platform';
import { MigrationKit } from './migration-kit';

/** Live migration and host maintenance on lab `kg` (3 hosts, real TCG guests). Non-shared
 * storage (copy-all, copy-incremental) is in migration-storage.test.ts. */
let k: MigrationKit;
let p: TestPlatform;
const uriOf = (h: string) => k.uriOf(h);
const hostId = (h: string) => k.hostId(h);
const api = (method: string, path: string, body?: unknown) => k.api(method, path, body);
const vm = (id: string) => k.vm(id);
const host = (h: string) => k.host(h);
const waitTask = (id: string, ms?: number) => k.waitTask(id, ms);
const migrate = (id: string, body: Record<string, unknown>) => k.migrate(id, body);
const startGuest = (h: string, name: string, o?: Parameters<MigrationKit['startGuest']>[2]) =>
  k.startGuest(h, name, o);
const heartbeat = (log: string) => k.heartbeat(log);
const heartbeatAfter = (log: string, after: number, what: string) => k.heartbeatAfter(log, after, what);
const whereIs = (id: string) => k.whereIs(id);

beforeAll(async () => {
  k = await MigrationKit.start({ labName: 'kg', subnet: 83, hosts: 3 });
  p = k.p;
}, 180_000);

afterAll(async () => {
  if (k) await k.close();
});

describe('live migration', () => {
  let g1: { id: string; log: string };

  it('migrates a guest dirtying 32 MiB h1 → h2 → h1 with live progress, heartbeat continuing', async () => {
    g1 = await startGuest('h1', 'kg-mig1', { memoryMiB: 128, dirtyMiB: 32 });
    // The dirty loop runs once the heartbeat does. (The guest crashes once seen after moves were QEMU
    // 7.2's TCG dirty-sync bug, at any guest uptime; the test guest's padded RAM avoids it: ADR 0005.)
    await k.guestBooted(g1.log, 'guest heartbeat');
    for (const [from, to] of [
      ['h1', 'h2'],
      ['h2', 'h1'],
    ] as const) {
      const stream = await openStream(`${p.engine.baseUrl}/api/v1/events/stream?objectId=${g1.id}`);
      try {
        const before = await heartbeat(g1.log);
        // autoConverge off keeps the move short on a loaded machine; the policy merge is covered elsewhere.
        const task = await migrate(g1.id, {
          targetHostId: hostId(to),
          maxBandwidthMiBps: 30,
          autoConverge: false,
        });
        const statuses = new Set<string>();
        let final: Task;
        for (;;) {
          statuses.add((await vm(g1.id)).status);
          final = (await api('GET', `/api/v1/tasks/${task.id}`)).body as Task;
          if (!['queued', 'running'].includes(final.status)) break;
          await new Promise((r) => setTimeout(r, 200));
        }
        expect(final.errorMessage).toBeNull();
        expect(final.status).toBe('succeeded');
        expect(statuses.has(VmStatus.MigratingFrom)).toBe(true);
        // libvirt: only on the new host, running.
        expect(await whereIs(g1.id)).toEqual({ [to]: 'running' });
        const v = await vm(g1.id);
        expect(v.hostId).toBe(hostId(to));
        expect(v.status).toBe(VmStatus.Up);
        // The guest kept running across the move.
        await heartbeatAfter(g1.log, before, 'heartbeat after the move');
        // Live progress from the source's domjobinfo, at ≥ 1 Hz while it ran.
        const progress = stream.messages.filter(
          (m): m is Extract<StreamMessage, { type: 'task.progress' }> =>
            m.type === 'task.progress' &&
            m.task.id === task.id &&
            /precopy|postcopy/.test(m.task.progressMessage ?? ''),
        );
        const times = progress.map((m) => Date.parse(m.time));
        const spanMs = times.length > 1 ? times[times.length - 1]! - times[0]! : 0;
        const gaps = times.slice(1).map((t, i) => t - times[i]!);
        console.log(
          `${from}→${to}: ${progress.length} progress events over ${spanMs} ms (max gap ${Math.max(0, ...gaps)} ms); ` +
            `result ${JSON.stringify({ ...final.result, stats: undefined, policy: undefined })}`,
        );
        // ≥ 1 Hz on average; a single gap may stretch when the machine is overloaded (seen: 1.6 s at
        // load 17 on 2 cores) but never to several polling periods.
        expect(progress.length).toBeGreaterThanOrEqual(2);
        expect(progress.length).toBeGreaterThanOrEqual(spanMs / 1000);
        expect(Math.max(0, ...gaps)).toBeLessThan(3000);
        // Final statistics stored on the task and the migration record.
        const r = final.result as Record<string, number | null>;
        expect(r.totalMs).toBeGreaterThan(0);
        expect(typeof r.downtimeMs).toBe('number');
        expect(r.dataTransferredBytes).toBeGreaterThan(32 * 1024 * 1024);
        const m = (await api('GET', `/api/v1/migrations/${task.id}`)).body as VmMigration;
        expect(m.status).toBe('succeeded');
        expect(m.progressSamples).toBeGreaterThan(0);
        expect(m.targetRunningAt && m.sourceGoneAt).toBeTruthy();
        // The audit log tells the move in order: started, then migrated.
        const trail = (
          (await api('GET', `/api/v1/events?objectId=${task.id}&sort=time:asc`)).body as {
            items: { type: string }[];
          }
        ).items.map((e) => e.type);
        expect(trail.indexOf('vm.migration_started')).toBeGreaterThanOrEqual(0);
        expect(trail.indexOf('vm.migration_started')).toBeLessThan(trail.indexOf('vm.migrated'));
      } finally {
        stream.close();
      }
    }
  }, 240_000);

  it('refuses what cannot work with a clear 4xx and sends nothing', async () => {
    const count = async () =>
      Number(
        (await p.engine.sql<{ n: string }>(`SELECT count(*) n FROM task WHERE type = 'vm.migrate'`))[0]!.n,
      );
    const before = await count();
    const expectError = async (id: string, body: unknown, status: number, re: RegExp) => {
      const res = await api('POST', `/api/v1/vms/${id}/migrate`, body);
      expect({ status: res.status, message: res.body.message }).toEqual({
        status,
        message: expect.stringMatching(re),
      });
    };
    await expectError(g1.id, { targetHostId: (await vm(g1.id)).hostId }, 409, /already runs on/);
    await expectError(g1.id, { targetHostId: randomUUID() }, 404, /does not exist/);
    await expectError(g1.id, { postcopy: 'sometimes' }, 400, /postcopy/);
    await expectError(g1.id, { maxBandwidthMiBps: 0 }, 400, /maxBandwidthMiBps/);
    // Unsafe disk cache with shared storage.
    const wb = await startGuest('h2', 'kg-cache', { memoryMiB: 96, cache: 'writeback' });
    await expectError(wb.id, { targetHostId: hostId('h3') }, 422, /cache=writeback/);
    // Not running.
    await virshOrThrow(uriOf('h2'), ['destroy', wb.id]);
    await eventually('kg-cache down', async () => (await vm(wb.id)).status === VmStatus.Down, 10_000);
    await expectError(wb.id, {}, 409, /only a running VM/);
    // Task-level cancel of something final is a 409; a VM that is not migrating too.
    const done = ((await api('GET', `/api/v1/tasks?type=vm.migrate&limit=1`)).body as { items: Task[] })
      .items[0]!;
    expect((await api('POST', `/api/v1/tasks/${done.id}/cancel`)).status).toBe(409);
    expect((await api('POST', `/api/v1/vms/${g1.id}/migrate/cancel`)).status).toBe(409);
    expect(await count()).toBe(before);
  }, 60_000);

  let slow: { id: string; log: string };

  it('cancels a bandwidth-limited migration midway: the VM keeps running on the source', async () => {
    slow = await startGuest('h1', 'kg-slow', { memoryMiB: 256 });
    const task = await migrate(slow.id, { targetHostId: hostId('h2'), maxBandwidthMiBps: 4 });
    await eventually(
      'some progress',
      async () => {
        const t = (await api('GET', `/api/v1/tasks/${task.id}`)).body as Task;
        return t.progress >= 3 ? t : undefined;
      },
      30_000,
    );
    const res = await api('POST', `/api/v1/vms/${slow.id}/migrate/cancel`);
    expect(res.status).toBe(202);
    const final = await waitTask(task.id, 20_000);
    expect(final.status).toBe('cancelled');
    expect(final.errorMessage).toMatch(/cancelled/);
    expect(await whereIs(slow.id)).toEqual({ h1: 'running' });
    await eventually(
      'engine shows it up on h1',
      async () => {
        const v = await vm(slow.id);
        return v.status === VmStatus.Up && v.hostId === hostId('h1');
      },
      15_000,
    );
    const m = (await api('GET', `/api/v1/migrations/${task.id}`)).body as VmMigration;
    expect(m.status).toBe('cancelled');
  }, 90_000);

  it("fails cleanly when the target's libvirtd dies mid-migration; the VM stays on the source", async () => {
    const task = await migrate(slow.id, { targetHostId: hostId('h3'), maxBandwidthMiBps: 4 });
    await eventually(
      'some progress',
      async () => {
        const t = (await api('GET', `/api/v1/tasks/${task.id}`)).body as Task;
        return t.progress >= 3 ? t : undefined;
      },
      30_000,
    );
    const h3 = (await p.lab.status()).hosts.find((h) => h.name === 'h3')!;
    process.kill(h3.libvirtdPid!, 'SIGKILL');
    try {
      const final = await waitTask(task.id, 60_000);
      console.log(`target libvirtd killed: ${final.status}: ${final.errorMessage}`);
      expect(final.status).toBe('failed');
      expect(final.errorMessage).toMatch(/failed: .+; the VM stays on kg-h1/);
      const where = await whereIs(slow.id);
      expect(where.h1).toBe('running');
      await eventually(
        'engine shows it up on h1',
        async () => {
          const v = await vm(slow.id);
          return v.status === VmStatus.Up && v.hostId === hostId('h1');
        },
        15_000,
      );
    } finally {
      await p.lab.restartLibvirtd('h3');
    }
    // After the restart the target holds no running copy, and the engine still says h1.
    await eventually('no copy running on h3', async () => (await whereIs(slow.id)).h3 !== 'running', 20_000);
    expect((await vm(slow.id)).hostId).toBe(hostId('h1'));
    await virsh(uriOf('h1'), ['destroy', slow.id]);
  }, 120_000);

  it('switches to postcopy (vm.unprivileged_userfaultfd=1)', async () => {
    const sysctl = '/proc/sys/vm/unprivileged_userfaultfd';
    const previous = (await readFile(sysctl, 'utf8')).trim();
    await writeFile(sysctl, '1');
    try {
      const before = await heartbeat(g1.log);
      // "immediate": the agent switches to postcopy as soon as the job runs (a quiet machine would
      // otherwise converge in precopy); it sees the source's "Suspended Post-copy" event.
      const task = await migrate(g1.id, {
        targetHostId: hostId('h3'),
        postcopy: 'immediate',
        autoConverge: false,
        maxBandwidthMiBps: 10,
      });
      const final = await waitTask(task.id, 60_000);
      expect(final.errorMessage).toBeNull();
      expect(final.status).toBe('succeeded');
      const r = final.result as { postcopyUsed: boolean; downtimeMs: number | null };
      console.log(`postcopy: ${JSON.stringify({ ...final.result, stats: undefined, policy: undefined })}`);
      expect(r.postcopyUsed).toBe(true);
      expect(await whereIs(g1.id)).toEqual({ h3: 'running' });
      expect((await vm(g1.id)).hostId).toBe(hostId('h3'));
      await heartbeatAfter(g1.log, before, 'heartbeat after postcopy');
    } finally {
      await writeFile(sysctl, previous);
    }
    await virsh(uriOf('h3'), ['destroy', g1.id]);
  }, 90_000);

  it('aborts cleanly when the data remaining stops shrinking (stall policy without postcopy)', async () => {
    // 2 MiB/s cannot keep up with a guest re-dirtying 32 MiB: after the first pass the remaining data
    // stops going down, and the agent must abort after abortOnNoProgressSeconds. (At 8 MiB/s a guest
    // starved of CPU on a loaded machine dirtied slowly enough to converge; 2 MiB/s × 50 ms downtime
    // leaves a 100 KiB threshold the dirty loop never gets under.)
    const stall = await startGuest('h1', 'kg-stall', { memoryMiB: 128, dirtyMiB: 32 });
    await k.guestBooted(stall.log, 'stall guest heartbeat');
    const task = await migrate(stall.id, {
      targetHostId: hostId('h2'),
      maxBandwidthMiBps: 2,
      maxDowntimeMs: 50,
      autoConverge: false,
      postcopy: 'off',
      abortOnNoProgressSeconds: 5,
    });
    const final = await waitTask(task.id, 90_000);
    console.log(`stall: ${final.status}: ${final.errorMessage}`);
    expect(final.status).toBe('failed');
    expect(final.errorMessage).toMatch(/no progress for 5 s/);
    expect(await whereIs(stall.id)).toEqual({ h1: 'running' });
    await eventually(
      'engine shows it up on h1',
      async () => {
        const v = await vm(stall.id);
        return v.status === VmStatus.Up && v.hostId === hostId('h1');
      },
      15_000,
    );
    await virsh(uriOf('h1'), ['destroy', stall.id]);
  }, 240_000);

  it('switches a stalled migration to postcopy when the policy allows it (on-stall)', async () => {
    const sysctl = '/proc/sys/vm/unprivileged_userfaultfd';
    const previous = (await readFile(sysctl, 'utf8')).trim();
    await writeFile(sysctl, '1');
    const g = await startGuest('h1', 'kg-onstall', { memoryMiB: 128, dirtyMiB: 32 });
    try {
      await k.guestBooted(g.log, 'on-stall guest heartbeat');
      const task = await migrate(g.id, {
        targetHostId: hostId('h2'),
        maxBandwidthMiBps: 2,
        maxDowntimeMs: 50,
        autoConverge: false,
        postcopy: 'on-stall',
        abortOnNoProgressSeconds: 5,
      });
      const final = await waitTask(task.id, 120_000);
      console.log(
        `on-stall: ${final.status}: ${JSON.stringify({ ...final.result, stats: undefined, policy: undefined })}`,
      );
      expect(final.status).toBe('succeeded');
      expect((final.result as { postcopyUsed: boolean }).postcopyUsed).toBe(true);
      expect(await whereIs(g.id)).toEqual({ h2: 'running' });
      await eventually('engine shows it on h2', async () => (await vm(g.id)).hostId === hostId('h2'), 15_000);
    } finally {
      await writeFile(sysctl, previous);
      await virsh(uriOf('h2'), ['destroy', g.id]);
      await virsh(uriOf('h1'), ['destroy', g.id]);
    }
  }, 270_000);
});

describe('host maintenance', () => {
  it('spreads the VMs of h1 over h2 and h3, refuses new ones, and activate brings it back', async () => {
    const ids: string[] = [];
    for (const n of [1, 2, 3]) ids.push((await startGuest('h1', `kg-maint${n}`, { memoryMiB: 96 })).id);
    const res = await api('POST', `/api/v1/hosts/${hostId('h1')}/maintenance`);
    expect(res.status).toBe(202);
    expect((await host('h1')).status).toBe(HostStatus.PreparingForMaintenance);
    const final = await waitTask((res.body as Task).id, 120_000);
    expect(final.errorMessage).toBeNull();
    expect(final.status).toBe('succeeded');
    expect((await host('h1')).status).toBe(HostStatus.Maintenance);
    const owners = await Promise.all(ids.map(async (id) => (await vm(id)).hostId));
    console.log(
      `maintenance placed the VMs on ${owners.map((o) => Object.keys(p.hosts).find((k) => hostId(k) === o)).join(', ')}`,
    );
    expect(new Set(owners)).toEqual(new Set([hostId('h2'), hostId('h3')]));
    for (const id of ids) {
      const where = await whereIs(id);
      expect(where.h1).toBeUndefined();
      expect(Object.values(where)).toEqual(['running']);
    }
    // No new VM goes to a host in maintenance.
    const back = await api('POST', `/api/v1/vms/${ids[0]}/migrate`, { targetHostId: hostId('h1') });
    expect(back.status).toBe(409);
    expect(back.body.message).toMatch(/maintenance/);
    const act = await api('POST', `/api/v1/hosts/${hostId('h1')}/activate`);
    expect(act.status).toBe(200);
    expect((await host('h1')).status).toBe(HostStatus.Up);
  }, 180_000);
});
