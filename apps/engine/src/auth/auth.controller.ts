import { CurrentUser, ErrorCode, GrantObjectType, PermissionsOn, SESSION_COOKIE } from '@kelpie/shared-types';
import { Body, Controller, Delete, Get, HttpCode, Inject, Post, Query, Req, Res } from '@nestjs/common';
import { ApiNoContentResponse, ApiOkResponse, ApiOperation, ApiTags } from '@nestjs/swagger';
import type { Request, Response } from 'express';
import { DomainError } from '../common/errors/domain-error';
import { ApiErrors } from '../common/http/openapi';
import { UuidParam } from '../common/http/uuid-param';
import { ENGINE_CONFIG } from '../config/config.module';
import { EngineConfig } from '../config/config.schema';
import { EventsService } from '../events/events.service';
import { Public, SignedIn } from './access.decorator';
import { AccessService } from './access.service';
import { ApiTokenResponse } from './auth.responses';
import { ChangePasswordDto, CreateTokenDto, GrantListQuery, LoginDto } from './auth.dto';
import { CredentialsService } from './credentials.service';
import { sessionPrincipal, setSessionCookie } from './session-cookie';
import { principalOf } from '../common/identity/principal';
import { bindPrincipal, Principal } from '../common/identity/request-context';

/** Logging in and out, the caller's own password and API tokens. */
@ApiTags('auth')
@Controller('auth')
export class AuthController {
  constructor(
    private readonly credentials: CredentialsService,
    private readonly access: AccessService,
    private readonly events: EventsService,
    @Inject(ENGINE_CONFIG) private readonly config: EngineConfig,
  ) {}

  @Post('login')
  @HttpCode(200)
  @Public()
  @ApiOperation({
    summary: 'Log in with a username and password: sets the session cookie (HttpOnly, SameSite=Strict)',
    description: `401 on a wrong username or password; 429 once a username or an address is locked out after repeated failures.`,
  })
  @ApiErrors(400, 401, 429)
  async login(
    @Body() dto: LoginDto,
    @Req() req: Request,
    @Res({ passthrough: true }) res: Response,
  ): Promise<CurrentUser> {
    const address = req.ip ?? 'unknown';
    const { cookie, user } = await this.credentials
      .login(dto.username, dto.password, address)
      .catch(async (err: unknown) => {
        if (err instanceof DomainError && err.code === ErrorCode.Unauthorized)
          await this.events.record({
            type: 'user.login-failed',
            severity: 'warning',
            message: `failed login for "${dto.username.slice(0, 64)}" from ${address}`,
          });
        throw err;
      });
    setSessionCookie(req, res, cookie, this.config.auth.sessionMaxMs);
    const principal = sessionPrincipal(user, await this.access.groupIdsOf(user.id), address);
    bindPrincipal(principal);
    await this.events.record({ type: 'user.login', message: `${user.username} logged in from ${address}` });
    return this.me(principal);
  }

  @Post('logout')
  @HttpCode(204)
  @SignedIn()
  @ApiNoContentResponse()
  async logout(@Req() req: Request, @Res({ passthrough: true }) res: Response): Promise<void> {
    const p = principalOf(req)!;
    if (p.sessionHash) await this.credentials.logout(p.sessionHash);
    res.clearCookie(SESSION_COOKIE, { path: '/', httpOnly: true, sameSite: 'strict', secure: req.secure });
  }

  @Get('me')
  @SignedIn()
  @ApiOperation({ summary: 'The caller: user, how they authenticated, and their permissions on the system' })
  whoAmI(@Req() req: Request): Promise<CurrentUser> {
    return this.me(principalOf(req)!);
  }

  @Get('permissions')
  @SignedIn()
  @ApiOperation({ summary: "The caller's permissions on one object (what the portal may offer there)" })
  @ApiErrors(400)
  async permissions(@Query() q: GrantListQuery, @Req() req: Request): Promise<PermissionsOn> {
    const type = q.objectType ?? GrantObjectType.System;
    const id = type === 'system' ? null : (q.objectId ?? null);
    const held = await this.access.permissionsOn(principalOf(req)!, id ? type : 'system', id);
    return { objectType: type, objectId: id, permissions: [...held].sort() };
  }

  @Post('password')
  @HttpCode(204)
  @SignedIn()
  @ApiOperation({ summary: "Change the caller's password; their other sessions end" })
  @ApiErrors(400, 401, 429)
  async changePassword(@Body() dto: ChangePasswordDto, @Req() req: Request): Promise<void> {
    const p = principalOf(req)!;
    await this.credentials.changePassword(
      p.userId,
      dto.currentPassword,
      dto.newPassword,
      p.sessionHash,
      req.ip ?? 'unknown',
    );
    await this.events.record({
      type: 'user.password-changed',
      message: `${p.username} changed their password`,
    });
  }

  @Get('tokens')
  @SignedIn()
  @ApiOkResponse({ type: ApiTokenResponse, isArray: true })
  tokens(@Req() req: Request): Promise<ApiTokenResponse[]> {
    return this.credentials.listTokens(principalOf(req)!.userId);
  }

  @Post('tokens')
  @SignedIn()
  @ApiOperation({ summary: 'Create an API token: the answer holds the token, shown this once' })
  @ApiErrors(400)
  async createToken(@Body() dto: CreateTokenDto, @Req() req: Request) {
    const p = principalOf(req)!;
    const created = await this.credentials.createToken(p.userId, {
      name: dto.name,
      scope: dto.scope,
      expiresInDays: dto.expiresInDays ?? 30,
    });
    await this.events.record({
      type: 'token.created',
      message: `${p.username} created API token "${dto.name}" (${created.id}, ${dto.scope})`,
    });
    return created;
  }

  @Delete('tokens/:id')
  @HttpCode(204)
  @SignedIn()
  @ApiOperation({ summary: "Revoke one of the caller's API tokens: it stops working at once" })
  @ApiErrors(400, 404)
  async revokeToken(@UuidParam() id: string, @Req() req: Request): Promise<void> {
    const p = principalOf(req)!;
    await this.credentials.revokeToken(id, p.userId);
    await this.events.record({ type: 'token.revoked', message: `${p.username} revoked API token ${id}` });
  }

  private async me(p: Principal): Promise<CurrentUser> {
    const held = await this.access.permissionsOn(p, 'system', null);
    return {
      id: p.userId,
      username: p.username,
      displayName: null,
      via: p.via,
      tokenId: p.tokenId,
      systemPermissions: [...held].sort(),
    };
  }
}
