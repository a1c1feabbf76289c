/** Identity and access: permissions, roles granted on objects of the tree, sessions and API tokens. */

/** Named permissions. A role is a set of them; a grant gives a role on one object and everything below it. */
export const Permission = {
  /** See the object (and, through inheritance, what is below it). Every role has it. */
  View: 'view',
  DataCenterManage: 'datacenter.manage',
  ClusterManage: 'cluster.manage',
  HostManage: 'host.manage',
  NetworkManage: 'network.manage',
  StorageManage: 'storage.manage',
  VmCreate: 'vm.create',
  VmEdit: 'vm.edit',
  VmDelete: 'vm.delete',
  VmPower: 'vm.power',
  VmMigrate: 'vm.migrate',
  VmConsole: 'vm.console',
  VmSnapshot: 'vm.snapshot',
  TemplateManage: 'template.manage',
  /** Users, groups, roles and grants. */
  UserManage: 'user.manage',
  /** Engine-wide operations (garbage collector, cancelling any task). */
  SystemManage: 'system.manage',
  /** Scrape the Prometheus endpoint (fleet-wide figures: host and VM names, load, queues). */
  MetricsRead: 'metrics.read',
} as const;
export type Permission = (typeof Permission)[keyof typeof Permission];
export const ALL_PERMISSIONS: readonly Permission[] = Object.values(Permission);

/** Kinds of objects a role can be granted on, top of the tree first. */
export const GrantObjectType = {
  System: 'system',
  DataCenter: 'datacenter',
  Cluster: 'cluster',
  Host: 'host',
  StorageDomain: 'storage_domain',
  Network: 'network',
  Vm: 'vm',
} as const;
export type GrantObjectType = (typeof GrantObjectType)[keyof typeof GrantObjectType];

const P = Permission;
const VM_OPERATOR: Permission[] = [P.View, P.VmPower, P.VmMigrate, P.VmConsole, P.VmSnapshot];
const VM_ADMIN: Permission[] = [...VM_OPERATOR, P.VmCreate, P.VmEdit, P.VmDelete, P.TemplateManage];
const CLUSTER_ADMIN: Permission[] = [...VM_ADMIN, P.ClusterManage, P.HostManage, P.NetworkManage];

/** The built-in roles (not editable); custom roles pick from ALL_PERMISSIONS. */
export const BUILTIN_ROLES: Readonly<Record<string, readonly Permission[]>> = {
  SuperUser: ALL_PERMISSIONS,
  DataCenterAdmin: [...CLUSTER_ADMIN, P.DataCenterManage, P.StorageManage],
  ClusterAdmin: CLUSTER_ADMIN,
  HostAdmin: [P.View, P.HostManage],
  NetworkAdmin: [P.View, P.NetworkManage],
  StorageAdmin: [P.View, P.StorageManage],
  VmOperator: VM_OPERATOR,
  VmUser: [P.View, P.VmConsole],
  ReadOnly: [P.View],
  /** For the account a Prometheus server scrapes with (or use KELPIE_METRICS_TOKEN). */
  Monitoring: [P.View, P.MetricsRead],
};

/** What a token may do: everything its user may (`roles`), or only `view`. */
export const TokenScope = { ReadOnly: 'read-only', Roles: 'roles' } as const;
export type TokenScope = (typeof TokenScope)[keyof typeof TokenScope];

/** The caller, as `GET /auth/me` answers it. `permissions` are those held on the system object
 * (what the portal may show globally); per-object checks are the engine's. */
export interface CurrentUser {
  id: string;
  username: string;
  displayName: string | null;
  /** How this request was authenticated. */
  via: 'session' | 'token';
  tokenId: string | null;
  systemPermissions: Permission[];
}

export interface PermissionsOn {
  objectType: GrantObjectType;
  objectId: string | null;
  permissions: Permission[];
}

export interface LoginRequest {
  username: string;
  password: string;
}

export interface ApiTokenInfo {
  id: string;
  name: string;
  scope: TokenScope;
  createdAt: string;
  expiresAt: string;
  lastUsedAt: string | null;
  revokedAt: string | null;
}

/** Answer of token creation: `token` is shown this once and never stored in clear. */
export interface CreatedApiToken extends ApiTokenInfo {
  token: string;
}

/** API tokens look like `kelpie_<id without dashes>_<secret>`: the id finds the row, the secret is hashed. */
export const API_TOKEN_PATTERN = /^kelpie_([0-9a-f]{32})_([A-Za-z0-9_-]{43})$/;

export const SESSION_COOKIE = 'kelpie_session';

/** Binds an OpenID Connect login under way to the browser that started it (its `state`). */
export const OIDC_STATE_COOKIE = 'kelpie_oidc_state';

/** Why an OpenID Connect login failed, as the callback tells the portal: it sends the browser to
 * `LOGIN_PATH?LOGIN_ERROR_PARAM=<code>` (a code, never the provider's own words or a secret). */
export const OIDC_LOGIN_ERRORS = [
  /** The state is not the one this browser left with (a login started elsewhere, or no cookie). */
  'state_mismatch',
  /** The state is unknown, already used, or older than 10 minutes. */
  'state_expired',
  /** The user (or the provider) declined: the provider answered `access_denied`. */
  'access_denied',
  /** The provider refused the login or the code exchange for another reason. */
  'provider_refused',
  /** The provider's answer failed a check (signature, nonce, issuer, audience, expiry). */
  'invalid_answer',
  /** The provider's username belongs to another Kelpie user. */
  'username_taken',
  /** The Kelpie user is disabled. */
  'user_disabled',
  /** The provider could not be reached. */
  'provider_unavailable',
  /** OpenID Connect login is not configured on this engine. */
  'not_configured',
  /** Anything else (the engine logged it). */
  'failed',
] as const;
export type OidcLoginError = (typeof OIDC_LOGIN_ERRORS)[number];

/** The portal's login page (any portal path shows it when nobody is logged in; this one says so). */
export const LOGIN_PATH = '/login';
export const LOGIN_ERROR_PARAM = 'login_error';

/** `GET /auth/providers` (no authentication): how the login page may offer to log in. */
export interface LoginProviders {
  /** Username and password (always offered). */
  local: true;
  /** OpenID Connect, when configured: the button's label and where it sends the browser. */
  oidc: { name: string; loginUrl: string } | null;
}

/** A local user as the directory lists it (never the password hash). */
export interface UserInfo {
  id: string;
  username: string;
  displayName: string | null;
  disabled: boolean;
  createdAt: string;
  passwordChangedAt: string | null;
  /** Set for a user of an OpenID Connect provider (the issuer): no password login, groups synced
   * at each login. */
  externalIssuer: string | null;
}

/** A group with its members; grants to a group apply to each member. */
export interface GroupInfo {
  id: string;
  name: string;
  memberIds: string[];
}

export interface RoleInfo {
  id: string;
  name: string;
  permissions: Permission[];
  builtin: boolean;
}

/** A role given to a user or a group on one object (`objectId` null: the system). */
export interface GrantInfo {
  id: string;
  principalType: 'user' | 'group';
  principalId: string;
  roleId: string;
  objectType: GrantObjectType;
  objectId: string | null;
  createdAt: string;
}
