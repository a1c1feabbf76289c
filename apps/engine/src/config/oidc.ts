import { statSync } from 'node:fs';

/** One role given to the members of an identity-provider group, on the system or one object. */
export interface GroupRoleMapping {
  group: string;
  role: string;
  objectType: string;
  objectId: string | null;
}

export interface OidcConfig {
  issuer: string;
  clientId: string;
  clientSecret: Secret;
  redirectUri: string;
  scopes: string;
  groupsClaim: string;
  usernameClaim: string;
  /** Shown on the portal's button: "Log in with <providerName>". */
  providerName: string;
  groupRoles: GroupRoleMapping[];
}

/** A value that must never reach a log line or a JSON dump of the configuration: printing it (by
 * String(), JSON or util.inspect) shows a placeholder; only `reveal()` gives it. */
export class Secret {
  readonly #value: string;
  constructor(value: string) {
    this.#value = value;
  }
  reveal(): string {
    return this.#value;
  }
  toString(): string {
    return '[secret]';
  }
  toJSON(): string {
    return '[secret]';
  }
  [Symbol.for('nodejs.util.inspect.custom')](): string {
    return '[secret]';
  }
}

const OBJECT_TYPES = ['system', 'datacenter', 'cluster', 'host', 'storage_domain', 'network', 'vm'];
const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;
const GROUP = /^[^\s=;@]{1,128}$/;
const ROLE = /^[A-Za-z0-9_.-]{1,64}$/;

/**
 * `ops=VmOperator; dc1-admins=DataCenterAdmin@datacenter:<uuid>`: `;`-separated `group=Role` entries,
 * the role on the system unless `@type:id` names an object. Answers the mappings, or the first
 * entry's problem as a sentence (a configuration error at boot).
 */
export function parseGroupRoles(text: string): GroupRoleMapping[] | string {
  const out: GroupRoleMapping[] = [];
  for (const raw of text.split(';')) {
    const entry = raw.trim();
    if (!entry) continue;
    const m = /^([^=]+)=([^@]+)(?:@(.+))?$/.exec(entry);
    if (!m) return `"${entry}": expected group=Role or group=Role@type:id`;
    const [group, role, object] = [m[1]!.trim(), m[2]!.trim(), m[3]?.trim()];
    if (!GROUP.test(group))
      return `"${entry}": the group name must be 1-128 characters without = ; @ or spaces`;
    if (!ROLE.test(role)) return `"${entry}": "${role}" is not a role name`;
    let objectType = 'system';
    let objectId: string | null = null;
    if (object && object !== 'system') {
      const [type, id] = object.split(':');
      if (!type || !OBJECT_TYPES.includes(type) || type === 'system' || !id || !UUID.test(id))
        return `"${entry}": the object must be "system" or type:uuid with type one of ${OBJECT_TYPES.slice(1).join(', ')}`;
      objectType = type;
      objectId = id.toLowerCase();
    }
    out.push({ group, role, objectType, objectId });
  }
  return out;
}

/** A secret file must be readable by its owner only: anything else means others may have read it. */
export function secretFileProblem(file: string): string | null {
  try {
    const mode = statSync(file).mode & 0o777;
    return mode & 0o077
      ? `mode ${mode.toString(8)}: must not be readable by group or others (chmod 600)`
      : null;
  } catch (err) {
    return (err as Error).message;
  }
}

/** Plain http is accepted for a provider on this machine only (development, tests). */
export function isLoopbackUrl(url: URL): boolean {
  return ['localhost', '127.0.0.1', '[::1]'].includes(url.hostname);
}
