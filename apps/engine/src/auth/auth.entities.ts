import { GrantObjectType, Permission, TokenScope, values } from '@kelpie/shared-types';
import { ApiHideProperty, ApiProperty, ApiSchema } from '@nestjs/swagger';
import {
  Check,
  Column,
  CreateDateColumn,
  Entity,
  Index,
  JoinColumn,
  ManyToOne,
  PrimaryColumn,
  Unique,
} from 'typeorm';
import { inList } from '../common/entities/columns';

/** A local (or OIDC-provisioned) user. `passwordHash` is an argon2id PHC string, null when the user
 * cannot log in with a password (token-only bootstrap admin, external identity). */
@ApiSchema({ name: 'User' })
@Entity('app_user')
@Unique('uq_app_user_username', ['username'])
@Unique('uq_app_user_external', ['externalIssuer', 'externalSubject'])
export class UserEntity {
  @ApiProperty({ format: 'uuid' })
  @PrimaryColumn('uuid', { primaryKeyConstraintName: 'pk_app_user' })
  id!: string;

  @ApiProperty({ example: 'alice' })
  @Column({ type: 'varchar', length: 64 })
  username!: string;

  @ApiProperty({ type: String, nullable: true })
  @Column({ type: 'varchar', length: 128, nullable: true })
  displayName!: string | null;

  @ApiHideProperty()
  @Column({ type: 'text', nullable: true, select: false })
  passwordHash!: string | null;

  @ApiProperty()
  @Column({ type: 'boolean', default: false })
  disabled!: boolean;

  @ApiProperty({ type: String, format: 'date-time' })
  @CreateDateColumn({ type: 'timestamptz' })
  createdAt!: Date;

  @ApiProperty({ type: String, format: 'date-time', nullable: true })
  @Column({ type: 'timestamptz', nullable: true })
  passwordChangedAt!: Date | null;

  @ApiProperty({
    type: String,
    nullable: true,
    description: 'The OpenID Connect issuer of an external user (no password login); null for a local user.',
  })
  @Column({ type: 'varchar', length: 512, nullable: true })
  externalIssuer!: string | null;

  /** The provider's `sub`: with the issuer, what finds the user again (usernames may change there). */
  @ApiHideProperty()
  @Column({ type: 'varchar', length: 255, nullable: true })
  externalSubject!: string | null;
}

@ApiSchema({ name: 'Group' })
@Entity('user_group')
@Unique('uq_user_group_name', ['name'])
export class GroupEntity {
  @ApiProperty({ format: 'uuid' })
  @PrimaryColumn('uuid', { primaryKeyConstraintName: 'pk_user_group' })
  id!: string;

  @ApiProperty()
  @Column({ type: 'varchar', length: 128 })
  name!: string;
}

@Entity('group_member')
export class GroupMemberEntity {
  @PrimaryColumn('uuid', { primaryKeyConstraintName: 'pk_group_member' })
  groupId!: string;

  @PrimaryColumn('uuid', { primaryKeyConstraintName: 'pk_group_member' })
  userId!: string;

  @ManyToOne(() => GroupEntity, { onDelete: 'CASCADE', nullable: false })
  @JoinColumn({ name: 'group_id', foreignKeyConstraintName: 'fk_group_member_group' })
  group?: GroupEntity;

  @ManyToOne(() => UserEntity, { onDelete: 'CASCADE', nullable: false })
  @JoinColumn({ name: 'user_id', foreignKeyConstraintName: 'fk_group_member_user' })
  user?: UserEntity;
}

@ApiSchema({ name: 'Role' })
@Entity('role')
@Unique('uq_role_name', ['name'])
export class RoleEntity {
  @ApiProperty({ format: 'uuid' })
  @PrimaryColumn('uuid', { primaryKeyConstraintName: 'pk_role' })
  id!: string;

  @ApiProperty({ example: 'VmOperator' })
  @Column({ type: 'varchar', length: 64 })
  name!: string;

  @ApiProperty({ enum: Object.values(Permission), isArray: true })
  @Column({ type: 'text', array: true })
  permissions!: Permission[];

  @ApiProperty({ description: 'Built-in roles cannot be edited or deleted.' })
  @Column({ type: 'boolean', default: false })
  builtin!: boolean;
}

