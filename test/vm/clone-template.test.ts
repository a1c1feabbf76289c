import { GUEST_READY_LINE, virshOrThrow } from '@kelpie/lab';
import type { Vm } from '@kelpie/shared-types';
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
  vmStatus,
} from './support-ks';

/** Clones and templates on a real host (lab ks): full copies, templates that never start, thin
 * VMs backed by the template's disk. */
let p: TestPlatform;
let src: TestVm;
let cloneId = '';
const SRC_MAC = '52:54:00:4b:53:01';

interface CloneResult {
  vmId: string;
  macs: string[];
  disks: Array<{ target: string; path: string; backingPath: string | null }>;
}

const domiflistMacs = async (id: string) =>
  [...(await virshOrThrow(uriOf(p), ['domiflist', id])).matchAll(/([0-9a-f]{2}(?::[0-9a-f]{2}){5})/g)].map(
    (m) => m[1],
  );

beforeAll(async () => {
  p = await startTestPlatform({ labName: 'ksc', subnet: 150, hosts: 1 });
  src = await defineTestVm(p, 'ks-src', { mac: SRC_MAC });
}, 180_000);

afterAll(async () => {
  await p?.close();
});

describe('clone', () => {
  let clone: CloneResult;

  it('refuses to clone a running VM (409, nothing sent)', async () => {
    await startAndWaitReady(p, src);
    const res = await p.engine.api('POST', `/api/v1/vms/${src.id}/clone`, { name: 'ks-running-clone' });
    expect(res.status).toBe(409);
    expect(res.body.message).toMatch(/stopped/);
    expect((await apiOk<{ total: number }>(p, 'GET', '/api/v1/vms?q=ks-running-clone')).total).toBe(0);
    await destroy(p, src);
  });

  it('clones a stopped VM: new UUID, name and MAC, a full copy of its disk, and it boots', async () => {
    const t = await run202(p, 'POST', `/api/v1/vms/${src.id}/clone`, { name: 'ks-clone1' });
    clone = t.result as unknown as CloneResult;
    cloneId = clone.vmId;
    const uri = uriOf(p);
    expect(await virshOrThrow(uri, ['list', '--all', '--name'])).toContain('ks-clone1');
    const uuid = (await virshOrThrow(uri, ['domuuid', 'ks-clone1'])).trim();
    expect(uuid).toBe(clone.vmId);
    expect(uuid).not.toBe(src.id);
    const macs = await domiflistMacs(uuid);
    expect(macs).toHaveLength(1);
    expect(macs[0]).not.toBe(SRC_MAC);
    expect(await domiflistMacs(src.id)).toEqual([SRC_MAC]);

    const disk = (await domblklist(p, uuid)).find((r) => r[2] === 'vda')![3];
    expect(disk).not.toBe(src.disk);
    expect(disk).toBe(clone.disks[0].path);
    const info = await qemuImgInfo(disk);
    expect(info.format).toBe('qcow2');
    expect(info['backing-filename']).toBeUndefined();

    const vm = await apiOk<Vm>(p, 'GET', `/api/v1/vms/${uuid}`);
    expect(vm).toMatchObject({ name: 'ks-clone1', isTemplate: false, hostId: p.hosts.h1.id, status: 'down' });

    // It boots (its serial log is the source's file: count the READY lines).
    const readies = (await readFile(src.serialLog, 'utf8')).split(GUEST_READY_LINE).length;
    await virshOrThrow(uri, ['start', uuid]);
    await eventually(
      'the clone booted',
      async () => (await readFile(src.serialLog, 'utf8')).split(GUEST_READY_LINE).length > readies,
      60_000,
      250,
    );
    await eventually('clone up in the engine', async () => (await vmStatus(p, uuid)) === 'up', 20_000, 200);
  });

  it('refuses a clone name already taken (409 naming the field)', async () => {
    const res = await p.engine.api('POST', `/api/v1/vms/${src.id}/clone`, { name: 'ks-clone1' });
    expect(res.status).toBe(409);
    expect(res.body.details[0].field).toBe('name');
  });

  it('refuses to make a template of a running VM (409)', async () => {
    const res = await p.engine.api('POST', `/api/v1/vms/${clone.vmId}/template`);
    expect(res.status).toBe(409);
    expect((await apiOk<Vm>(p, 'GET', `/api/v1/vms/${clone.vmId}`)).isTemplate).toBe(false);
    await virshOrThrow(uriOf(p), ['destroy', clone.vmId]);
  });
});

