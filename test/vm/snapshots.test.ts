import { parseHeartbeats, virshOrThrow } from '@kelpie/lab';
import { existsSync } from 'node:fs';
import { readFile } from 'node:fs/promises';
import { eventually, startTestPlatform, TestPlatform } from '../support/platform';
import {
  apiOk,
  defineTestVm,
  destroy,
  domblklist,
  qemuImgInfo,
  run202,
  startAndWaitReady,
  TestVm,
  uriOf,
} from './support-ks';

/** Snapshots on a real running TCG guest (lab ks): internal with memory, external disk-only merged
 * back on delete, the tree, and the guards. */
let p: TestPlatform;
let g: TestVm;

interface Node {
  id: string;
  name: string;
  parentId: string | null;
  type: string;
  withMemory: boolean;
  children: Node[];
}

const snapshotNames = async (id: string) =>
  (await virshOrThrow(uriOf(p), ['snapshot-list', '--name', id]))
    .split('\n')
    .map((l) => l.trim())
    .filter(Boolean);

const heartbeats = async () => parseHeartbeats(await readFile(g.serialLog, 'utf8'));
const lastBeat = async () => (await heartbeats()).at(-1) ?? -1;

beforeAll(async () => {
  p = await startTestPlatform({
    labName: 'ks',
    subnet: 82,
    hosts: 1,
    engineEnv: { KELPIE_SNAPSHOT_WARN_COUNT: '1' },
  });
  g = await defineTestVm(p, 'ks-snap1');
  await startAndWaitReady(p, g);
}, 180_000);

afterAll(async () => {
  await p?.close();
});

