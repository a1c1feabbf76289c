import { HostStatus, values } from '@kelpie/shared-types';
import { ApiProperty, ApiPropertyOptional, PartialType } from '@nestjs/swagger';
import { Transform } from 'class-transformer';
import { IsIn, IsOptional, IsString, IsUUID, Matches, MaxLength } from 'class-validator';
import { ListQueryDto } from '../common/list/list-query';
import { IsDescription, IsHostAddress, IsName } from '../common/validation/validators';

/** Transports libvirt supports for remote hosts, plus the test driver used by the lab. */
export const LIBVIRT_URI =
  /^(qemu(\+(ssh|tcp|tls|unix|libssh|libssh2))?|test):\/\/[A-Za-z0-9._~%@:[\]-]*\/(system|session|default)(\?[A-Za-z0-9._~%=&/-]*)?$/;

const lower = ({ value }: { value: unknown }) => (typeof value === 'string' ? value.toLowerCase() : value);

export class CreateHostDto {
  @IsName()
  name!: string;

  @IsOptional()
  @IsDescription()
  description?: string;

  @ApiProperty({ format: 'uuid' })
  @IsUUID('all')
  clusterId!: string;

  @ApiProperty({
    description: 'DNS name or IP address the engine and the other hosts reach it by.',
    example: '192.0.2.10',
  })
  @Transform(lower)
  @IsString()
  @MaxLength(253)
  @IsHostAddress()
  address!: string;

  @ApiProperty({ example: 'qemu+ssh://root@192.0.2.10/system' })
  @IsString()
  @MaxLength(512)
  @Matches(LIBVIRT_URI, { message: 'libvirtUri must be a libvirt URI such as qemu+ssh://root@host/system' })
  libvirtUri!: string;
}

export class UpdateHostDto extends PartialType(CreateHostDto) {}

export class HostListQuery extends ListQueryDto {
  @ApiPropertyOptional({ format: 'uuid' })
  @IsOptional()
  @IsUUID('all')
  clusterId?: string;

  @ApiPropertyOptional({ format: 'uuid' })
  @IsOptional()
  @IsUUID('all')
  datacenterId?: string;

  @ApiPropertyOptional({ enum: values(HostStatus) })
  @IsOptional()
  @IsIn(values(HostStatus))
  status?: HostStatus;
}
