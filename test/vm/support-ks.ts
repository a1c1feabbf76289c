import { GUEST_READY_LINE, runOrThrow, testGuest, testGuestDomainXml, virshOrThrow } from '@kelpie/lab';
import type { Task, Vm } from '@kelpie/shared-types';
import { mkdtemp, readFile, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { create } from 'xmlbuilder2';
import { eventually, TestPlatform } from '../support/platform';

/** Helpers of the clone/template, snapshot and cloud-init tests (lab `ks`): a VM recorded through
 * the API whose domain (same UUID, qcow2 disk in the shared dir) is defined with raw virsh. */
export interface TestVm {
  id: string;
  name: string;
  disk: string;
  serialLog: string;
}

export const uriOf = (p: TestPlatform, labHost = 'h1') =>
  p.labStatus.hosts.find((h) => h.name === labHost)!.uri;

export async function apiOk<T>(p: TestPlatform, method: string, path: string, body?: unknown): Promise<T> {
  const res = await p.engine.api(method, path, body);
  if (res.status >= 300) throw new Error(`${method} ${path} → ${res.status} ${JSON.stringify(res.body)}`);
  return res.body as T;
}

/** Waits for a task to be final; throws with its error unless it succeeded. */
export async function taskDone(p: TestPlatform, task: Task, timeoutMs = 120_000): Promise<Task> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const t = await apiOk<Task>(p, 'GET', `/api/v1/tasks/${task.id}?wait=10000`);
    if (t.status === 'succeeded') return t;
    if (t.status !== 'queued' && t.status !== 'running')
      throw new Error(`task ${t.type} ${t.status}: ${t.errorCode} ${t.errorMessage}`);
    if (Date.now() > deadline) throw new Error(`task ${t.type} still ${t.status} after ${timeoutMs} ms`);
  }
}

/** POST expecting 202; returns the finished task. */
export async function run202(p: TestPlatform, method: string, path: string, body?: unknown): Promise<Task> {
  const res = await p.engine.api(method, path, body);
  if (res.status !== 202) throw new Error(`${method} ${path} → ${res.status} ${JSON.stringify(res.body)}`);
  expect(res.headers.get('location')).toBe(`/api/v1/tasks/${(res.body as Task).id}`);
  return taskDone(p, res.body as Task);
}

export async function defineTestVm(
  p: TestPlatform,
  name: string,
  opts: { mac?: string; diskSize?: string; labHost?: string } = {},
): Promise<TestVm> {
  const vm = await apiOk<Vm>(p, 'POST', '/api/v1/vms', {
    name,
    clusterId: p.clusterId,
    memoryMib: 128,
    vcpus: 1,
  });
  const dir = p.labStatus.sharedDir;
  const disk = join(dir, `${name}.qcow2`);
  const serialLog = join(dir, `${name}.log`);
  await runOrThrow('qemu-img', ['create', '-q', '-f', 'qcow2', disk, opts.diskSize ?? '64M']);
  const guest = await testGuest();
  const xml = testGuestDomainXml({
    name,
    uuid: vm.id,
    memoryMiB: 128,
    vcpus: 1,
    virtType: 'qemu',
    kernel: guest.kernel,
    initrd: guest.initrd,
    diskPath: disk,
    serialLogPath: serialLog,
    bridge: 'br0',
    macAddress: opts.mac,
  });
  // The test guest's disk is raw; ours is qcow2 (internal snapshots, overlays).
  const doc = create(xml);
  const root = (
    doc.node as unknown as {
      documentElement: {
        getElementsByTagName(t: string): ArrayLike<{ setAttribute(n: string, v: string): void }>;
      };
    }
  ).documentElement;
  root.getElementsByTagName('driver')[0].setAttribute('type', 'qcow2');
  const tmp = await mkdtemp(join(tmpdir(), 'ks-'));
  const file = join(tmp, `${name}.xml`);
  await writeFile(file, doc.end({ prettyPrint: true }));
  const uri = uriOf(p, opts.labHost);
  await virshOrThrow(uri, ['define', file]);
  const hostId = p.hosts[opts.labHost ?? 'h1'].id;
  await eventually(
    `${name} placed on its host`,
    async () => (await apiOk<Vm>(p, 'GET', `/api/v1/vms/${vm.id}`)).hostId === hostId,
    20_000,
    200,
  );
  return { id: vm.id, name, disk, serialLog };
}

export async function vmStatus(p: TestPlatform, id: string): Promise<string> {
  return (await apiOk<Vm>(p, 'GET', `/api/v1/vms/${id}`)).status;
}

/** Starts with raw virsh (part A's start endpoint is not required) and waits for the guest. */
export async function startAndWaitReady(p: TestPlatform, vm: TestVm, labHost = 'h1'): Promise<void> {
  const before = await readFile(vm.serialLog, 'utf8').catch(() => '');
  await virshOrThrow(uriOf(p, labHost), ['start', vm.id]);
  await eventually(
    `${vm.name} ready`,
    async () =>
      (await readFile(vm.serialLog, 'utf8').catch(() => '')).slice(before.length).includes(GUEST_READY_LINE),
    60_000,
    250,
  );
  await eventually(
    `${vm.name} up in the engine`,
    async () => (await vmStatus(p, vm.id)) === 'up',
    20_000,
    200,
  );
}

export async function destroy(p: TestPlatform, vm: TestVm, labHost = 'h1'): Promise<void> {
  await virshOrThrow(uriOf(p, labHost), ['destroy', vm.id]).catch(() => undefined);
  await eventually(
    `${vm.name} down in the engine`,
    async () => (await vmStatus(p, vm.id)) === 'down',
    20_000,
    200,
  );
}

export async function qemuImgInfo(path: string): Promise<Record<string, unknown>> {
  return JSON.parse(await runOrThrow('qemu-img', ['info', '-U', '--output=json', path])) as Record<
    string,
    unknown
  >;
}

/** `virsh domblklist --details` rows: type, device, target, source. */
export async function domblklist(p: TestPlatform, id: string, labHost = 'h1'): Promise<string[][]> {
  const out = await virshOrThrow(uriOf(p, labHost), ['domblklist', '--details', id]);
  return out
    .split('\n')
    .slice(2)
    .map((l) => l.trim().split(/\s+/))
    .filter((r) => r.length >= 4);
}