describe('snapshots', () => {
  it('takes an internal snapshot with memory and reverts the running guest to it', async () => {
    await eventually('a few heartbeats', async () => (await lastBeat()) >= 2, 30_000, 250);
    const t = await run202(p, 'POST', `/api/v1/vms/${g.id}/snapshots`, {
      name: 'first',
      description: 'before changes',
      type: 'internal',
      withMemory: true,
    });
    const s1 = (t.result as { snapshotId: string }).snapshotId;
    const atSnapshot = await lastBeat();
    expect(await snapshotNames(g.id)).toEqual([s1]);
    expect((await virshOrThrow(uriOf(p), ['snapshot-current', '--name', g.id])).trim()).toBe(s1);
    const xml = await virshOrThrow(uriOf(p), ['snapshot-dumpxml', g.id, s1]);
    expect(xml).toMatch(/<memory snapshot='internal'/);
    expect(xml).toContain('<description>before changes</description>');
    // libvirt cannot live-migrate a domain with snapshots: refused before any task, not failed in one.
    const migrate = await p.engine.api('POST', `/api/v1/vms/${g.id}/migrate`, {});
    expect(migrate.status).toBe(409);
    expect(migrate.body.message).toMatch(
      /has 1 snapshot\(s\): libvirt cannot live-migrate a domain with snapshots/,
    );

    // The guest runs on; after the revert its heartbeat counter is back near the snapshot's.
    await eventually(
      'heartbeats past the snapshot',
      async () => (await lastBeat()) >= atSnapshot + 4,
      30_000,
      250,
    );
    const maxBefore = Math.max(...(await heartbeats()));
    const lenBefore = (await heartbeats()).length;
    await run202(p, 'POST', `/api/v1/vms/${g.id}/snapshots/${s1}/revert`);
    const after = await eventually(
      'heartbeats after the revert',
      async () => {
        const hb = (await heartbeats()).slice(lenBefore);
        return hb.length >= 1 ? hb : undefined;
      },
      30_000,
      250,
    );
    expect(after[0]).toBeLessThan(maxBefore);
    expect(after[0]).toBeLessThanOrEqual(atSnapshot + 2);
    expect((await virshOrThrow(uriOf(p), ['domstate', g.id])).trim()).toBe('running');
  });

  it('lists snapshots as a tree, warns past the limit and deletes them', async () => {
    const first = (await apiOk<{ items: Node[] }>(p, 'GET', `/api/v1/vms/${g.id}/snapshots`)).items[0];
    const t = await run202(p, 'POST', `/api/v1/vms/${g.id}/snapshots`, { name: 'second', withMemory: true });
    const result = t.result as { snapshotId: string; parentId: string; warning?: string };
    expect(result.parentId).toBe(first.id);
    // KELPIE_SNAPSHOT_WARN_COUNT=1: the second snapshot warns (task result and audit log).
    expect(result.warning).toMatch(/2 snapshots/);
    const events = await apiOk<{ items: Array<{ type: string; message: string }> }>(
      p,
      'GET',
      `/api/v1/events?limit=200`,
    );
    expect(events.items.some((e) => e.type === 'vm.snapshot.limit')).toBe(true);

    const tree = await apiOk<{ roots: Node[]; items: Node[] }>(p, 'GET', `/api/v1/vms/${g.id}/snapshots`);
    expect(tree.roots.map((r) => r.name)).toEqual(['first']);
    expect(tree.roots[0].children.map((c) => c.name)).toEqual(['second']);
    expect(tree.items.find((i) => i.name === 'second')!.parentId).toBe(first.id);
    // libvirt agrees on the parent.
    expect(
      (await virshOrThrow(uriOf(p), ['snapshot-parent', '--domain', g.id, result.snapshotId])).trim(),
    ).toBe(first.id);

    // Deleting the parent re-parents the child, in libvirt and in the tree.
    await run202(p, 'DELETE', `/api/v1/vms/${g.id}/snapshots/${first.id}`);
    expect(await snapshotNames(g.id)).toEqual([result.snapshotId]);
    const tree2 = await apiOk<{ roots: Node[] }>(p, 'GET', `/api/v1/vms/${g.id}/snapshots`);
    expect(tree2.roots.map((r) => [r.name, r.parentId])).toEqual([['second', null]]);
    await run202(p, 'DELETE', `/api/v1/vms/${g.id}/snapshots/${result.snapshotId}`);
    expect(await snapshotNames(g.id)).toEqual([]);
    expect((await apiOk<{ items: Node[] }>(p, 'GET', `/api/v1/vms/${g.id}/snapshots`)).items).toEqual([]);
  });

  it('takes an external disk-only snapshot and deletes it by merging the overlay back', async () => {
    const t = await run202(p, 'POST', `/api/v1/vms/${g.id}/snapshots`, { name: 'ext', type: 'external' });
    const r = t.result as { snapshotId: string; overlays: Array<{ target: string; path: string }> };
    expect(r.overlays).toHaveLength(1);
    const overlay = r.overlays[0].path;
    expect(existsSync(overlay)).toBe(true);
    expect(overlay).not.toBe(g.disk);
    expect((await domblklist(p, g.id)).find((row) => row[2] === 'vda')![3]).toBe(overlay);
    expect((await qemuImgInfo(overlay))['backing-filename']).toBe(g.disk);

    // libvirt 9 cannot revert external snapshots: refused before anything reaches the host.
    const rev = await p.engine.api('POST', `/api/v1/vms/${g.id}/snapshots/${r.snapshotId}/revert`);
    expect(rev.status).toBe(409);
    expect(rev.body.code).toBe('invalid_state');

    const del = await run202(p, 'DELETE', `/api/v1/vms/${g.id}/snapshots/${r.snapshotId}`);
    expect((del.result as { merged: unknown[] }).merged).toEqual([{ target: 'vda', overlay, into: g.disk }]);
    expect((await domblklist(p, g.id)).find((row) => row[2] === 'vda')![3]).toBe(g.disk);
    expect(existsSync(overlay)).toBe(false);
    expect(await snapshotNames(g.id)).toEqual([]);
    // The guest kept running through the merge.
    const n = await (async () => (await heartbeats()).length)();
    await eventually(
      'heartbeats after the merge',
      async () => (await heartbeats()).length > n + 1,
      20_000,
      250,
    );
  });

  it('refuses bad input (400), illegal states (409) and snapshots that cannot fit (422)', async () => {
    const ext = await p.engine.api('POST', `/api/v1/vms/${g.id}/snapshots`, {
      name: 'x',
      type: 'external',
      withMemory: true,
    });
    expect(ext.status).toBe(400);
    expect(ext.body.details).toEqual(
      expect.arrayContaining([expect.objectContaining({ field: 'withMemory' })]),
    );
    const bad = await p.engine.api('POST', `/api/v1/vms/${g.id}/snapshots`, {
      name: 'a b',
      type: 'sideways',
    });
    expect(bad.status).toBe(400);
    expect(bad.body.details.map((d: { field: string }) => d.field).sort()).toEqual(['name', 'type']);

    // A VM being migrated: its snapshots are neither taken nor reverted.
    await p.engine.sql(`UPDATE vm SET status = 'migrating_from' WHERE id = $1`, [g.id]);
    const mig = await p.engine.api('POST', `/api/v1/vms/${g.id}/snapshots`, { name: 'during-migration' });
    expect(mig.status).toBe(409);
    expect(mig.body.message).toMatch(/migrating/);
    await p.engine.sql(`UPDATE vm SET status = 'up' WHERE id = $1`, [g.id]);

    // 60 TiB of virtual disk (sparse qcow2) on a pool with far less free space.
    const big = await defineTestVm(p, 'ks-snap-big', { diskSize: '60T' });
    const before = await snapshotNames(big.id);
    const res = await p.engine.api('POST', `/api/v1/vms/${big.id}/snapshots`, { name: 'too-big' });
    expect(res.status).toBe(422);
    expect(res.body.code).toBe('unprocessable');
    expect(res.body.message).toMatch(/not enough free space/);
    expect(await snapshotNames(big.id)).toEqual(before);
    await destroy(p, g);
  });
});
