import {
  BootDevice,
  Firmware,
  MachineType,
  PendingRestart,
  Vm,
  VmBootSpec,
  VmStatus,
  values,
  WatchdogAction,
} from '@kelpie/shared-types';
import { ApiProperty, ApiSchema } from '@nestjs/swagger';
import { schemaOf } from '../common/http/zod-schema';
import { InventoryResponse, mapInventoryColumns } from '../crud/inventory.response';
import {
  HA_PRIORITY_MAX,
  HA_PRIORITY_MIN,
  MEMORY_MIB_MAX,
  MEMORY_MIB_MIN,
  VCPUS_MAX,
  type VmEntity,
} from './vm.entity';

@ApiSchema({ name: 'PendingRestart' })
class PendingRestartResponse implements PendingRestart {
  @ApiProperty({
    type: [String],
    description: 'Fields changed on the running VM that wait for its next start.',
  })
  fields!: string[];

  @ApiProperty({ type: String, format: 'date-time', description: 'When the first of them was changed.' })
  since!: string;
}

@ApiSchema({ name: 'Vm' })
export class VmResponse extends InventoryResponse implements Vm {
  @ApiProperty({ format: 'uuid', description: 'Also the libvirt domain UUID.' })
  id!: string;

  @ApiProperty({ format: 'uuid' })
  datacenterId!: string;

  @ApiProperty({ format: 'uuid' })
  clusterId!: string;

  @ApiProperty({ type: String, format: 'uuid', nullable: true, description: 'Host the VM runs on.' })
  hostId!: string | null;

  @ApiProperty({ enum: values(VmStatus) })
  desiredStatus!: VmStatus;

  @ApiProperty({ enum: values(VmStatus) })
  status!: VmStatus;

  @ApiProperty({ type: String, nullable: true })
  statusReason!: string | null;

  @ApiProperty({ minimum: 1, maximum: VCPUS_MAX })
  vcpus!: number;

  @ApiProperty({ minimum: MEMORY_MIB_MIN, maximum: MEMORY_MIB_MAX })
  memoryMib!: number;

  @ApiProperty({ minimum: MEMORY_MIB_MIN, maximum: MEMORY_MIB_MAX })
  maxMemoryMib!: number;

  @ApiProperty({ example: 'linux' })
  osType!: string;

  @ApiProperty({ enum: values(BootDevice), isArray: true })
  bootOrder!: BootDevice[];

  @ApiProperty({ enum: values(MachineType) })
  machineType!: MachineType;

  @ApiProperty({ enum: values(Firmware) })
  firmware!: Firmware;

  @ApiProperty({ description: 'UEFI Secure Boot (OVMF with the Microsoft keys enrolled).' })
  secureBoot!: boolean;

  @ApiProperty({
    enum: values(WatchdogAction),
    nullable: true,
    description: 'The i6300esb watchdog action; null: no watchdog.',
  })
  watchdogAction!: WatchdogAction | null;

  @ApiProperty()
  graphicsVnc!: boolean;

  @ApiProperty()
  isTemplate!: boolean;

  @ApiProperty({ type: String, format: 'uuid', nullable: true })
  sourceTemplateId!: string | null;

  @ApiProperty({
    description: 'Restarted on another host when its host is fenced, in place when its QEMU crashes.',
  })
  highlyAvailable!: boolean;

  @ApiProperty({
    minimum: HA_PRIORITY_MIN,
    maximum: HA_PRIORITY_MAX,
    description: 'Order of HA restarts after a host is fenced: higher first (the capacity goes to them).',
  })
  haPriority!: number;

  @ApiProperty()
  createdBy!: string;

  @ApiProperty({ description: 'Found on a host, not created by Kelpie.' })
  external!: boolean;

  @ApiProperty({
    type: PendingRestartResponse,
    nullable: true,
    description: 'Changes applied at next start.',
  })
  pendingRestart!: PendingRestart | null;

  @ApiProperty({
    type: Number,
    nullable: true,
    description: 'Live VNC port on its host, as the agent reports it; null when not running or without VNC.',
  })
  graphicsPort!: number | null;

  @ApiProperty({
    nullable: true,
    allOf: [schemaOf(VmBootSpec)],
    description:
      "How the VM boots: {kind:'disk'} | {kind:'cdrom'} | {kind:'kernel', kernel, initrd?, cmdline?}; null = disk.",
  })
  boot!: VmBootSpec | null;

  @ApiProperty({ type: String, nullable: true, description: 'ISO in the CD-ROM drive (hdc); null = empty.' })
  cdromIsoPath!: string | null;
}

export function mapVm(e: VmEntity): VmResponse {
  return {
    ...mapInventoryColumns(e),
    id: e.id,
    datacenterId: e.datacenterId,
    clusterId: e.clusterId,
    hostId: e.hostId,
    desiredStatus: e.desiredStatus,
    status: e.status,
    statusReason: e.statusReason,
    vcpus: e.vcpus,
    memoryMib: e.memoryMib,
    maxMemoryMib: e.maxMemoryMib,
    osType: e.osType,
    bootOrder: e.bootOrder,
    machineType: e.machineType,
    firmware: e.firmware,
    secureBoot: e.secureBoot,
    watchdogAction: e.watchdogAction,
    graphicsVnc: e.graphicsVnc,
    isTemplate: e.isTemplate,
    sourceTemplateId: e.sourceTemplateId,
    highlyAvailable: e.highlyAvailable,
    haPriority: e.haPriority,
    createdBy: e.createdBy,
    external: e.external,
    pendingRestart: e.pendingRestart,
    graphicsPort: e.graphicsPort,
    boot: e.boot,
    cdromIsoPath: e.cdromIsoPath,
  };
}
