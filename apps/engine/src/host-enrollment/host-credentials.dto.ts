import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { IsBoolean, IsOptional } from 'class-validator';

export class IssueHostCredentialsDto {
  @ApiPropertyOptional({
    description:
      'Replace credentials issued before: the agent still using them loses its Redis access at once. ' +
      'Without it, a host that already has credentials is a 409.',
    default: false,
  })
  @IsOptional()
  @IsBoolean()
  replace?: boolean;
}

class RedisAccessResponse {
  @ApiProperty({ description: 'The Redis the agent connects to (no user or password in it).' })
  url!: string;
  @ApiProperty({ description: "The host's own Redis ACL user." })
  username!: string;
  @ApiProperty({ description: 'Its password: shown in this answer only; the engine keeps a SHA-256 of it.' })
  password!: string;
}

class CommandKeyResponse {
  @ApiProperty({ description: "The engine's Ed25519 public key: the agent runs only commands it signed." })
  publicKeyPem!: string;
}

class HostTlsResponse {
  @ApiProperty() caCertPem!: string;
  @ApiProperty() certPem!: string;
  @ApiProperty({ description: "The host's TLS private key: shown in this answer only, never stored." })
  keyPem!: string;
}

class HostConfigResponse {
  @ApiProperty({
    description:
      "`lock-manager.sh`'s argument: the datacenter's lockspace directory on its oldest shared directory " +
      'storage domain, or `direct` (disk leases on the disk files themselves).',
    example: '/srv/kelpie/shared/.kelpie-lockspace',
  })
  lockspace!: string;
  @ApiProperty({
    description:
      "The engine's line for root's authorized_keys: its SSH public key, restricted to the soft-fence script.",
    example: 'restrict,command="/opt/kelpie-agent/soft-fence.sh" ssh-ed25519 AAAA… kelpie-engine-soft-fence',
  })
  engineAuthorizedKey!: string;
}

/** The agent's `credentials.json` (KELPIE_CREDENTIALS_FILE): what enrollment writes, plus `hostConfig`. */
export class HostCredentialsResponse {
  @ApiProperty({ format: 'uuid' }) hostId!: string;
  @ApiProperty({ type: RedisAccessResponse }) redis!: RedisAccessResponse;
  @ApiProperty({ type: CommandKeyResponse }) commandKey!: CommandKeyResponse;
  @ApiProperty({ type: HostTlsResponse }) tls!: HostTlsResponse;
  @ApiPropertyOptional({
    type: HostConfigResponse,
    description:
      "What the package's host-configuration step applies before each agent start (ADR 0060): libvirt's lock " +
      "manager and the engine's soft-fence key. Always in this answer; enrollment over SSH does both itself.",
  })
  hostConfig?: HostConfigResponse;
}
