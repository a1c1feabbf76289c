import { Permission } from '@kelpie/shared-types';
import { Body, Controller, Delete, Get, HttpCode, Param, Post, Query, Req } from '@nestjs/common';
import {
  ApiCreatedResponse,
  ApiNoContentResponse,
  ApiOkResponse,
  ApiOperation,
  ApiTags,
} from '@nestjs/swagger';
import type { Request } from 'express';
import { principalOf } from '../common/identity/principal';
import { ApiErrors } from '../common/http/openapi';
import { UuidParam } from '../common/http/uuid-param';
import { Can, on, SignedIn } from './access.decorator';
import { GrantEntity, GroupEntity, RoleEntity, UserEntity } from './auth.entities';
import {
  AddMemberDto,
  CreateGrantDto,
  CreateGroupDto,
  CreateRoleDto,
  CreateUserDto,
  GrantListQuery,
  GroupWithMembers,
  ResetPasswordDto,
} from './auth.dto';
import { DirectoryService } from './directory.service';

const admin = () => Can(Permission.UserManage, on.system);

/** Users, groups, roles and grants (permission `user.manage` on the system). */
@ApiTags('access')
@Controller()
export class DirectoryController {
  constructor(private readonly dir: DirectoryService) {}

  @Get('users')
  @admin()
  @ApiOkResponse({ type: UserEntity, isArray: true })
  users() {
    return this.dir.listUsers();
  }

  @Post('users')
  @admin()
  @ApiCreatedResponse({ type: UserEntity })
  @ApiErrors(400, 409)
  createUser(@Body() dto: CreateUserDto) {
    return this.dir.createUser(dto);
  }

  @Post('users/:id/disable')
  @HttpCode(200)
  @admin()
  @ApiOperation({ summary: 'Disable a user: their sessions end; 409 for yourself or the last administrator' })
  @ApiOkResponse({ type: UserEntity })
  @ApiErrors(400, 404, 409)
  disable(@UuidParam() id: string, @Req() req: Request) {
    return this.dir.setDisabled(id, true, principalOf(req)!.userId);
  }

  @Post('users/:id/enable')
  @HttpCode(200)
  @admin()
  @ApiOkResponse({ type: UserEntity })
  @ApiErrors(400, 404)
  enable(@UuidParam() id: string, @Req() req: Request) {
    return this.dir.setDisabled(id, false, principalOf(req)!.userId);
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
  @ApiOkResponse({ type: RoleEntity, isArray: true })
  roles() {
    return this.dir.listRoles();
  }

  @Post('roles')
  @admin()
  @ApiErrors(400, 409)
  createRole(@Body() dto: CreateRoleDto) {
    return this.dir.createRole(dto);
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
  @ApiOkResponse({ type: GrantEntity, isArray: true })
  grants(@Query() q: GrantListQuery) {
    return this.dir.listGrants(q);
  }

  @Post('grants')
  @admin()
  @ApiCreatedResponse({ type: GrantEntity })
  @ApiErrors(400, 404)
  createGrant(@Body() dto: CreateGrantDto) {
    return this.dir.createGrant(dto);
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
  @ApiOkResponse({ type: GroupWithMembers, isArray: true })
  groups() {
    return this.dir.listGroups();
  }

  @Post('groups')
  @admin()
  @ApiCreatedResponse({ type: GroupEntity })
  @ApiErrors(400, 409)
  createGroup(@Body() dto: CreateGroupDto) {
    return this.dir.createGroup(dto.name);
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
