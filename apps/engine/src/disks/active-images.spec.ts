import type { EntityManager } from 'typeorm';
import { ActiveImages } from './active-images';

const BASE = '/srv/d1.qcow2';
const OV1 = '/srv/d1.s1';
const OV2 = '/srv/d1.s2';

/** One disk (vda) of VM vm-1 in a fake manager. */
function disk(activeImagePath: string | null) {
  const row = { id: 'd1', vmId: 'vm-1', targetDev: 'vda', volumePath: BASE, activeImagePath };
  const db = {
    findOneBy: async (_e: unknown, w: { vmId: string; targetDev: string }) =>
      w.vmId === row.vmId && w.targetDev === row.targetDev ? { ...row } : null,
    update: async (_e: unknown, _w: unknown, set: { activeImagePath: string | null }) =>
      void Object.assign(row, set),
  } as unknown as EntityManager;
  return { row, images: new ActiveImages(db) };
}

describe('ActiveImages (the image each disk writes to, in step with external snapshots)', () => {
  it('an external snapshot moves the disk onto its overlay; other targets are ignored', async () => {
    const d = disk(null);
    await d.images.overlaid('vm-1', [
      { target: 'vda', path: OV1 },
      { target: 'vdb', path: '/srv/x' },
    ]);
    expect(d.row.activeImagePath).toBe(OV1);
  });

  it('merging the active overlay moves the disk to what it was merged into; into the volume clears it', async () => {
    const d = disk(OV2);
    await d.images.merged('vm-1', [{ target: 'vda', overlay: OV2, into: OV1 }]);
    expect(d.row.activeImagePath).toBe(OV1);
    await d.images.merged('vm-1', [{ target: 'vda', overlay: OV1, into: BASE }]);
    expect(d.row.activeImagePath).toBeNull();
  });

  it('merging an overlay in the middle of the chain leaves the active image alone', async () => {
    const d = disk(OV2);
    await d.images.merged('vm-1', [{ target: 'vda', overlay: OV1, into: BASE }]);
    expect(d.row.activeImagePath).toBe(OV2);
  });

  it('as the host shows it: a disk opening its own volume has no active image', async () => {
    const d = disk(OV1);
    await d.images.asOnHost('vm-1', [{ target: 'vda', device: 'disk', path: BASE }]);
    expect(d.row.activeImagePath).toBeNull();
  });
});
