import { DiskFormat, HostCapabilities, VmSpec, VmSpecInput } from '@kelpie/shared-types';
import { DiskEntity } from '../disks/disk.entity';
import { LogicalNetworkEntity } from '../networks/network.entity';
import { NicEntity } from '../nics/nic.entity';
import { StorageDomainEntity } from '../storage-domains/storage-domain.entity';
import { VmEntity } from '../vms/vm.entity';

/** The libvirt pool that serves a storage domain on a host (an existing pool on the same directory is
 * reused by the agent, e.g. the lab's `kelpie-shared`). */
export const poolNameFor = (sd: Pick<StorageDomainEntity, 'id'>) => `kelpie-${sd.id}`;

/** Volume (file) name of a disk inside its storage domain. */
export const volumeNameFor = (d: Pick<DiskEntity, 'id' | 'format'>) =>
  `${d.id}.${d.format === DiskFormat.Raw ? 'img' : 'qcow2'}`;

/** Where the serial console is logged on the VM's host (virtlogd appends). */
export const serialLogPathFor = (vmId: string) => `/var/log/libvirt/qemu/${vmId}.serial.log`;

export const CDROM_TARGET = 'hdc';

export const virtTypeOf = (caps: HostCapabilities | null): 'kvm' | 'qemu' =>
  caps?.virtualization === 'kvm' ? 'kvm' : 'qemu';

/** The engine's records of a VM → the typed spec the agent turns into domain XML. */
export function buildVmSpec(
  vm: VmEntity,
  disks: DiskEntity[],
  nics: NicEntity[],
  networks: Map<string, LogicalNetworkEntity>,
  caps: HostCapabilities | null,
): VmSpec {
  const attached = disks.filter((d) => d.targetDev).sort((a, b) => a.targetDev!.localeCompare(b.targetDev!));
  const bootDisk = attached.find((d) => d.bootable) ?? attached[0];
  const input: VmSpecInput = {
    uuid: vm.id,
    name: vm.name,
    virtType: virtTypeOf(caps),
    vcpus: vm.vcpus,
    memoryMib: vm.memoryMib,
    maxMemoryMib: vm.maxMemoryMib,
    disks: attached.map((d) => ({
      id: d.id,
      path: d.volumePath,
      format: d.format,
      bus: d.bus,
      cache: d.cache,
      targetDev: d.targetDev!,
      ...(d === bootDisk ? { bootOrder: 1 } : {}),
    })),
    nics: [...nics]
      .sort((a, b) => a.name.localeCompare(b.name))
      .map((n) => ({ id: n.id, mac: n.mac, bridge: networks.get(n.networkId)!.bridge, model: n.model })),
    cdrom: { targetDev: CDROM_TARGET, isoPath: vm.cdromIsoPath },
    boot: vm.boot ?? { kind: 'disk' },
    graphicsVnc: vm.graphicsVnc,
    serialLogPath: serialLogPathFor(vm.id),
  };
  return VmSpec.parse(input);
}
