import { GrantObjectType, Permission, TokenScope, values } from '@kelpie/shared-types';
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
@Entity('app_user')
@Unique('uq_app_user_username', ['username'])
@Unique('uq_app_user_external', ['externalIssuer', 'externalSubject'])
export class UserEntity {
  @PrimaryColumn('uuid', { primaryKeyConstraintName: 'pk_app_user' })
  id!: string;

  @Column({ type: 'varchar', length: 64 })
  username!: string;

  @Column({ type: 'varchar', length: 128, nullable: true })
  displayName!: string | null;

  @Column({ type: 'text', nullable: true, select: false })
  passwordHash!: string | null;

  @Column({ type: 'boolean', default: false })
  disabled!: boolean;

  @CreateDateColumn({ type: 'timestamptz' })
  createdAt!: Date;

  @Column({ type: 'timestamptz', nullable: true })
  passwordChangedAt!: Date | null;

  @Column({ type: 'varchar', length: 512, nullable: true })
  externalIssuer!: string | null;

  /** The provider's `sub`: with the issuer, what finds the user again (usernames may change there). */
  @Column({ type: 'varchar', length: 255, nullable: true })
  externalSubject!: string | null;
}

@Entity('user_group')
@Unique('uq_user_group_name', ['name'])
export class GroupEntity {
  @PrimaryColumn('uuid', { primaryKeyConstraintName: 'pk_user_group' })
  id!: string;

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

@Entity('role')
@Unique('uq_role_name', ['name'])
export class RoleEntity {
  @PrimaryColumn('uuid', { primaryKeyConstraintName: 'pk_role' })
  id!: string;

  @Column({ type: 'varchar', length: 64 })
  name!: string;

  @Column({ type: 'text', array: true })
  permissions!: Permission[];

  @Column({ type: 'boolean', default: false })
  builtin!: boolean;
}

/** A role given to a user or a group on one object of the tree (objectId null = the system). */
@Entity('role_grant')
@Index('ix_role_grant_principal', ['principalType', 'principalId'])
@Index('ix_role_grant_object', ['objectType', 'objectId'])
@Check('ck_role_grant_principal_type', inList('principal_type', ['user', 'group']))
@Check('ck_role_grant_object_type', inList('object_type', values(GrantObjectType)))
export class GrantEntity {
  @PrimaryColumn('uuid', { primaryKeyConstraintName: 'pk_role_grant' })
  id!: string;

  @Column({ type: 'varchar', length: 8 })
  principalType!: 'user' | 'group';

  @Column('uuid')
  principalId!: string;

  @Column('uuid')
  roleId!: string;

  @ManyToOne(() => RoleEntity, { onDelete: 'RESTRICT', nullable: false })
  @JoinColumn({ name: 'role_id', foreignKeyConstraintName: 'fk_role_grant_role' })
  role?: RoleEntity;

  @Column({ type: 'varchar', length: 32 })
  objectType!: GrantObjectType;

  @Column({ type: 'uuid', nullable: true })
  objectId!: string | null;

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
@Entity('api_token')
@Index('ix_api_token_user', ['userId'])
@Check('ck_api_token_scope', inList('scope', values(TokenScope)))
export class ApiTokenEntity {
  @PrimaryColumn('uuid', { primaryKeyConstraintName: 'pk_api_token' })
  id!: string;

  @Column('uuid')
  userId!: string;

  @ManyToOne(() => UserEntity, { onDelete: 'CASCADE', nullable: false })
  @JoinColumn({ name: 'user_id', foreignKeyConstraintName: 'fk_api_token_user' })
  user?: UserEntity;

  @Column({ type: 'varchar', length: 128 })
  name!: string;

  @Column({ type: 'char', length: 64, select: false })
  secretHash!: string;

  @Column({ type: 'varchar', length: 16 })
  scope!: TokenScope;

  @CreateDateColumn({ type: 'timestamptz' })
  createdAt!: Date;

  @Column({ type: 'timestamptz' })
  expiresAt!: Date;

  @Column({ type: 'timestamptz', nullable: true })
  lastUsedAt!: Date | null;

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
