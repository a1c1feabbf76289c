import type { ImageInspection } from '@kelpie/shared-types';
import { refusalOf } from './image-check';

const clean: ImageInspection = {
  path: '/sd/disk-1.qcow2',
  sizeBytes: 196_624,
  sha256: 'a'.repeat(64),
  format: 'qcow2',
  virtualSizeBytes: 64 * 1024 * 1024,
  backingFile: null,
  dataFile: null,
  iso9660: false,
};
const disk = { kind: 'disk' as const, format: 'qcow2' as const, sha256: null };

describe('refusalOf (checks of an uploaded image)', () => {
  it('accepts a self-contained image of the declared format', () => {
    expect(refusalOf(clean, disk)).toBeNull();
    expect(refusalOf({ ...clean, format: 'raw' }, { ...disk, format: 'raw' })).toBeNull();
  });

  it.each(['/etc/shadow', '../other-vm.qcow2', 'nbd://evil:10809', 'json:{"file.filename":"/etc/shadow"}'])(
    'refuses any backing file (%s), inside the domain or not',
    (backingFile) => {
      expect(refusalOf({ ...clean, backingFile }, disk)).toEqual({
        field: 'content',
        reason: expect.stringContaining(backingFile),
      });
    },
  );

  it('refuses an external data file', () => {
    expect(refusalOf({ ...clean, dataFile: '/dev/sda' }, disk)).toMatchObject({ field: 'content' });
  });

  it('refuses content of another format than declared (a qcow2 header in a "raw" upload)', () => {
    expect(refusalOf(clean, { ...disk, format: 'raw' })).toEqual({
      field: 'format',
      reason: 'declared raw but the content is qcow2',
    });
  });

  it('takes an ISO only with its ISO 9660 descriptor, and only raw', () => {
    const iso = { kind: 'iso' as const, format: 'iso' as const, sha256: null };
    expect(refusalOf({ ...clean, format: 'raw', iso9660: true }, iso)).toBeNull();
    expect(refusalOf({ ...clean, format: 'raw', iso9660: false }, iso)).toMatchObject({ field: 'content' });
    expect(refusalOf({ ...clean, iso9660: true }, iso)).toMatchObject({ field: 'format' });
  });

  it('refuses bytes whose checksum differs from the announced one', () => {
    expect(refusalOf(clean, { ...disk, sha256: 'b'.repeat(64) })).toMatchObject({ field: 'sha256' });
    expect(refusalOf(clean, { ...disk, sha256: 'a'.repeat(64) })).toBeNull();
  });
});
