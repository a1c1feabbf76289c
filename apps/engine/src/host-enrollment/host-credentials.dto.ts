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

/** The agent's `credentials.json` (KELPIE_CREDENTIALS_FILE), byte for byte what enrollment writes. */
export class HostCredentialsResponse {
  @ApiProperty({ format: 'uuid' }) hostId!: string;
  @ApiProperty({ type: RedisAccessResponse }) redis!: RedisAccessResponse;
  @ApiProperty({ type: CommandKeyResponse }) commandKey!: CommandKeyResponse;
  @ApiProperty({ type: HostTlsResponse }) tls!: HostTlsResponse;
}
