import { describe, expect, it } from 'vitest';
import { bootText, cdromText } from './bootText';

const id = '0b5c6a0e-8d1f-4c1e-9a53-2f6f1d7e9c11';

describe('bootText', () => {
  it('names the kernel and initrd of a kernel-booted VM, not "hd"', () => {
    const vm = {
      id,
      boot: {
        kind: 'kernel' as const,
        kernel: '/srv/k/vmlinuz',
        initrd: '/srv/k/initrd.img',
        cmdline: 'console=ttyS0',
      },
      cdromIsoPath: null,
    };
    expect(bootText(vm)).toBe('Kernel vmlinuz with initrd initrd.img');
  });

  it('names the ISO of a CD-ROM-booted VM, and says when the drive is empty', () => {
    expect(bootText({ id, boot: { kind: 'cdrom' }, cdromIsoPath: '/sd/iso/debian-12.iso' })).toBe(
      'CD-ROM (debian-12.iso)',
    );
    expect(bootText({ id, boot: { kind: 'cdrom' }, cdromIsoPath: null })).toBe('CD-ROM (the drive is empty)');
  });

  it('reads a missing boot spec as the disk', () => {
    expect(bootText({ id, boot: null, cdromIsoPath: null })).toBe('Disk');
    expect(bootText({ id, boot: { kind: 'disk' }, cdromIsoPath: null })).toBe('Disk');
  });
});

describe('cdromText', () => {
  it('tells the cloud-init seed from an ISO', () => {
    expect(cdromText({ id, cdromIsoPath: `/sd/${id}-cidata.iso` })).toBe('cloud-init seed');
    expect(cdromText({ id, cdromIsoPath: '/sd/other-cidata.iso' })).toBe('other-cidata.iso');
    expect(cdromText({ id, cdromIsoPath: null })).toBe('empty');
  });
});
