import type { Task, Vm } from '@kelpie/shared-types';
import { VmStatus } from '@kelpie/shared-types';
import { MigrationKit, type StartedGuest } from '../migration/migration-kit';
import { eventually } from '../support/platform';

/** A migration whose virsh connection is cut: libvirtd restarted on the source or the target while
 * the move is under way (lab `kqb3`, 2 hosts). Whatever QEMU made of it, the task, the VM record and
 * libvirt on both hosts agree the moment the task ends: the engine asked both hosts before settling,
 * it did not leave the VM `migrating_from` until a later listing or the stale-migration cleanup. */
const LAB = { name: 'kqb3', subnet: 107 };

let k: MigrationKit;

beforeAll(async () => {
  k = await MigrationKit.start({ labName: LAB.name, subnet: LAB.subnet, hosts: 2 });
}, 180_000);

afterAll(async () => {
  if (k) await k.close();
});

const task$ = async (id: string) => (await k.api('GET', `/api/v1/tasks/${id}`)).body as Task;

/** A bandwidth-limited migration h1 → h2 of a fresh guest, under way (some progress reported). */
async function underWay(name: string): Promise<{ g: StartedGuest; task: Task }> {
  const g = await k.startGuest('h1', name, { memoryMiB: 128 });
  const task = await k.migrate(g.id, { targetHostId: k.hostId('h2'), maxBandwidthMiBps: 4 });
  await eventually('migration under way', async () => (await task$(task.id)).progress >= 1, 30_000, 100);
  return { g, task };
}

/** The task's end, the VM record read right after it and libvirt on both hosts tell one story. */
async function agreeAtTheEnd(task: Task, g: StartedGuest, what: string): Promise<void> {
  const final = await k.waitTask(task.id, 180_000);
  // Read at once: the record must already be right when the task ends.
  const vm: Vm = await k.vm(g.id);
  const where = await k.whereIs(g.id);
  const running = Object.entries(where).filter(([, s]) => s === 'running' || s === 'paused');
  console.log(
    `${what}: task ${final.status} (${final.errorMessage ?? 'no error'}); VM record ${vm.status} on ` +
      `${vm.hostId === k.hostId('h1') ? 'h1' : vm.hostId === k.hostId('h2') ? 'h2' : vm.hostId}; libvirt ${JSON.stringify(where)}`,
  );
  expect(['succeeded', 'failed']).toContain(final.status);
  // libvirt runs it exactly once.
  expect(running).toHaveLength(1);
  const [owner, state] = running[0]!;
  expect(state).toBe('running');
  expect({ task: final.status, hostId: vm.hostId, status: vm.status }).toEqual({
    task: owner === 'h2' ? 'succeeded' : 'failed',
    hostId: k.hostId(owner),
    status: VmStatus.Up,
  });
  if (final.status === 'failed') expect(final.errorMessage).toMatch(/the VM stays on kqb3-h1/);
  const migration = (await k.api('GET', `/api/v1/migrations/${task.id}`)).body as { status: string };
  expect(migration.status).toBe(final.status);
  await k.heartbeatAfter(g.log, await k.heartbeat(g.log), `${g.name} still runs`);
}

it("the source's libvirtd restarted mid-migration: task, VM record and libvirt agree when the task ends", async () => {
  const { g, task } = await underWay('kqb3-src');
  await k.p.lab.restartLibvirtd('h1');
  await agreeAtTheEnd(task, g, 'source libvirtd restarted');
}, 300_000);

it("the target's libvirtd restarted mid-migration: task, VM record and libvirt agree when the task ends", async () => {
  const { g, task } = await underWay('kqb3-tgt');
  await k.p.lab.restartLibvirtd('h2');
  await agreeAtTheEnd(task, g, 'target libvirtd restarted');
}, 300_000);
