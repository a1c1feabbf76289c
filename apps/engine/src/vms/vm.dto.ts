import { BootDevice, Firmware, MachineType, VmStatus, values, WatchdogAction } from '@kelpie/shared-types';
import { ApiProperty, ApiPropertyOptional, OmitType, PartialType } from '@nestjs/swagger';
import { Transform, Type } from 'class-transformer';
import {
  ArrayMaxSize,
  ArrayMinSize,
  ArrayUnique,
  IsArray,
  IsBoolean,
  IsIn,
  IsInt,
  IsOptional,
  IsString,
  IsUUID,
  Matches,
  Max,
  Min,
  ValidateNested,
} from 'class-validator';
import { ListQueryDto } from '../common/list/list-query';
import { IsDescription, IsName, toBoolean } from '../common/validation/validators';
import {
  HA_PRIORITY_DEFAULT,
  HA_PRIORITY_MAX,
  HA_PRIORITY_MIN,
  MEMORY_MIB_MAX,
  MEMORY_MIB_MIN,
  VCPUS_MAX,
} from './vm.entity';
import { CreateVmDiskDto, CreateVmNicDto, VmBootDto } from './vm-devices.dto';

export class CreateVmDto {
  @IsName()
  name!: string;

  @IsOptional()
  @IsDescription()
  description?: string;

  @ApiProperty({ format: 'uuid' })
  @IsUUID('all')
  clusterId!: string;

  @ApiPropertyOptional({ minimum: 1, maximum: VCPUS_MAX, default: 1 })
  @IsOptional()
  @IsInt()
  @Min(1)
  @Max(VCPUS_MAX)
  vcpus?: number;

  @ApiPropertyOptional({ minimum: MEMORY_MIB_MIN, maximum: MEMORY_MIB_MAX, default: 1024 })
  @IsOptional()
  @IsInt()
  @Min(MEMORY_MIB_MIN)
  @Max(MEMORY_MIB_MAX)
  memoryMib?: number;

  @ApiPropertyOptional({
    minimum: MEMORY_MIB_MIN,
    maximum: MEMORY_MIB_MAX,
    description: 'Default: memoryMib.',
  })
  @IsOptional()
  @IsInt()
  @Min(MEMORY_MIB_MIN)
  @Max(MEMORY_MIB_MAX)
  maxMemoryMib?: number;

  @ApiPropertyOptional({ example: 'linux', default: 'other' })
  @IsOptional()
  @IsString()
  @Matches(/^[a-z0-9_.-]{1,32}$/, {
    message: 'osType must be 1-32 of lowercase letters, digits, "_", "." or "-"',
  })
  osType?: string;

  @ApiPropertyOptional({
    enum: values(MachineType),
    description:
      "Default: the template's (sourceTemplateId), else the cluster's defaultMachineType. q35 puts the " +
      'CD-ROM on SATA and has no IDE controller: an IDE disk on a q35 VM is refused (400).',
  })
  @IsOptional()
  @IsIn(values(MachineType))
  machineType?: MachineType;

  @ApiPropertyOptional({
    enum: values(Firmware),
    description:
      "Default: the template's (sourceTemplateId), else the cluster's defaultFirmware. uefi boots OVMF " +
      'with a per-VM NVRAM on its host.',
  })
  @IsOptional()
  @IsIn(values(Firmware))
  firmware?: Firmware;

  @ApiPropertyOptional({
    default: false,
    description:
      "UEFI Secure Boot: needs firmware uefi and machineType q35. Default: the template's while the VM " +
      'keeps its machine type and firmware, else false.',
  })
  @IsOptional()
  @IsBoolean()
  secureBoot?: boolean;

  @ApiPropertyOptional({
    enum: values(WatchdogAction),
    nullable: true,
    description:
      'An i6300esb watchdog device and what QEMU does when the guest stops feeding it (reported as a ' +
      'vm.watchdog event); null or absent: no watchdog. Applied at the next start of a running VM.',
  })
  @IsOptional()
  @IsIn(values(WatchdogAction))
  watchdogAction?: WatchdogAction | null;

