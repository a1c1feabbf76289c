import { Module } from '@nestjs/common';
import { OidcController } from './oidc.controller';
import { OidcService } from './oidc.service';
import { OidcStateStore } from './oidc-state.store';

/** OpenID Connect login; the users, groups and sessions it writes are the auth module's (global). */
@Module({
  controllers: [OidcController],
  providers: [OidcService, OidcStateStore],
})
export class OidcModule {}