/** A role given to a user or a group on one object of the tree (objectId null = the system). */
@ApiSchema({ name: 'Grant' })
@Entity('role_grant')
@Index('ix_role_grant_principal', ['principalType', 'principalId'])
@Index('ix_role_grant_object', ['objectType', 'objectId'])
@Check('ck_role_grant_principal_type', inList('principal_type', ['user', 'group']))
@Check('ck_role_grant_object_type', inList('object_type', values(GrantObjectType)))
export class GrantEntity {
  @ApiProperty({ format: 'uuid' })
  @PrimaryColumn('uuid', { primaryKeyConstraintName: 'pk_role_grant' })
  id!: string;

  @ApiProperty({ enum: ['user', 'group'] })
  @Column({ type: 'varchar', length: 8 })
  principalType!: 'user' | 'group';

  @ApiProperty({ format: 'uuid' })
  @Column('uuid')
  principalId!: string;

  @ApiProperty({ format: 'uuid' })
  @Column('uuid')
  roleId!: string;

  @ApiHideProperty()
  @ManyToOne(() => RoleEntity, { onDelete: 'RESTRICT', nullable: false })
  @JoinColumn({ name: 'role_id', foreignKeyConstraintName: 'fk_role_grant_role' })
  role?: RoleEntity;

  @ApiProperty({ enum: values(GrantObjectType) })
  @Column({ type: 'varchar', length: 32 })
  objectType!: GrantObjectType;

  @ApiProperty({ type: String, format: 'uuid', nullable: true })
  @Column({ type: 'uuid', nullable: true })
  objectId!: string | null;

  @ApiProperty({ type: String, format: 'date-time' })
  @CreateDateColumn({ type: 'timestamptz' })
  createdAt!: Date;
}

/** A browser session; only the SHA-256 of the cookie value is stored. */
@Entity('user_session')
@Index('ix_user_session_user', ['userId'])
export class SessionEntity {
  @PrimaryColumn({ type: 'char', length: 64, primaryKeyConstraintName: 'pk_user_session' })
  tokenHash!: string;

  @Column('uuid')
  userId!: string;

  @ManyToOne(() => UserEntity, { onDelete: 'CASCADE', nullable: false })
  @JoinColumn({ name: 'user_id', foreignKeyConstraintName: 'fk_user_session_user' })
  user?: UserEntity;

  @CreateDateColumn({ type: 'timestamptz' })
  createdAt!: Date;

  @Column({ type: 'timestamptz' })
  lastSeenAt!: Date;

  /** The absolute end, whatever the activity. */
  @Column({ type: 'timestamptz' })
  expiresAt!: Date;

  @Column({ type: 'varchar', length: 64, nullable: true })
  sourceAddress!: string | null;
}

/** An API token; the secret is stored as its SHA-256 (256 random bits: no need for a slow hash). */
@ApiSchema({ name: 'ApiToken' })
@Entity('api_token')
@Index('ix_api_token_user', ['userId'])
@Check('ck_api_token_scope', inList('scope', values(TokenScope)))
export class ApiTokenEntity {
  @ApiProperty({ format: 'uuid' })
  @PrimaryColumn('uuid', { primaryKeyConstraintName: 'pk_api_token' })
  id!: string;

  @ApiHideProperty()
  @Column('uuid')
  userId!: string;

  @ApiHideProperty()
  @ManyToOne(() => UserEntity, { onDelete: 'CASCADE', nullable: false })
  @JoinColumn({ name: 'user_id', foreignKeyConstraintName: 'fk_api_token_user' })
  user?: UserEntity;

  @ApiProperty()
  @Column({ type: 'varchar', length: 128 })
  name!: string;

  @ApiHideProperty()
  @Column({ type: 'char', length: 64, select: false })
  secretHash!: string;

  @ApiProperty({ enum: values(TokenScope) })
  @Column({ type: 'varchar', length: 16 })
  scope!: TokenScope;

  @ApiProperty({ type: String, format: 'date-time' })
  @CreateDateColumn({ type: 'timestamptz' })
  createdAt!: Date;

  @ApiProperty({ type: String, format: 'date-time' })
  @Column({ type: 'timestamptz' })
  expiresAt!: Date;

  @ApiProperty({ type: String, format: 'date-time', nullable: true })
  @Column({ type: 'timestamptz', nullable: true })
  lastUsedAt!: Date | null;

  @ApiProperty({ type: String, format: 'date-time', nullable: true })
  @Column({ type: 'timestamptz', nullable: true })
  revokedAt!: Date | null;
}

export const AUTH_ENTITIES = [
  UserEntity,
  GroupEntity,
  GroupMemberEntity,
  RoleEntity,
  GrantEntity,
  SessionEntity,
  ApiTokenEntity,
];