  @ApiPropertyOptional({
    enum: values(BootDevice),
    isArray: true,
    default: ['hd'],
    description: 'Devices tried in order when boot is disk (a cdrom boot tries the CD-ROM first).',
  })
  @IsOptional()
  @IsArray()
  @ArrayMinSize(1)
  @ArrayMaxSize(3)
  @ArrayUnique()
  @IsIn(values(BootDevice), { each: true })
  bootOrder?: BootDevice[];

  @ApiPropertyOptional({ default: true })
  @IsOptional()
  @IsBoolean()
  graphicsVnc?: boolean;

  @ApiPropertyOptional({ default: false })
  @IsOptional()
  @IsBoolean()
  isTemplate?: boolean;

  @ApiPropertyOptional({
    type: [String],
    format: 'uuid',
    description:
      "Affinity groups of the VM's cluster it joins (400 naming an unknown one); the scheduler keeps their " +
      'rules from its first placement on. 409 when the enforcing ones leave it no host of the cluster. ' +
      'Later changes go through the affinity groups.',
  })
  @IsOptional()
  @IsArray()
  @ArrayMaxSize(32)
  @IsUUID('all', { each: true })
  affinityGroupIds?: string[];

  @ApiPropertyOptional({ format: 'uuid', description: 'Template this VM is made from (same datacenter).' })
  @IsOptional()
  @IsUUID('all')
  sourceTemplateId?: string;

  @ApiPropertyOptional({ default: false })
  @IsOptional()
  @IsBoolean()
  highlyAvailable?: boolean;

  @ApiPropertyOptional({
    minimum: HA_PRIORITY_MIN,
    maximum: HA_PRIORITY_MAX,
    default: HA_PRIORITY_DEFAULT,
    description: 'HA restart order after a host is fenced: higher first.',
  })
  @IsOptional()
  @IsInt()
  @Min(HA_PRIORITY_MIN)
  @Max(HA_PRIORITY_MAX)
  haPriority?: number;

  @ApiPropertyOptional({
    format: 'uuid',
    description: 'Place the VM on this host (validated); omitted: the scheduler picks one. Provisions.',
  })
  @IsOptional()
  @IsUUID('all')
  hostId?: string;

  @ApiPropertyOptional({
    type: [CreateVmDiskDto],
    description: 'New disks (volumes are created). Provisions.',
  })
  @IsOptional()
  @IsArray()
  @ArrayMaxSize(16)
  @ValidateNested({ each: true })
  @Type(() => CreateVmDiskDto)
  disks?: CreateVmDiskDto[];

  @ApiPropertyOptional({ type: [CreateVmNicDto], description: 'NICs on logical networks. Provisions.' })
  @IsOptional()
  @IsArray()
  @ArrayMaxSize(16)
  @ValidateNested({ each: true })
  @Type(() => CreateVmNicDto)
  nics?: CreateVmNicDto[];

  @ApiPropertyOptional({ type: VmBootDto, description: 'Default: {kind: "disk"}. Provisions.' })
  @IsOptional()
  @ValidateNested()
  @Type(() => VmBootDto)
  boot?: VmBootDto;
}

export class UpdateVmDto extends PartialType(
  OmitType(CreateVmDto, [
    'sourceTemplateId',
    'isTemplate',
    'hostId',
    'disks',
    'nics',
    'boot',
    'affinityGroupIds',
  ] as const),
) {}

export class VmListQuery extends ListQueryDto {
  @ApiPropertyOptional({ format: 'uuid' })
  @IsOptional()
  @IsUUID('all')
  clusterId?: string;

  @ApiPropertyOptional({ format: 'uuid' })
  @IsOptional()
  @IsUUID('all')
  datacenterId?: string;

  @ApiPropertyOptional({ format: 'uuid' })
  @IsOptional()
  @IsUUID('all')
  hostId?: string;

  @ApiPropertyOptional({ enum: values(VmStatus) })
  @IsOptional()
  @IsIn(values(VmStatus))
  status?: VmStatus;

  @ApiPropertyOptional()
  @IsOptional()
  @Transform(toBoolean)
  @IsBoolean()
  isTemplate?: boolean;

  @ApiPropertyOptional()
  @IsOptional()
  @Transform(toBoolean)
  @IsBoolean()
  external?: boolean;
}
