import { execFileSync } from 'node:child_process';
import { randomUUID } from 'node:crypto';
import { existsSync, mkdtempSync, rmSync, unlinkSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { deleteVolumeChain } from './volume-chain';

/** Real qcow2 files and the real `qemu-img info --backing-chain`; only libvirt's `vol-delete` is
 * played by unlinking the file in the pool's directory. */
describe('deleting a disk volume with its snapshot overlays', () => {
  let dir: string;
  let outside: string;
  const volumes = () => ({
    poolPath: async () => dir,
    deleteVolume: jest.fn(async (_pool: string, name: string) => {
      if (existsSync(join(dir, name))) unlinkSync(join(dir, name));
    }),
  });
  const img = (path: string, backing?: string) =>
    execFileSync('qemu-img', [
      'create',
      '-q',
      '-f',
      'qcow2',
      ...(backing ? ['-b', backing, '-F', 'qcow2'] : []),
      path,
      ...(backing ? [] : ['16M']),
    ]);
  const vol = () => `${randomUUID()}.qcow2`;
  const overlay = (diskId: string) => `${diskId.replace('.qcow2', '')}.${randomUUID()}`;

  beforeEach(() => {
    dir = mkdtempSync(join(tmpdir(), 'kelpie-chain-'));
    outside = mkdtempSync(join(tmpdir(), 'kelpie-tpl-'));
  });
  afterEach(() => {
    rmSync(dir, { recursive: true, force: true });
    rmSync(outside, { recursive: true, force: true });
  });

  it('removes the whole chain of three external snapshots, top first, middle overlays included', async () => {
    const base = vol();
    const [o1, o2, o3] = [overlay(base), overlay(base), overlay(base)];
    img(join(dir, base));
    img(join(dir, o1), join(dir, base));
    img(join(dir, o2), join(dir, o1));
    img(join(dir, o3), join(dir, o2));
    const v = volumes();
    const deleted = await deleteVolumeChain(v, 'p', base, o3);
    expect(deleted).toEqual([o3, o2, o1, base].map((n) => join(dir, n)));
    for (const n of [base, o1, o2, o3]) expect(existsSync(join(dir, n))).toBe(false);
  });

  it('never touches what lies below the volume (a thin disk’s template image) nor another volume', async () => {
    const template = join(outside, vol());
    const other = vol();
    img(template);
    img(join(dir, other));
    const base = vol();
    const top = overlay(base);
    img(join(dir, base), template);
    img(join(dir, top), join(dir, base));
    const deleted = await deleteVolumeChain(volumes(), 'p', base, top);
    expect(deleted).toEqual([join(dir, top), join(dir, base)]);
    expect(existsSync(template)).toBe(true);
    expect(existsSync(join(dir, other))).toBe(true);
  });

  it('without an overlay, or once the top is gone (asked again), deletes the volume alone', async () => {
    const base = vol();
    img(join(dir, base));
    expect(await deleteVolumeChain(volumes(), 'p', base, undefined)).toEqual([join(dir, base)]);
    img(join(dir, base));
    const v = volumes();
    expect(await deleteVolumeChain(v, 'p', base, overlay(base))).toEqual([join(dir, base)]);
    expect(existsSync(join(dir, base))).toBe(false);
  });
});
