import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { Type } from 'class-transformer';
import {
  ArrayMaxSize,
  IsArray,
  IsBoolean,
  IsOptional,
  IsString,
  IsUUID,
  Matches,
  MaxLength,
  ValidateNested,
} from 'class-validator';
import { IsSafeText } from '../common/validation/validators';

export const SSH_KEY =
  /^(ssh-(rsa|ed25519|dss)|ecdsa-sha2-nistp(256|384|521)|sk-(ssh-ed25519|ecdsa-sha2-nistp256)@openssh\.com) [A-Za-z0-9+/]+={0,3}( [^\r\n]{0,256})?$/;
/** crypt(3) hashes: $1$ md5, $5$ sha-256, $6$ sha-512, $y$ yescrypt, $2b$ bcrypt. */
export const PASSWORD_HASH = /^\$(1|5|6|y|2[aby])\$[A-Za-z0-9./$=]{8,200}$/;
export const HOSTNAME =
  /^[A-Za-z0-9]([A-Za-z0-9-]{0,61}[A-Za-z0-9])?(\.[A-Za-z0-9]([A-Za-z0-9-]{0,61}[A-Za-z0-9])?)*$/;
export const USER_NAME = /^[a-z_][a-z0-9_-]{0,31}$/;
export const PACKAGE = /^[a-z0-9][a-z0-9+.:=~-]{0,127}$/;

export class CloudInitUserDto {
  @ApiProperty({ pattern: USER_NAME.source, example: 'ops' })
  @IsString()
  @Matches(USER_NAME, { message: 'name must be a Linux user name ([a-z_][a-z0-9_-]{0,31})' })
  name!: string;

  @ApiPropertyOptional({ type: [String], description: 'OpenSSH public keys' })
  @IsOptional()
  @IsArray()
  @ArrayMaxSize(32)
  @Matches(SSH_KEY, { each: true, message: 'sshAuthorizedKeys must be OpenSSH public keys, one per entry' })
  sshAuthorizedKeys?: string[];

  @ApiPropertyOptional({
    description: 'crypt(3) hash ($6$… from `mkpasswd -m sha-512`), never a plain password',
  })
  @IsOptional()
  @IsString()
  @Matches(PASSWORD_HASH, { message: 'passwordHash must be a crypt(3) hash such as $6$salt$hash' })
  passwordHash?: string;

  @ApiPropertyOptional({ description: 'passwordless sudo' })
  @IsOptional()
  @IsBoolean()
  sudo?: boolean;

  @ApiPropertyOptional({ example: '/bin/bash' })
  @IsOptional()
  @IsString()
  @Matches(/^\/[A-Za-z0-9_./-]{1,63}$/, { message: 'shell must be an absolute path' })
  shell?: string;

  @ApiPropertyOptional({ type: [String] })
  @IsOptional()
  @IsArray()
  @ArrayMaxSize(32)
  @Matches(USER_NAME, { each: true, message: 'groups must be group names' })
  groups?: string[];
}

/** A NoCloud seed: fields (users, keys, packages, runcmd) or a raw `#cloud-config` document. */
export class CloudInitDto {
  @ApiPropertyOptional({ description: 'local-hostname (default: the VM name made host-safe)' })
  @IsOptional()
  @IsString()
  @MaxLength(253)
  @Matches(HOSTNAME, { message: 'hostname must be a valid host name' })
  hostname?: string;

  @ApiPropertyOptional({ description: 'instance-id (default: derived from the VM id and the content)' })
  @IsOptional()
  @IsString()
  @Matches(/^[A-Za-z0-9_.-]{1,128}$/, { message: 'instanceId must be 1-128 of [A-Za-z0-9_.-]' })
  instanceId?: string;

  @ApiPropertyOptional({ type: [CloudInitUserDto] })
  @IsOptional()
  @IsArray()
  @ArrayMaxSize(32)
  @ValidateNested({ each: true })
  @Type(() => CloudInitUserDto)
  users?: CloudInitUserDto[];

  @ApiPropertyOptional({ type: [String], description: "keys for the image's default user" })
  @IsOptional()
  @IsArray()
  @ArrayMaxSize(32)
  @Matches(SSH_KEY, { each: true, message: 'sshAuthorizedKeys must be OpenSSH public keys, one per entry' })
  sshAuthorizedKeys?: string[];

  @ApiPropertyOptional({ type: [String], example: ['qemu-guest-agent'] })
  @IsOptional()
  @IsArray()
  @ArrayMaxSize(256)
  @Matches(PACKAGE, { each: true, message: 'packages must be package names' })
  packages?: string[];

  @ApiPropertyOptional({ type: [String], description: 'commands run once at first boot (as /bin/sh lines)' })
  @IsOptional()
  @IsArray()
  @ArrayMaxSize(128)
  @IsString({ each: true })
  @MaxLength(4096, { each: true })
  @IsSafeText({ each: true, message: 'runcmd entries must not contain control characters' })
  runcmd?: string[];

  @ApiPropertyOptional({
    description: 'A complete `#cloud-config` YAML document instead of the fields above (max 64 KiB)',
  })
  @IsOptional()
  @IsString()
  @MaxLength(65536)
  userData?: string;

  @ApiPropertyOptional({ format: 'uuid', description: "Where the ISO goes (default: the VM's first disk's)" })
  @IsOptional()
  @IsUUID('all')
  storageDomainId?: string;
}

export class CloudInitPreviewDto {
  @ApiProperty({ description: 'The user-data document the seed ISO would carry' })
  userData!: string;
}
