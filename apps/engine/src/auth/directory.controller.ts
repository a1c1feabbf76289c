import { Permission } from '@kelpie/shared-types';
import { Body, Controller, Delete, Get, HttpCode, Param, Patch, Post, Query, Req } from '@nestjs/common';
import { ApiNoContentResponse, ApiOkResponse, ApiOperation, ApiTags } from '@nestjs/swagger';
import type { Request } from 'express';
import { principalOf } from '../common/identity/principal';
import { ApiErrors } from '../common/http/openapi';
import { UuidParam } from '../common/http/uuid-param';
import { Can, on, SignedIn } from './access.decorator';
import {
  AddMemberDto,
  CreateGrantDto,
  CreateGroupDto,
  CreateRoleDto,
  CreateUserDto,
  GrantListQuery,
  ResetPasswordDto,
  UpdateRoleDto,
} from './auth.dto';
import {
  GrantResponse,
  GroupResponse,
  GroupWithMembersResponse,
  mapGrant,
  mapGroup,
  mapRole,
  mapUser,
  RoleResponse,
  UserResponse,
} from './auth.responses';
import { DirectoryService } from './directory.service';

const admin = () => Can(Permission.UserManage, on.system);

/** Users, groups, roles and grants (permission `user.manage` on the system). */
@ApiTags('access')
@Controller()
export class DirectoryController {
  constructor(private readonly dir: DirectoryService) {}

  @Get('users')
  @admin()
  @ApiOkResponse({ type: UserResponse, isArray: true })
  async users(): Promise<UserResponse[]> {
    return (await this.dir.listUsers()).map(mapUser);
  }

  @Post('users')
  @admin()
  @ApiErrors(400, 409)
  async createUser(@Body() dto: CreateUserDto): Promise<UserResponse> {
    return mapUser(await this.dir.createUser(dto));
  }

  @Post('users/:id/disable')
  @HttpCode(200)
  @admin()
  @ApiOperation({ summary: 'Disable a user: their sessions end; 409 for yourself or the last administrator' })
  @ApiErrors(400, 404, 409)
  async disable(@UuidParam() id: string, @Req() req: Request): Promise<UserResponse> {
    return mapUser(await this.dir.setDisabled(id, true, principalOf(req)!.userId));
  }

  @Post('users/:id/enable')
  @HttpCode(200)
  @admin()
  @ApiErrors(400, 404)
  async enable(@UuidParam() id: string, @Req() req: Request): Promise<UserResponse> {
    return mapUser(await this.dir.setDisabled(id, false, principalOf(req)!.userId));
  }

  @Post('users/:id/password')
  @HttpCode(204)
  @admin()
  @ApiOperation({ summary: "Set a user's password (an administrator's reset): their sessions end" })
  @ApiNoContentResponse()
  @ApiErrors(400, 404)
  async resetPassword(@UuidParam() id: string, @Body() dto: ResetPasswordDto) {
    await this.dir.resetPassword(id, dto.password);
  }

  @Delete('users/:id')
  @HttpCode(204)
  @admin()
  @ApiOperation({
    summary:
      'Delete a user with their grants, sessions and tokens; 409 for yourself or the last administrator',
  })
  @ApiNoContentResponse()
  @ApiErrors(400, 404, 409)
  async deleteUser(@UuidParam() id: string, @Req() req: Request) {
    await this.dir.deleteUser(id, principalOf(req)!.userId);
  }

  @Get('roles')
  @SignedIn()
  @ApiOkResponse({ type: RoleResponse, isArray: true })
  async roles(): Promise<RoleResponse[]> {
    return (await this.dir.listRoles()).map(mapRole);
  }

  @Post('roles')
  @admin()
  @ApiErrors(400, 409)
  async createRole(@Body() dto: CreateRoleDto): Promise<RoleResponse> {
    return mapRole(await this.dir.createRole(dto));
  }

  @Patch('roles/:id')
  @admin()
  @ApiOperation({
    summary: 'Rename a custom role or replace its permissions (its grants carry them at once)',
    description:
      '409 for a built-in role, a name already taken, a role named by the OpenID Connect group mapping, or when it would leave no enabled user who may manage users; 400 names an unknown permission.',
  })
  @ApiOkResponse({ type: RoleResponse })
  @ApiErrors(400, 404, 409)
  async updateRole(@UuidParam() id: string, @Body() dto: UpdateRoleDto): Promise<RoleResponse> {
    return mapRole(await this.dir.updateRole(id, dto));
  }

  @Delete('roles/:id')
  @HttpCode(204)
  @admin()
  @ApiErrors(400, 404, 409)
  async deleteRole(@UuidParam() id: string) {
    await this.dir.deleteRole(id);
  }

  @Get('grants')
  @admin()
  @ApiOkResponse({ type: GrantResponse, isArray: true })
  async grants(@Query() q: GrantListQuery): Promise<GrantResponse[]> {
    return (await this.dir.listGrants(q)).map(mapGrant);
  }

  @Post('grants')
  @admin()
  @ApiErrors(400, 404)
  async createGrant(@Body() dto: CreateGrantDto): Promise<GrantResponse> {
    return mapGrant(await this.dir.createGrant(dto));
  }

  @Delete('grants/:id')
  @HttpCode(204)
  @admin()
  @ApiOperation({ summary: 'Remove a grant; 409 when it would leave no enabled user who may manage users' })
  @ApiErrors(400, 404, 409)
  async deleteGrant(@UuidParam() id: string) {
    await this.dir.deleteGrant(id);
  }

  @Get('groups')
  @admin()
  @ApiOkResponse({ type: GroupWithMembersResponse, isArray: true })
  groups(): Promise<GroupWithMembersResponse[]> {
    return this.dir.listGroups();
  }

  @Post('groups')
  @admin()
  @ApiErrors(400, 409)
  async createGroup(@Body() dto: CreateGroupDto): Promise<GroupResponse> {
    return mapGroup(await this.dir.createGroup(dto.name));
  }

  @Post('groups/:id/members')
  @HttpCode(204)
  @admin()
  @ApiErrors(400, 404)
  async addMember(@Param('id') id: string, @Body() dto: AddMemberDto) {
    await this.dir.addMember(id, dto.userId);
  }

  @Delete('groups/:id/members/:userId')
  @HttpCode(204)
  @admin()
  @ApiOperation({
    summary: "Remove a member: the group's grants stop applying to them at once",
    description: '409 when it would leave no enabled user who may manage users.',
  })
  @ApiNoContentResponse()
  @ApiErrors(400, 404, 409)
  async removeMember(@UuidParam() id: string, @UuidParam('userId') userId: string) {
    await this.dir.removeMember(id, userId);
  }

  @Delete('groups/:id')
  @HttpCode(204)
  @admin()
  @ApiOperation({
    summary: 'Delete a group with its grants (its members stay users)',
    description: '409 when it would leave no enabled user who may manage users.',
  })
  @ApiNoContentResponse()
  @ApiErrors(400, 404, 409)
  async deleteGroup(@UuidParam() id: string) {
    await this.dir.deleteGroup(id);
  }
}
