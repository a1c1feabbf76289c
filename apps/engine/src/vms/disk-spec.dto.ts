import { DiskBus, DiskCache, DiskFormat, values } from '@kelpie/shared-types';
import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { IsBoolean, IsIn, IsOptional, IsUUID } from 'class-validator';

/** Where a new disk lives and how the VM sees it: shared by `POST /disks` and the disks of `POST /vms`. */
export class DiskSpecDto {
  @ApiProperty({ format: 'uuid' })
  @IsUUID('all')
  storageDomainId!: string;

  @ApiPropertyOptional({ enum: values(DiskFormat), default: DiskFormat.Qcow2 })
  @IsOptional()
  @IsIn(values(DiskFormat))
  format?: DiskFormat;

  @ApiPropertyOptional({ enum: values(DiskBus), default: DiskBus.Virtio })
  @IsOptional()
  @IsIn(values(DiskBus))
  bus?: DiskBus;

  @ApiPropertyOptional({ enum: values(DiskCache), default: DiskCache.None })
  @IsOptional()
  @IsIn(values(DiskCache))
  cache?: DiskCache;

  @ApiPropertyOptional({
    default: false,
    description: 'Boot from this disk (a new VM: default the first disk).',
  })
  @IsOptional()
  @IsBoolean()
  bootable?: boolean;
}
