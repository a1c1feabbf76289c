import { ALL_PERMISSIONS, GrantObjectType, Permission, TokenScope, values } from '@kelpie/shared-types';
import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { Transform } from 'class-transformer';
import { toBoolean } from '../common/validation/validators';
import {
  ArrayMaxSize,
  IsArray,
  IsBoolean,
  IsIn,
  IsInt,
  IsOptional,
  IsString,
  IsUUID,
  Matches,
  Max,
  MaxLength,
  Min,
  MinLength,
  ValidateIf,
  type ValidationArguments,
} from 'class-validator';

const USERNAME = /^[A-Za-z0-9_.@-]{1,64}$/;
const ROLE_NAME_RULE = 'letters, digits, "_", ".", "@" or "-" (at most 64)';

export class LoginDto {
  @ApiProperty({ example: 'admin' })
  @IsString()
  @MaxLength(64)
  username!: string;

  @ApiProperty()
  @IsString()
  @MaxLength(1024)
  password!: string;
}

export class ChangePasswordDto {
  @ApiProperty()
  @IsString()
  @MaxLength(1024)
  currentPassword!: string;

  @ApiProperty({ minLength: 12 })
  @IsString()
  @MaxLength(1024)
  newPassword!: string;
}

export class CreateTokenDto {
  @ApiProperty({ example: 'backup script' })
  @IsString()
  @MinLength(1)
  @MaxLength(128)
  name!: string;

  @ApiProperty({ enum: values(TokenScope) })
  @IsIn(values(TokenScope))
  scope!: TokenScope;

  @ApiPropertyOptional({ minimum: 1, maximum: 365, default: 30 })
  @IsOptional()
  @IsInt()
  @Min(1)
  @Max(365)
  expiresInDays?: number;
}

export class CreateUserDto {
  @ApiProperty({ pattern: USERNAME.source })
  @Matches(USERNAME, { message: 'letters, digits, "_", ".", "@" or "-" (at most 64)' })
  username!: string;

  @ApiPropertyOptional({ maxLength: 128 })
  @IsOptional()
  @IsString()
  @MaxLength(128)
  displayName?: string;

  @ApiProperty({ minLength: 12 })
  @IsString()
  @MaxLength(1024)
  password!: string;
}

export class ResetPasswordDto {
  @ApiProperty({ minLength: 12 })
  @IsString()
  @MaxLength(1024)
  password!: string;
}

/** Names the permissions that do not exist (class-validator's default lists the allowed ones only). */
const unknownPermissions = ({ value }: ValidationArguments): string => {
  const unknown = (Array.isArray(value) ? value : [value]).filter(
    (p) => !ALL_PERMISSIONS.includes(p as Permission),
  );
  return `unknown permission${unknown.length === 1 ? '' : 's'}: ${unknown.map(String).join(', ')}`;
};

export class CreateRoleDto {
  @ApiProperty({ pattern: USERNAME.source })
  @Matches(USERNAME, { message: ROLE_NAME_RULE })
  name!: string;

  @ApiProperty({ enum: ALL_PERMISSIONS, isArray: true })
  @IsArray()
  @ArrayMaxSize(ALL_PERMISSIONS.length)
  @IsIn(ALL_PERMISSIONS, { each: true, message: unknownPermissions })
  permissions!: Permission[];
}

/** A custom role renamed or given another set of permissions (the whole set: it replaces the old). */
export class UpdateRoleDto {
  @ApiPropertyOptional({ pattern: USERNAME.source })
  @IsOptional()
  @Matches(USERNAME, { message: ROLE_NAME_RULE })
  name?: string;

  @ApiPropertyOptional({ enum: ALL_PERMISSIONS, isArray: true })
  @IsOptional()
  @IsArray()
  @ArrayMaxSize(ALL_PERMISSIONS.length)
  @IsIn(ALL_PERMISSIONS, { each: true, message: unknownPermissions })
  permissions?: Permission[];
}

export class CreateGrantDto {
  @ApiProperty({ enum: ['user', 'group'] })
  @IsIn(['user', 'group'])
  principalType!: 'user' | 'group';

  @ApiProperty({ format: 'uuid' })
  @IsUUID()
  principalId!: string;

  @ApiProperty({ example: 'VmOperator' })
  @IsString()
  @MaxLength(64)
  role!: string;

  @ApiProperty({ enum: values(GrantObjectType) })
  @IsIn(values(GrantObjectType))
  objectType!: GrantObjectType;

  @ApiPropertyOptional({ type: String, format: 'uuid', nullable: true, description: 'null for the system' })
  @ValidateIf((o: CreateGrantDto) => o.objectType !== 'system')
  @IsUUID()
  objectId?: string | null;
}

export class GrantListQuery {
  @ApiPropertyOptional({ enum: values(GrantObjectType) })
  @IsOptional()
  @IsIn(values(GrantObjectType))
  objectType?: GrantObjectType;

  @ApiPropertyOptional({ format: 'uuid' })
  @IsOptional()
  @IsUUID()
  objectId?: string;

  @ApiPropertyOptional({ format: 'uuid' })
  @IsOptional()
  @IsUUID()
  principalId?: string;

  @ApiPropertyOptional({
    default: false,
    description:
      'With objectType and objectId: the grants made higher up the tree (its ancestors and the system), which also apply to the object, instead of those made on it.',
  })
  @IsOptional()
  @Transform(toBoolean)
  @IsBoolean()
  inherited?: boolean;
}

export class CreateGroupDto {
  @ApiProperty()
  @IsString()
  @MinLength(1)
  @MaxLength(128)
  name!: string;
}

export class AddMemberDto {
  @ApiProperty({ format: 'uuid' })
  @IsUUID()
  userId!: string;
}
