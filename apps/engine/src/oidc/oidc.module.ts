import { Module } from '@nestjs/common';
import { TypeOrmModule } from '@nestjs/typeorm';
import { GrantEntity, GroupEntity, GroupMemberEntity, RoleEntity, UserEntity } from '../auth/auth.entities';
import { OidcController } from './oidc.controller';
import { OidcRepository } from './oidc.repository';
import { OidcService } from './oidc.service';
import { OidcStateStore } from './oidc-state.store';

/** OpenID Connect login; the sessions it opens are the auth module's. */
@Module({
  imports: [TypeOrmModule.forFeature([UserEntity, GroupEntity, GroupMemberEntity, RoleEntity, GrantEntity])],
  controllers: [OidcController],
  providers: [OidcService, OidcRepository, OidcStateStore],
})
export class OidcModule {}
