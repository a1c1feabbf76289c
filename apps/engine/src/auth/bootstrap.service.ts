import { BUILTIN_ROLES } from '@kelpie/shared-types';
import { Inject, Injectable, Logger, OnApplicationBootstrap } from '@nestjs/common';
import { randomUUID } from 'node:crypto';
import { ENGINE_CONFIG } from '../config/config.module';
import { EngineConfig } from '../config/config.schema';
import { CredentialsService } from './credentials.service';
import { DirectoryRepository } from './directory.repository';
import { IdentityRepository } from './identity.repository';
import { hashPassword } from './passwords';

/**
 * At boot: the built-in roles exist with their current permissions; when there is no user at all, the
 * first administrator is created from KELPIE_ADMIN_USER / KELPIE_ADMIN_PASSWORD(_FILE) with SuperUser
 * on the system; KELPIE_BOOTSTRAP_TOKEN is (re)installed as that user's API token. There is no default
 * password: with neither a password nor a token set, no user is created and the engine says so.
 * Every step is idempotent, so engines booting together on one database agree.
 */
@Injectable()
export class BootstrapService implements OnApplicationBootstrap {
  private readonly logger = new Logger('Auth');

  constructor(
    private readonly identity: IdentityRepository,
    private readonly directory: DirectoryRepository,
    private readonly credentials: CredentialsService,
    @Inject(ENGINE_CONFIG) private readonly config: EngineConfig,
  ) {}

  async onApplicationBootstrap(): Promise<void> {
    for (const [name, permissions] of Object.entries(BUILTIN_ROLES))
      await this.directory.upsertBuiltinRole(name, [...permissions]);
    const { adminUser, adminPassword, bootstrapToken } = this.config.auth;
    if (!(await this.identity.hasAnyUser())) {
      if (!adminPassword && !bootstrapToken) {
        this.logger.error(
          'no user exists and neither KELPIE_ADMIN_PASSWORD nor KELPIE_BOOTSTRAP_TOKEN is set: nobody can log in',
        );
        return;
      }
      await this.identity.insertUserIfAbsent({
        id: randomUUID(),
        username: adminUser,
        displayName: 'Administrator',
        passwordHash: adminPassword ? await hashPassword(adminPassword) : null,
        passwordChangedAt: adminPassword ? new Date() : null,
      });
      const admin = await this.identity.findUserForLogin(adminUser);
      if (admin) await this.directory.grantSuperUser(admin.id);
      this.logger.log(`created the first administrator "${adminUser}"`);
    }
    if (bootstrapToken) {
      const admin = await this.identity.findUserForLogin(adminUser);
      if (!admin) {
        this.logger.error(`KELPIE_BOOTSTRAP_TOKEN is set but user "${adminUser}" does not exist`);
        return;
      }
      await this.credentials.installToken(admin.id, bootstrapToken, 'bootstrap (KELPIE_BOOTSTRAP_TOKEN)');
    }
  }
}
