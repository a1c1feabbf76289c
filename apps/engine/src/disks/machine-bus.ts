import { DiskBus, MachineType } from '@kelpie/shared-types';
import { validationFailed } from '../common/errors/domain-error';

const NO_IDE = 'a q35 machine has no IDE controller: use virtio, sata or scsi';

/**
 * q35 has no IDE controller, so libvirt refuses to define a domain with an IDE disk on it — only once
 * the create, start or attach task reached a host. Refused up front instead: 400 naming `field`
 * (the disk's bus, or the machine type an edit asks for).
 */
export function assertBusFitsMachine(
  machineType: MachineType,
  buses: { bus: DiskBus; field: string; disk?: string }[],
  vmName: string,
): void {
  if (machineType !== MachineType.Q35) return;
  const ide = buses.filter((b) => b.bus === DiskBus.Ide);
  if (ide.length)
    throw validationFailed(
      `VM ${vmName} is a q35 machine: IDE disks cannot attach to it`,
      ide.map((b) => ({
        field: b.field,
        reason: `${b.disk ? `disk ${b.disk} is on the IDE bus; ` : ''}${NO_IDE}`,
      })),
    );
}