describe('templates', () => {
  let thin: CloneResult;

  it('refuses a bad or taken template name (400/409 naming the field); the VM stays a VM', async () => {
    const bad = await p.engine.api('POST', `/api/v1/vms/${src.id}/template`, { name: 'x y', extra: 1 });
    expect(bad.status).toBe(400);
    expect(bad.body.details.map((d: { field: string }) => d.field).sort()).toEqual(['extra', 'name']);
    const taken = await p.engine.api('POST', `/api/v1/vms/${src.id}/template`, { name: 'ks-clone1' });
    expect(taken.status).toBe(409);
    expect(taken.body.details[0].field).toBe('name');
    expect(await apiOk<Vm>(p, 'GET', `/api/v1/vms/${src.id}`)).toMatchObject({
      name: 'ks-src',
      isTemplate: false,
    });
  });

  it('turns a stopped VM into a template with the given name that can never start', async () => {
    const tpl = await apiOk<Vm>(p, 'POST', `/api/v1/vms/${src.id}/template`, {
      name: 'ks-tpl',
      description: 'golden image',
    });
    expect(tpl).toMatchObject({ isTemplate: true, name: 'ks-tpl', description: 'golden image' });
    expect(await apiOk<Vm>(p, 'GET', `/api/v1/vms/${src.id}`)).toMatchObject({
      name: 'ks-tpl',
      isTemplate: true,
    });
    // The stopped domain on the host is renamed with it.
    expect((await virshOrThrow(uriOf(p), ['domname', src.id])).trim()).toBe('ks-tpl');
    const start = await p.engine.api('POST', `/api/v1/vms/${src.id}/start`);
    expect(start.status).toBe(409);
    expect(start.body.message).toMatch(/template/);
    expect((await virshOrThrow(uriOf(p), ['domstate', src.id])).trim()).toBe('shut off');
  });

  it('creates a thin VM: a qcow2 overlay backed by the template disk', async () => {
    const t = await run202(p, 'POST', `/api/v1/templates/${src.id}/vms`, { name: 'ks-thin1', mode: 'thin' });
    thin = t.result as unknown as CloneResult;
    const disk = (await domblklist(p, thin.vmId)).find((r) => r[2] === 'vda')![3];
    const info = await qemuImgInfo(disk);
    expect(info.format).toBe('qcow2');
    expect(info['backing-filename']).toBe(src.disk);
    expect(info['backing-filename-format']).toBe('qcow2');
    const vm = await apiOk<Vm>(p, 'GET', `/api/v1/vms/${thin.vmId}`);
    expect(vm.sourceTemplateId).toBe(src.id);
    expect(vm.isTemplate).toBe(false);
    expect(await domiflistMacs(thin.vmId)).not.toContain(SRC_MAC);
  });

  it('creates a full VM from the template: no backing file', async () => {
    const t = await run202(p, 'POST', `/api/v1/templates/${src.id}/vms`, { name: 'ks-full1', mode: 'full' });
    const r = t.result as unknown as CloneResult;
    const info = await qemuImgInfo(r.disks[0].path);
    expect(info['backing-filename']).toBeUndefined();
    expect((await apiOk<Vm>(p, 'GET', `/api/v1/vms/${r.vmId}`)).sourceTemplateId).toBeNull();
  });

  it('refuses to delete a template that backs thin VMs (409 naming them)', async () => {
    const res = await p.engine.api('DELETE', `/api/v1/vms/${src.id}`);
    expect(res.status).toBe(409);
    expect(res.body.code).toBe('has_children');
    expect(res.body.details).toEqual([
      expect.objectContaining({ ref: expect.objectContaining({ name: 'ks-thin1' }) }),
    ]);
    expect(await virshOrThrow(uriOf(p), ['list', '--all', '--name'])).toContain('ks-tpl');
    expect(existsSync(src.disk)).toBe(true);
  });

  it('refuses bad input (400) and a mode on a VM that is not a template (409)', async () => {
    const bad = await p.engine.api('POST', `/api/v1/templates/${src.id}/vms`, {
      name: 'x y',
      mode: 'sparse',
    });
    expect(bad.status).toBe(400);
    expect(bad.body.details.map((d: { field: string }) => d.field).sort()).toEqual(['mode', 'name']);
    const notTpl = await p.engine.api('POST', `/api/v1/templates/${cloneId}/vms`, {
      name: 'ks-x',
      mode: 'thin',
    });
    expect(notTpl.status).toBe(409);
  });
});
