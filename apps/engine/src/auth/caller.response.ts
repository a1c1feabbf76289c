import { GrantObjectType, Permission } from '@kelpie/shared-types';
import type { CurrentUser, LoginProviders, PermissionsOn } from '@kelpie/shared-types';
import { ApiProperty } from '@nestjs/swagger';
import { ApiTokenResponse } from './auth.responses';

const permissions = { enum: Object.values(Permission), isArray: true } as const;

/** `GET /auth/me` and the answer of `POST /auth/login`. */
export class CurrentUserResponse implements CurrentUser {
  @ApiProperty({ format: 'uuid' })
  id!: string;

  @ApiProperty()
  username!: string;

  @ApiProperty({ type: String, nullable: true })
  displayName!: string | null;

  @ApiProperty({ enum: ['session', 'token'], description: 'How this request was authenticated.' })
  via!: 'session' | 'token';

  @ApiProperty({ type: String, format: 'uuid', nullable: true })
  tokenId!: string | null;

  @ApiProperty(permissions)
  systemPermissions!: Permission[];
}

/** `GET /auth/permissions`: the caller's permissions on one object. */
export class PermissionsOnResponse implements PermissionsOn {
  @ApiProperty({ enum: Object.values(GrantObjectType) })
  objectType!: GrantObjectType;

  @ApiProperty({ type: String, format: 'uuid', nullable: true })
  objectId!: string | null;

  @ApiProperty(permissions)
  permissions!: Permission[];
}

export class OidcProviderResponse {
  @ApiProperty({ description: "The login button's label." })
  name!: string;

  @ApiProperty({ description: 'Where the button sends the browser.' })
  loginUrl!: string;
}

/** `GET /auth/providers`: how the login page may offer to log in. */
export class LoginProvidersResponse implements LoginProviders {
  @ApiProperty({ enum: [true], description: 'Username and password (always offered).' })
  local!: true;

  @ApiProperty({ type: OidcProviderResponse, nullable: true })
  oidc!: OidcProviderResponse | null;
}

/** `POST /auth/tokens`: the new token with its secret, shown this once. */
export class CreatedApiTokenResponse extends ApiTokenResponse {
  @ApiProperty({ description: 'The token itself (`kelpie_<id>_<secret>`); never shown again.' })
  token!: string;
}
