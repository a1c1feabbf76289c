import { virsh, virshOrThrow } from '@kelpie/lab';
import type { ApiErrorBody, Task, Vm } from '@kelpie/shared-types';
import { eventually, startTestPlatform, TestPlatform } from '../support/platform';
import { apiOk, defineTestVm, TestVm, uriOf } from './support-ks';

/** Conflicting requests fired at once on one VM (lab kqa1, 2 hosts, real TCG guests): the task lock in
 * Postgres lets exactly one through, every other gets 409 naming the winner's task, and libvirt
 * shows only what the winner did. */
let p: TestPlatform;

interface Answer {
  status: number;
  body: Task & ApiErrorBody;
}

const fire = (method: string, path: string, body?: unknown) =>
  p.engine.api(method, `/api/v1${path}`, body) as Promise<Answer>;

async function finalTask(t: Task): Promise<Task> {
  for (;;) {
    const cur = await apiOk<Task>(p, 'GET', `/api/v1/tasks/${t.id}?wait=20000`);
    if (!['queued', 'running'].includes(cur.status)) return cur;
  }
}

/** Exactly one 202; each other answer a 409 whose details name the winner's task (when `strict`; a
 * loser the state table refused first may name none, but never another task). */
function oneWinner(answers: Answer[], strict = true): { winner: Task; index: number } {
  const won = answers.filter((a) => a.status === 202);
  expect({ accepted: won.length, statuses: answers.map((a) => a.status) }).toMatchObject({ accepted: 1 });
  const winner = won[0]!.body;
  for (const a of answers.filter((x) => x !== won[0])) {
    expect({ status: a.status, code: a.body.code }).toEqual({ status: 409, code: 'invalid_state' });
    const refs = (a.body.details ?? []).map((d) => d.ref).filter((r) => r?.type === 'task');
    if (strict || refs.length) {
      expect(refs).toEqual([{ type: 'task', id: winner.id, name: winner.type }]);
      expect(a.body.message).toContain(`busy with ${winner.type} (task ${winner.id})`);
    }
  }
  return { winner, index: answers.indexOf(won[0]!) };
}

/** Where libvirt has the domain, with its state: { h1: 'running' } … */
async function whereIs(id: string): Promise<Record<string, string>> {
  const out: Record<string, string> = {};
  for (const h of p.labStatus.hosts) {
    const r = await virsh(h.uri, ['domstate', id]);
    if (r.code === 0) out[h.name] = r.stdout.trim();
  }
  return out;
}

const vmOf = async (id: string) =>
  (await p.engine.api('GET', `/api/v1/vms/${id}`)) as { status: number; body: Vm };
const waitStatus = (vm: TestVm, status: string) =>
  eventually(`${vm.name} ${status}`, async () => (await vmOf(vm.id)).body.status === status, 30_000, 200);

beforeAll(async () => {
  p = await startTestPlatform({ labName: 'kqa1', subnet: 101, hosts: 2 });
}, 180_000);

afterAll(async () => {
  await p?.close();
});

describe('concurrent operations on one VM', () => {
  let a: TestVm;

  it('two starts at once: one task starts the VM, the other is a 409 naming it; it runs once', async () => {
    a = await defineTestVm(p, 'kqa-a');
    const answers = await Promise.all([
      fire('POST', `/vms/${a.id}/start`),
      fire('POST', `/vms/${a.id}/start`),
    ]);
    const { winner } = oneWinner(answers);
    expect(await finalTask(winner)).toMatchObject({ type: 'vm.start', status: 'succeeded' });
    expect(await whereIs(a.id)).toEqual({ h1: 'running' });
    const tasks = await apiOk<{ items: Task[] }>(p, 'GET', `/api/v1/tasks?objectId=${a.id}`);
    expect(tasks.items.map((t) => t.id)).toEqual([winner.id]);
  });

  it('migrate and delete at once: one wins, libvirt shows its outcome only', async () => {
    await waitStatus(a, 'up');
    const answers = await Promise.all([
      fire('POST', `/vms/${a.id}/migrate`, { targetHostId: p.hosts.h2.id }),
      fire('DELETE', `/vms/${a.id}?force=true`),
    ]);
    const { winner } = oneWinner(answers);
    const done = await finalTask(winner);
    if (winner.type === 'vm.delete') {
      expect(done.status).toBe('succeeded');
      expect(await whereIs(a.id)).toEqual({});
      expect((await vmOf(a.id)).status).toBe(404);
    } else {
      expect(winner.type).toBe('vm.migrate');
      // The VM runs exactly once, where the migration's outcome says, and still exists.
      const expected = done.status === 'succeeded' ? 'h2' : 'h1';
      const where = await whereIs(a.id);
      expect(Object.entries(where).filter(([, s]) => s === 'running')).toEqual([[expected, 'running']]);
      expect((await vmOf(a.id)).status).toBe(200);
    }
  });

  it('start and migrate at once: the start wins, the migration is refused; the VM runs once on h1', async () => {
    const b = await defineTestVm(p, 'kqa-b');
    const answers = await Promise.all([
      fire('POST', `/vms/${b.id}/start`),
      fire('POST', `/vms/${b.id}/migrate`, { targetHostId: p.hosts.h2.id }),
    ]);
    // A down VM cannot migrate: the migration is refused by the lock or, first, by the state table.
    const { winner, index } = oneWinner(answers, false);
    expect(index).toBe(0);
    expect(await finalTask(winner)).toMatchObject({ type: 'vm.start', status: 'succeeded' });
    expect(await whereIs(b.id)).toEqual({ h1: 'running' });
    const tasks = await apiOk<{ items: Task[] }>(p, 'GET', `/api/v1/tasks?objectId=${b.id}`);
    expect(tasks.items.map((t) => t.id)).toEqual([winner.id]);
  });

  it('snapshot and clone at once: one wins, the loser leaves no record, snapshot or domain', async () => {
    const c = await defineTestVm(p, 'kqa-c');
    const before = await virshOrThrow(uriOf(p), ['list', '--all', '--uuid']);
    const answers = await Promise.all([
      fire('POST', `/vms/${c.id}/snapshots`, { name: 'race' }),
      fire('POST', `/vms/${c.id}/clone`, { name: 'kqa-c-copy' }),
    ]);
    const { winner } = oneWinner(answers);
    const done = await finalTask(winner);
    expect(done.status).toBe('succeeded');
    const snapshots = (await virshOrThrow(uriOf(p), ['snapshot-list', '--name', c.id])).trim();
    const copies = (await apiOk<{ items: Vm[] }>(p, 'GET', '/api/v1/vms?q=kqa-c-copy')).items;
    const domains = (await virshOrThrow(uriOf(p), ['list', '--all', '--uuid'])).trim().split('\n').length;
    if (winner.type === 'vm.clone') {
      expect(snapshots).toBe('');
      expect(copies.map((v) => v.name)).toEqual(['kqa-c-copy']);
      expect(await whereIs(copies[0]!.id)).toEqual({ h1: 'shut off' });
      expect(domains).toBe(before.trim().split('\n').length + 1);
    } else {
      expect(winner.type).toBe('vm.snapshot.create');
      expect(snapshots.split('\n')).toHaveLength(1);
      expect(copies).toEqual([]);
      expect(domains).toBe(before.trim().split('\n').length);
    }
    // Both tasks' objects are free again: the loser's operation now goes through.
    const again = await fire('POST', `/vms/${c.id}/snapshots`, { name: 'after' });
    expect(again.status).toBe(202);
    expect((await finalTask(again.body)).status).toBe('succeeded');
  });
});
