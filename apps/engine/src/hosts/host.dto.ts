import { HostStatus, values } from '@kelpie/shared-types';
import { ApiProperty, ApiPropertyOptional, IntersectionType, PartialType, PickType } from '@nestjs/swagger';
import { Transform } from 'class-transformer';
import {
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

  @ApiProperty({
    example: 'qemu+ssh://root@192.0.2.10/system',
    required: false,
    description:
      'How the other hosts reach its libvirt (migrations). Required without SSH credentials; ' +
      'when enrolling over SSH the default is qemu+tls://<address>/system (libvirtd on port 16514 with ' +
      'the certificate the engine issues to the host; the agent turns the listener on).',
  })
  @ValidateIf((o: CreateHostDto) => o.libvirtUri !== undefined || !enrollsOverSsh(o as object))
  @IsString()
  @MaxLength(512)
  @Matches(LIBVIRT_URI, { message: 'libvirtUri must be a libvirt URI such as qemu+ssh://root@host/system' })
  libvirtUri!: string;
}

/** SHA256:<43 base64 characters>, as `ssh-keygen -l` prints a key's fingerprint. */
export const SSH_FINGERPRINT = /^SHA256:[A-Za-z0-9+/]{43}$/;

/** How the engine logs in for one enrollment; nothing of it is stored or logged. */
export class SshCredentialsDto {
  @ApiPropertyOptional({ default: 22, minimum: 1, maximum: 65535 })
  @IsOptional()
  @IsInt()
  @Min(1)
  @Max(65535)
  sshPort?: number;

  @ApiPropertyOptional({ default: 'root', description: 'Must be root (the agent drives libvirt as root).' })
  @IsOptional()
  @IsString()
  @Matches(/^[a-z_][a-z0-9_-]{0,31}$/, { message: 'sshUser must be a Unix user name' })
  sshUser?: string;

  @ApiPropertyOptional({
    description: 'Password of sshUser (or privateKey): used once, never stored.',
    writeOnly: true,
  })
  @IsOptional()
  @IsString()
  @MaxLength(1024)
  password?: string;

  @ApiPropertyOptional({
    description: 'OpenSSH/PEM private key authorized for sshUser (or password): used once, never stored.',
    writeOnly: true,
  })
  @IsOptional()
  @IsString()
  @MaxLength(16384)
  privateKey?: string;

  @ApiPropertyOptional({
    description: 'Passphrase of an encrypted privateKey: used once, never stored.',
    writeOnly: true,
  })
  @IsOptional()
  @IsString()
  @MaxLength(1024)
  passphrase?: string;

  @ApiPropertyOptional({
    description:
      'The SSH host key fingerprint the admin confirmed (SHA256:…, as ssh-keygen -l prints it). Without it the ' +
      'engine answers 409 host_key_unconfirmed with the fingerprint the host offers, to be confirmed and sent back.',
    example: 'SHA256:uNiVztksCsDhcc0u9e8BujQXVUpKZIDTMczCvj3tD2s',
  })
  @IsOptional()
  @IsString()
  @Matches(SSH_FINGERPRINT, {
    message: 'expectedHostKeyFingerprint must look like SHA256:<43 base64 characters>',
  })
  expectedHostKeyFingerprint?: string;
}

/** POST /hosts: a registration, or an enrollment over SSH when it carries a password or a private key. */
export class EnrollHostDto extends IntersectionType(CreateHostDto, SshCredentialsDto) {}

/** A body with a password or a private key asks for an enrollment over SSH. */
export function enrollsOverSsh(o: object): boolean {
  const c = o as SshCredentialsDto;
  return c.password !== undefined || c.privateKey !== undefined;
}

export class UpdateHostDto extends PartialType(
  PickType(CreateHostDto, ['name', 'description', 'clusterId', 'address', 'libvirtUri'] as const),
) {}

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
