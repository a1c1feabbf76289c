import { virshOrThrow } from '@kelpie/lab';
import { StorageDomain } from '@kelpie/shared-types';
import { authHeaders } from '@kelpie/test-support';
import { execFileSync } from 'node:child_process';
import { createHash, randomBytes } from 'node:crypto';
import { existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { request } from 'node:http';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { eventually } from '../support/platform';
import { startVmLab, V1, VmLab } from '../vm/lifecycle-support';
import { labApi } from './lab-api';

/**
 * Images of a storage domain (lab kim1, 1 host): an ISO uploaded through the API (streamed to the
 * host), resumed after a dropped connection, in `virsh vol-list`; a VM's CD-ROM takes it by id
 * (domblklist), its delete is refused while the CD-ROM holds it; disk uploads are checked with
 * qemu-img (a backing file such as /etc/shadow is refused and nothing stays).
 */
let lab: VmLab;
let sd: StorageDomain;
let work: string;
const { api, get, succeeded } = labApi(() => lab);

interface Image {
  id: string;
  name: string;
  status: string;
  sizeBytes: number;
  receivedBytes: number;
  sha256: string | null;
  path: string | null;
  uploadUrl: string;
}

const sha256 = (b: Buffer) => createHash('sha256').update(b).digest('hex');

interface RawAnswer {
  status: number;
  headers: Record<string, string | string[] | undefined>;
  body: string;
}

/** A raw HTTP call to the engine (bytes, not JSON); `cutAfter` drops the connection after that many
 * body bytes were written, as a client losing its network would. */
function raw(
  method: string,
  path: string,
  headers: Record<string, string>,
  body?: Buffer,
  cutAfter?: number,
): Promise<RawAnswer> {
  const url = new URL(path, lab.p.engine.baseUrl);
  return new Promise((resolve, reject) => {
    const req = request(url, { method, headers: { ...authHeaders(), ...headers } }, (res) => {
      let text = '';
      res.on('data', (c: Buffer) => (text += c.toString('utf8')));
      res.on('end', () => resolve({ status: res.statusCode ?? 0, headers: res.headers, body: text }));
    });
    req.on('error', (e) =>
      cutAfter !== undefined ? resolve({ status: 0, headers: {}, body: e.message }) : reject(e),
    );
    if (!body) return req.end();
    if (cutAfter === undefined) return req.end(body);
    req.write(body.subarray(0, cutAfter), () => setTimeout(() => req.destroy(), 300));
  });
}

const patch = (image: Image, offset: number, bytes: Buffer, cutAfter?: number) =>
  raw(
    'PATCH',
    image.uploadUrl,
    {
      'Tus-Resumable': '1.0.0',
      'Upload-Offset': String(offset),
      'Content-Type': 'application/offset+octet-stream',
    },
    bytes,
    cutAfter,
  );
const offsetOf = async (image: Image) =>
  Number((await raw('HEAD', image.uploadUrl, {})).headers['upload-offset']);

async function startUpload(body: Record<string, unknown>): Promise<Image> {
  const res = await api('POST', `/storage-domains/${sd.id}/images`, body);
  if (res.status !== 201) throw new Error(`create image → ${res.status} ${JSON.stringify(res.body)}`);
  return res.body as Image;
}

async function volumes(): Promise<string[]> {
  await virshOrThrow(lab.uri('h1'), ['pool-refresh', `kelpie-${sd.id}`]);
  const out = await virshOrThrow(lab.uri('h1'), ['vol-list', '--pool', `kelpie-${sd.id}`]);
  return out
    .split('\n')
    .slice(2)
    .map((l) => l.trim().split(/\s+/)[0]!)
    .filter(Boolean);
}

const cdromOf = async (vmId: string) =>
  (await virshOrThrow(lab.uri('h1'), ['domblklist', vmId, '--details']))
    .split('\n')
    .find((l) => /\scdrom\s/.test(l) && /\shdc\s/.test(l))
    ?.trim()
    .split(/\s+/)[3] ?? '-';

beforeAll(async () => {
  lab = await startVmLab({
    labName: 'kim1',
    subnet: 181,
    hosts: 1,
    agentEnv: { KELPIE_STORAGE_CHECK_INTERVAL_MS: '1000' },
  });
  work = mkdtempSync(join(tmpdir(), 'kim1-'));
  const dir = join(lab.p.labStatus.sharedDir, 'sd-images');
  mkdirSync(dir, { recursive: true });
  const created = await api('POST', '/storage-domains', {
    name: 'images',
    datacenterId: lab.p.datacenterId,
    type: 'dir',
    path: dir,
  });
  sd = created.body as StorageDomain;
  await succeeded('POST', `/storage-domains/${sd.id}/attach`);
  await succeeded('POST', `/storage-domains/${sd.id}/activate`);
}, 180_000);

afterAll(async () => {
  if (work) rmSync(work, { recursive: true, force: true });
  await lab?.close();
});

describe('the ISO library', () => {
  let iso: Buffer;
  let image: Image;
  let vmId: string;

  it('refuses bad upload requests with 400 naming the field, and inactive or unknown domains', async () => {
    const before = (await get<Image[]>(`/storage-domains/${sd.id}/images`)).length;
    for (const [body, field] of [
      [{ name: 'x.iso', kind: 'iso', sizeBytes: 0 }, 'sizeBytes'],
      [{ name: 'x.qcow2', kind: 'disk', sizeBytes: 1024 }, 'format'],
      [{ name: '../x', kind: 'iso', sizeBytes: 1024 }, 'name'],
      [{ name: 'x.iso', kind: 'iso', sizeBytes: 1024, sha256: 'nope' }, 'sha256'],
    ] as const) {
      const res = await api('POST', `/storage-domains/${sd.id}/images`, body);
      expect(res.status).toBe(400);
      expect(res.body.details).toEqual(expect.arrayContaining([expect.objectContaining({ field })]));
    }
    // A domain never activated: no host serves its pool.
    const detached = (
      await api('POST', '/storage-domains', {
        name: 'never-active',
        datacenterId: lab.p.datacenterId,
        type: 'dir',
        path: join(lab.p.labStatus.sharedDir, 'sd-never-active'),
      })
    ).body as StorageDomain;
    const inactive = await api('POST', `/storage-domains/${detached.id}/images`, {
      name: 'x.iso',
      kind: 'iso',
      sizeBytes: 1024,
    });
    expect(inactive.status).toBe(409);
    expect((await get<Image[]>(`/storage-domains/${sd.id}/images`)).length).toBe(before);
  });

  it('uploads a real ISO streamed to the host, resumes it after a dropped connection, and lists it', async () => {
    const src = join(work, 'iso-src');
    mkdirSync(src);
    writeFileSync(join(src, 'README.TXT'), 'kelpie image test\n');
    writeFileSync(join(src, 'PAYLOAD.BIN'), randomBytes(6 * 1024 * 1024));
    const isoFile = join(work, 'test.iso');
    execFileSync('xorriso', ['-as', 'mkisofs', '-quiet', '-V', 'KELPIE_TEST', '-o', isoFile, src]);
    iso = readFileSync(isoFile);
    image = await startUpload({ name: 'test.iso', kind: 'iso', sizeBytes: iso.length, sha256: sha256(iso) });
    expect(image).toMatchObject({ status: 'uploading', receivedBytes: 0, sizeBytes: iso.length });

    // The client's connection drops after 3 MiB: what reached the host counts, nothing more.
    const cut = 3 * 1024 * 1024;
    await patch(image, 0, iso, cut);
    const resumeAt = await offsetOf(image);
    expect(resumeAt).toBeGreaterThan(0);
    expect(resumeAt).toBeLessThanOrEqual(cut);

    // A PATCH from another offset is refused (409), and does not move it.
    const wrong = await patch(image, resumeAt + 1, iso.subarray(resumeAt + 1));
    expect(wrong.status).toBe(409);
    expect(await offsetOf(image)).toBe(resumeAt);

    const done = await patch(image, resumeAt, iso.subarray(resumeAt));
    expect(done.status).toBe(204);
    expect(Number(done.headers['upload-offset'])).toBe(iso.length);

    const ready = await get<Image>(`/storage-domains/${sd.id}/images/${image.id}`);
    expect(ready).toMatchObject({ status: 'ready', receivedBytes: iso.length, sha256: sha256(iso) });
    expect(ready.path).toBe(join(lab.p.labStatus.sharedDir, 'sd-images', `iso-${image.id}.iso`));
    expect(sha256(readFileSync(ready.path!))).toBe(sha256(iso));
    expect(await volumes()).toContain(`iso-${image.id}.iso`);
    const list = await get<Image[]>(`/storage-domains/${sd.id}/images`);
    expect(list.map((i) => i.id)).toContain(image.id);
    image = ready;
  });

  it('is picked by id for a new VM’s CD-ROM; its delete is refused while the CD-ROM holds it', async () => {
    const t = await succeeded('POST', '/vms', {
      name: 'kim1-cd',
      clusterId: lab.p.clusterId,
      hostId: lab.p.hosts.h1.id,
      vcpus: 1,
      memoryMib: 128,
      boot: { kind: 'cdrom', isoId: image.id },
    });
    vmId = t.target!.id;
    await succeeded('POST', `/vms/${vmId}/start`);
    expect(await cdromOf(vmId)).toBe(image.path);

    const del = await api('DELETE', `/storage-domains/${sd.id}/images/${image.id}`);
    expect(del.status).toBe(409);
    expect(del.body.message).toContain('kim1-cd');
    expect(del.body.details).toEqual([
      expect.objectContaining({ ref: expect.objectContaining({ id: vmId }) }),
    ]);
    expect(await volumes()).toContain(`iso-${image.id}.iso`);
  });

  it('is ejected and inserted live by id, and a bad id is a 400 naming isoId', async () => {
    await succeeded('POST', `/vms/${vmId}/cdrom`, { isoPath: null });
    expect(await cdromOf(vmId)).toBe('-');
    await succeeded('POST', `/vms/${vmId}/cdrom`, { isoId: image.id });
    expect(await cdromOf(vmId)).toBe(image.path);
    const bad = await api('POST', `/vms/${vmId}/cdrom`, { isoId: '00000000-0000-4000-8000-000000000000' });
    expect(bad.status).toBe(400);
    expect(bad.body.details).toEqual([expect.objectContaining({ field: 'isoId' })]);
  });

  it('is deleted, volume and all, once ejected', async () => {
    await succeeded('POST', `/vms/${vmId}/cdrom`, { isoPath: null });
    const del = await api('DELETE', `/storage-domains/${sd.id}/images/${image.id}`);
    expect(del.status).toBe(204);
    expect(await volumes()).not.toContain(`iso-${image.id}.iso`);
    expect(existsSync(image.path!)).toBe(false);
    expect((await api('GET', `/storage-domains/${sd.id}/images/${image.id}`)).status).toBe(404);
  });
});

describe('disk uploads', () => {
  const qcow2 = (name: string, ...extra: string[]) => {
    const file = join(work, name);
    execFileSync('qemu-img', ['create', '-q', '-f', 'qcow2', ...extra, file, '64M']);
    return readFileSync(file);
  };

  it('refuses a qcow2 whose backing file is /etc/shadow (422), and nothing stays', async () => {
    const evil = qcow2('evil.qcow2', '-u', '-b', '/etc/shadow', '-F', 'raw');
    const image = await startUpload({
      name: 'evil.qcow2',
      kind: 'disk',
      format: 'qcow2',
      sizeBytes: evil.length,
    });
    const res = await patch(image, 0, evil);
    expect(res.status).toBe(422);
    const answer = JSON.parse(res.body) as { message: string; details: { field: string; reason: string }[] };
    expect(answer.message).toContain('/etc/shadow');
    expect(answer.details).toEqual([expect.objectContaining({ field: 'content' })]);
    expect((await api('GET', `/storage-domains/${sd.id}/images/${image.id}`)).status).toBe(404);
    expect((await api('GET', `/disks/${image.id}`)).status).toBe(404);
    expect((await volumes()).some((v) => v.includes(image.id))).toBe(false);
    // Audited: a warning naming the image, the domain and the reason.
    const events = await get<{ items: { severity: string; message: string; refs: { id: string }[] }[] }>(
      `/events?type=image.refused&objectId=${sd.id}`,
    );
    expect(events.items).toEqual(
      expect.arrayContaining([
        expect.objectContaining({
          severity: 'warning',
          message: expect.stringMatching(/evil\.qcow2 .*images.*refused and deleted: .*\/etc\/shadow/),
        }),
      ]),
    );
  });

  it('refuses a qcow2 declared raw (422)', async () => {
    const bytes = qcow2('plain.qcow2');
    const image = await startUpload({
      name: 'liar.img',
      kind: 'disk',
      format: 'raw',
      sizeBytes: bytes.length,
    });
    const res = await patch(image, 0, bytes);
    expect(res.status).toBe(422);
    expect(res.body).toContain('declared raw but the content is qcow2');
    expect((await volumes()).some((v) => v.includes(image.id))).toBe(false);
  });

  it('turns a clean qcow2 into a provisioned disk of the domain (qemu-img info on the host)', async () => {
    const bytes = qcow2('good.qcow2');
    const image = await startUpload({
      name: 'good-disk',
      kind: 'disk',
      format: 'qcow2',
      sizeBytes: bytes.length,
    });
    expect((await patch(image, 0, bytes)).status).toBe(204);
    const disk = await get<{
      id: string;
      volumePath: string;
      format: string;
      virtualSizeBytes: number;
      provisionedAt: string | null;
    }>(`/disks/${image.id}`);
    expect(disk).toMatchObject({ format: 'qcow2', virtualSizeBytes: 64 * 1024 * 1024 });
    expect(disk.provisionedAt).not.toBeNull();
    const info = JSON.parse(
      execFileSync('qemu-img', ['info', '-U', '--output=json', disk.volumePath], { encoding: 'utf8' }),
    ) as { format: string; 'virtual-size': number; 'backing-filename'?: string };
    expect(info).toMatchObject({ format: 'qcow2', 'virtual-size': 64 * 1024 * 1024 });
    expect(info['backing-filename']).toBeUndefined();
    const uploaded = await get<{ items: { message: string; refs: { type: string; id: string }[] }[] }>(
      `/events?type=image.uploaded&objectId=${image.id}`,
    );
    expect(uploaded.items).toHaveLength(1);
    expect(uploaded.items[0]!.message).toContain(
      `good-disk (qcow2, ${bytes.length} bytes, sha256 ${sha256(bytes)})`,
    );
    expect(uploaded.items[0]!.refs).toEqual(
      expect.arrayContaining([expect.objectContaining({ type: 'storage_domain', id: sd.id })]),
    );
    // The library keeps ISOs and uploads under way: the disk is no image any more.
    expect((await api('GET', `/storage-domains/${sd.id}/images/${image.id}`)).status).toBe(404);
    await eventually(
      'the volume listed',
      async () => (await volumes()).includes(`${image.id}.qcow2`),
      10_000,
      200,
    );

    // Downloaded back, streamed from the host: the same bytes.
    const down = await fetch(`${lab.p.engine.baseUrl}${V1}/disks/${image.id}/content`, {
      headers: authHeaders(),
    });
    expect(down.status).toBe(200);
    expect(down.headers.get('content-disposition')).toBe('attachment; filename="good-disk.qcow2"');
    expect(sha256(Buffer.from(await down.arrayBuffer()))).toBe(sha256(bytes));
  });

  it('moves a disk to another domain (offline copy, qemu-img info on the target, old volume gone)', async () => {
    const disks = await get<{ items: { id: string; name: string; volumePath: string }[] }>(
      `/disks?storageDomainId=${sd.id}`,
    );
    const disk = disks.items.find((d) => d.name === 'good-disk')!;
    const same = await api('POST', `/disks/${disk.id}/move`, { storageDomainId: sd.id });
    expect(same.status).toBe(400);
    expect(same.body.details).toEqual([expect.objectContaining({ field: 'storageDomainId' })]);

    const dirB = join(lab.p.labStatus.sharedDir, 'sd-images-b');
    mkdirSync(dirB, { recursive: true });
    const b = (
      await api('POST', '/storage-domains', {
        name: 'images-b',
        datacenterId: lab.p.datacenterId,
        type: 'dir',
        path: dirB,
      })
    ).body as StorageDomain;
    await succeeded('POST', `/storage-domains/${b.id}/attach`);
    await succeeded('POST', `/storage-domains/${b.id}/activate`);
    const t = await succeeded('POST', `/disks/${disk.id}/move`, { storageDomainId: b.id });
    expect(t.type).toBe('disk.move');
    const moved = await get<{ storageDomainId: string; volumePath: string }>(`/disks/${disk.id}`);
    expect(moved).toMatchObject({ storageDomainId: b.id, volumePath: join(dirB, `${disk.id}.qcow2`) });
    const info = JSON.parse(
      execFileSync('qemu-img', ['info', '-U', '--output=json', moved.volumePath], { encoding: 'utf8' }),
    ) as { format: string; 'virtual-size': number };
    expect(info).toMatchObject({ format: 'qcow2', 'virtual-size': 64 * 1024 * 1024 });
    expect(existsSync(disk.volumePath)).toBe(false);
    expect(await volumes()).not.toContain(`${disk.id}.qcow2`);
  });
});
