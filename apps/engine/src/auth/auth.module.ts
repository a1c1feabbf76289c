import { Global, Module } from '@nestjs/common';
import { APP_GUARD, APP_INTERCEPTOR } from '@nestjs/core';
import { TypeOrmModule } from '@nestjs/typeorm';
import { AccessRepository } from './access.repository';
import { AccessService } from './access.service';
import { AUTH_ENTITIES } from './auth.entities';
import { AuthController } from './auth.controller';
import { AuthGuard } from './auth.guard';
import { Authenticator } from './authenticator';
import { BootstrapService } from './bootstrap.service';
import { CredentialsService } from './credentials.service';
import { DirectoryController } from './directory.controller';
import { DirectoryRepository } from './directory.repository';
import { DirectoryService } from './directory.service';
import { ExternalUsersRepository } from './external-users.repository';
import { IdentityRepository } from './identity.repository';
import { LoginThrottle } from './login-throttle';
import { VisibilityInterceptor } from './visibility.interceptor';

/** Identity (users, sessions, tokens) and access (roles granted on the tree), with the one global
 * guard every route passes. Global: the console proxy and the live stream authenticate too. */
@Global()
@Module({
  imports: [TypeOrmModule.forFeature(AUTH_ENTITIES)],
  controllers: [AuthController, DirectoryController],
  providers: [
    IdentityRepository,
    DirectoryRepository,
    AccessRepository,
    ExternalUsersRepository,
    AccessService,
    CredentialsService,
    LoginThrottle,
    Authenticator,
    DirectoryService,
    BootstrapService,
    { provide: APP_GUARD, useClass: AuthGuard },
    { provide: APP_INTERCEPTOR, useClass: VisibilityInterceptor },
  ],
  exports: [AccessService, AccessRepository, Authenticator, CredentialsService, ExternalUsersRepository],
})
export class AuthModule {}
