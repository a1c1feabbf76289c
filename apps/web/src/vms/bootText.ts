import type { Vm } from '@kelpie/shared-types';

const fileName = (path: string) => path.slice(path.lastIndexOf('/') + 1);

/** The seed the engine writes for cloud-init (`<vm id>-cidata.iso`), so the page can say what it is. */
const isCloudInitSeed = (vm: Pick<Vm, 'id'>, path: string) => fileName(path) === `${vm.id}-cidata.iso`;

/**
 * What the VM really boots from. The domain is built from `boot` (disk, CD-ROM or a direct kernel),
 * not from the stored `bootOrder` list, so a kernel- or ISO-booted VM must not read "hd".
 */
export function bootText(vm: Pick<Vm, 'id' | 'boot' | 'cdromIsoPath'>): string {
  const boot = vm.boot ?? { kind: 'disk' as const };
  switch (boot.kind) {
    case 'kernel':
      return `Kernel ${fileName(boot.kernel)}${boot.initrd ? ` with initrd ${fileName(boot.initrd)}` : ''}`;
    case 'cdrom':
      return vm.cdromIsoPath ? `CD-ROM (${cdromText(vm)})` : 'CD-ROM (the drive is empty)';
    case 'disk':
      return 'Disk';
  }
}

/** The CD-ROM drive's content: the ISO's file name, the cloud-init seed, or empty. */
export function cdromText(vm: Pick<Vm, 'id' | 'cdromIsoPath'>): string {
  if (!vm.cdromIsoPath) return 'empty';
  if (isCloudInitSeed(vm, vm.cdromIsoPath)) return 'cloud-init seed';
  return fileName(vm.cdromIsoPath);
}
