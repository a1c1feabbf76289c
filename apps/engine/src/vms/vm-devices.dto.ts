import { NicModel, values } from '@kelpie/shared-types';
import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { Transform } from 'class-transformer';
import {
  IsBoolean,
  IsIn,
  IsInt,
  IsOptional,
  IsString,
  IsUUID,
  Matches,
  Max,
  MaxLength,
  Min,
  ValidateIf,
} from 'class-validator';
import { IsName, toBoolean } from '../common/validation/validators';
import { DiskSpecDto } from './disk-spec.dto';

/** Absolute paths Kelpie passes to libvirt: no control/XML-special characters, no `..`. */
export const SAFE_PATH = /^\/(?!.*(^|\/)\.\.(\/|$))[A-Za-z0-9_.,+=@%:/-]{1,1023}$/;
const PATH_MESSAGE = 'must be an absolute path of letters, digits and _.,+=@%:/- without ".." segments';
const CMDLINE = /^[\x20-\x7e]{0,2048}$/;

export class CreateVmDiskDto extends DiskSpecDto {
  @IsName(true)
  @IsOptional()
  name?: string;

  @ApiProperty({ minimum: 1, maximum: 65536, description: 'Virtual size in GiB (sparse volume).' })
  @IsInt()
  @Min(1)
  @Max(65536)
  sizeGiB!: number;
}

export class CreateVmNicDto {
  @IsName(true)
  @IsOptional()
  name?: string;

  @ApiPropertyOptional({
    format: 'uuid',
    description: "A network of the cluster: the NIC gets the network's default profile (or give profileId).",
  })
  @ValidateIf((o: CreateVmNicDto) => o.profileId === undefined || o.networkId !== undefined)
  @IsUUID('all', { message: 'networkId must be a UUID (networkId or profileId is required)' })
  networkId?: string;

  @ApiPropertyOptional({ format: 'uuid', description: 'A vNIC profile of a network of the cluster.' })
  @IsOptional()
  @IsUUID('all')
  profileId?: string;

  @ApiPropertyOptional({ enum: values(NicModel), default: NicModel.Virtio })
  @IsOptional()
  @IsIn(values(NicModel))
  model?: NicModel;

  @ApiPropertyOptional({ example: '52:54:00:12:34:56', description: 'Generated when absent.' })
  @IsOptional()
  @IsString()
  @Matches(/^[0-9a-f]{2}(:[0-9a-f]{2}){5}$/, {
    message: 'mac must be 6 lowercase hex pairs separated by ":"',
  })
  mac?: string;
}

export class VmBootDto {
  @ApiProperty({ enum: ['disk', 'cdrom', 'kernel'] })
  @IsIn(['disk', 'cdrom', 'kernel'])
  kind!: 'disk' | 'cdrom' | 'kernel';

  @ApiPropertyOptional({
    description: 'kind=cdrom: ISO file inside a storage domain of the datacenter (or give isoId).',
  })
  @ValidateIf((o: VmBootDto) => (o.kind === 'cdrom' && o.isoId === undefined) || o.isoPath !== undefined)
  @IsString()
  @Matches(SAFE_PATH, { message: `isoPath ${PATH_MESSAGE}` })
  isoPath?: string;

  @ApiPropertyOptional({ format: 'uuid', description: "kind=cdrom: an ISO of a domain's library, by id." })
  @IsOptional()
  @IsUUID('all')
  isoId?: string;

  @ApiPropertyOptional({ description: 'kind=kernel: kernel image path on the hosts.' })
  @ValidateIf((o: VmBootDto) => o.kind === 'kernel' || o.kernel !== undefined)
  @IsString()
  @Matches(SAFE_PATH, { message: `kernel ${PATH_MESSAGE}` })
  kernel?: string;

  @ApiPropertyOptional({ description: 'kind=kernel: initrd path on the hosts.' })
  @IsOptional()
  @IsString()
  @Matches(SAFE_PATH, { message: `initrd ${PATH_MESSAGE}` })
  initrd?: string;

  @ApiPropertyOptional({ description: 'kind=kernel: kernel command line (printable ASCII, no <, >, &).' })
  @IsOptional()
  @IsString()
  @MaxLength(2048)
  @Matches(CMDLINE, { message: 'cmdline must be printable ASCII' })
  @Matches(/^[^<>&]*$/, { message: 'cmdline must not contain <, > or &' })
  cmdline?: string;
}

export class ShutdownVmDto {
  @ApiPropertyOptional({ minimum: 0, maximum: 600, default: 60 })
  @IsOptional()
  @IsInt()
  @Min(0)
  @Max(600)
  timeoutSeconds?: number;

  @ApiPropertyOptional({ default: false, description: 'Power off when the guest has not stopped in time.' })
  @IsOptional()
  @IsBoolean()
  forceAfterTimeout?: boolean;
}

export class DeleteVmQuery {
  @ApiPropertyOptional({ default: false, description: "Also delete the VM's disks and their volumes." })
  @IsOptional()
  @Transform(toBoolean)
  @IsBoolean()
  withDisks?: boolean;

  @ApiPropertyOptional({ default: false, description: 'Power off a running VM first.' })
  @IsOptional()
  @Transform(toBoolean)
  @IsBoolean()
  force?: boolean;
}

export class AttachVmDiskDto extends CreateVmDiskDto {}

export class DetachVmDiskQuery {
  @ApiPropertyOptional({ default: false, description: 'Delete the disk and its volume after detaching.' })
  @IsOptional()
  @Transform(toBoolean)
  @IsBoolean()
  deleteVolume?: boolean;
}

export class AttachVmNicDto extends CreateVmNicDto {}

export class ChangeCdromDto {
  // Optional in the contract: a request with isoId alone is valid (see the ValidateIf below).
  @ApiPropertyOptional({
    type: String,
    nullable: true,
    description: 'ISO file inside a storage domain of the datacenter; null ejects. Or give isoId.',
  })
  @ValidateIf((o: ChangeCdromDto) => o.isoPath !== null && !(o.isoPath === undefined && o.isoId))
  @IsString()
  @Matches(SAFE_PATH, { message: `isoPath ${PATH_MESSAGE}` })
  isoPath?: string | null;

  @ApiPropertyOptional({
    format: 'uuid',
    description: "An ISO of a domain's library, by id (instead of isoPath).",
  })
  @IsOptional()
  @IsUUID('all')
  isoId?: string;
}

export class UpdateVmNicDto {
  @ApiPropertyOptional({
    format: 'uuid',
    description: "Move the NIC to this network's default profile (or give profileId).",
  })
  @IsOptional()
  @IsUUID('all')
  networkId?: string;

  @ApiPropertyOptional({ format: 'uuid', description: 'Move the NIC to this vNIC profile.' })
  @IsOptional()
  @IsUUID('all')
  profileId?: string;

  @ApiPropertyOptional({ description: "The guest's link: false unplugs the cable (domif-setlink)." })
  @IsOptional()
  @IsBoolean()
  linkUp?: boolean;
}
