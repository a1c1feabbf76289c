import { BUILTIN_ROLES, ErrorCode, GrantObjectType } from '@kelpie/shared-types';
import { Inject, Injectable, OnApplicationBootstrap } from '@nestjs/common';
import { randomBytes } from 'node:crypto';
import { AccessRepository } from '../auth/access.repository';
import { UserEntity } from '../auth/auth.entities';
import { CredentialsService } from '../auth/credentials.service';
import { ENGINE_CONFIG } from '../config/config.module';
import { ConfigError, EngineConfig } from '../config/config.schema';
import { OidcConfig } from '../config/oidc';
import { displayNameFrom, groupsFrom, usernameFrom } from './claims';
import { OidcClient } from './oidc-client';
import { OidcLoginFailure } from './login-failure';
import { ExternalUsersRepository } from '../auth/external-users.repository';
import { OidcStateStore } from './oidc-state.store';

export const oidcOff = () =>
  new OidcLoginFailure(
    'not_configured',
    ErrorCode.NotFound,
    'OpenID Connect login is not configured on this engine',
  );

/**
 * Login with an OpenID Connect provider (authorization code + PKCE). The user is found again by
 * (issuer, subject) and created on first login as an external user (no password); at every login
 * their membership of the mapped groups follows the provider's groups claim, and the mapped groups
 * hold their configured grants. Then they get the same session cookie as a password login.
 */
@Injectable()
export class OidcService implements OnApplicationBootstrap {
  private readonly client?: OidcClient;

  constructor(
    private readonly repo: ExternalUsersRepository,
    private readonly store: OidcStateStore,
    private readonly credentials: CredentialsService,
    private readonly tree: AccessRepository,
    @Inject(ENGINE_CONFIG) private readonly config: EngineConfig,
  ) {
    if (config.oidc) this.client = new OidcClient(config.oidc);
  }

  get settings(): OidcConfig | undefined {
    return this.config.oidc;
  }

  /** The mapping names roles and objects that must exist: a typo stops the boot, not a login later. */
  async onApplicationBootstrap(): Promise<void> {
    const problems: string[] = [];
    for (const m of this.config.oidc?.groupRoles ?? []) {
      if (!(m.role in BUILTIN_ROLES) && !(await this.repo.roleByName(m.role)))
        problems.push(`group ${m.group}: role ${m.role} does not exist`);
      if (m.objectId && !(await this.tree.chain(m.objectType as 'vm', m.objectId)))
        problems.push(`group ${m.group}: ${m.objectType} ${m.objectId} does not exist`);
    }
    if (problems.length)
      throw new ConfigError(
        `invalid engine configuration:\n  KELPIE_OIDC_GROUP_ROLES: ${problems.join('; ')}`,
      );
  }

  /** Where to send the browser, and the state that binds the login to it. */
  async begin(): Promise<{ url: string; state: string }> {
    const client = this.requireClient();
    const state = randomBytes(32).toString('base64url');
    const { url, pending } = await client.authorizationUrl(state);
    await this.store.put(state, pending);
    return { url, state };
  }

  /** `browserState`: the state cookie of the browser that came back; it must be the one the login
   * left with (a login started elsewhere, forced on this browser, is refused). */
  async complete(
    callbackQuery: string,
    state: unknown,
    browserState: string | undefined,
  ): Promise<UserEntity> {
    const client = this.requireClient();
    if (typeof state !== 'string' || !state || state !== browserState)
      throw badState('state_mismatch', 'does not match the login this browser started');
    const pending = await this.store.take(state);
    if (!pending) throw badState('state_expired', 'unknown, already used or expired: start the login again');
    const claims = await client.complete(callbackQuery, state, pending);
    const user = await this.provision(claims);
    if (user.disabled)
      throw new OidcLoginFailure(
        'user_disabled',
        ErrorCode.Unauthorized,
        `user ${user.username} is disabled in Kelpie`,
      );
    await this.syncGroups(user.id, groupsFrom(claims, this.config.oidc!.groupsClaim));
    return user;
  }

  openSession(user: UserEntity, address: string): Promise<string> {
    return this.credentials.openSession(user.id, address);
  }

  private async provision(claims: Parameters<typeof usernameFrom>[0]): Promise<UserEntity> {
    const oidc = this.config.oidc!;
    const username = usernameFrom(claims, oidc.usernameClaim);
    const displayName = displayNameFrom(claims);
    const known = await this.repo.findExternal(oidc.issuer, claims.sub);
    const holder = await this.repo.findByUsername(username);
    if (holder && holder.id !== known?.id)
      throw new OidcLoginFailure(
        'username_taken',
        ErrorCode.Conflict,
        `the username ${username} belongs to another Kelpie user: an administrator must rename or remove it first`,
        [{ field: oidc.usernameClaim, reason: 'username taken' }],
      );
    if (!known)
      return this.repo.insertExternal({ username, displayName, issuer: oidc.issuer, subject: claims.sub });
    if (known.username !== username || known.displayName !== displayName)
      await this.repo.updateProfile(known.id, username, displayName);
    return { ...known, username, displayName };
  }

  /** The mapped groups (and their grants) exist; the user is in those the provider says, out of the
   * others. Groups outside the mapping are Kelpie's own, left as administrators set them. */
  private async syncGroups(userId: string, claimed: Set<string>): Promise<void> {
    const managed = new Map<string, string>();
    for (const m of this.config.oidc!.groupRoles) {
      const group = managed.get(m.group) ?? (await this.repo.ensureGroup(m.group)).id;
      managed.set(m.group, group);
      const role = await this.repo.roleByName(m.role);
      if (role) await this.repo.ensureGrant(group, role.id, m.objectType as GrantObjectType, m.objectId);
    }
    const memberOf = [...managed].filter(([name]) => claimed.has(name)).map(([, id]) => id);
    await this.repo.syncMemberships(userId, [...managed.values()], memberOf);
  }

  private requireClient(): OidcClient {
    if (!this.client) throw oidcOff();
    return this.client;
  }
}

const badState = (code: 'state_mismatch' | 'state_expired', reason: string) =>
  new OidcLoginFailure(code, ErrorCode.ValidationFailed, `the login's state ${reason}`, [
    { field: 'state', reason },
  ]);
