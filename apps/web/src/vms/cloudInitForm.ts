import type { ApiComponents } from '@kelpie/shared-types';
/** The wizard's cloud-init section: its values, the API body they make and where API errors show. */

export interface CloudInitValues {
  enabled: boolean;
  /** `fields`: the typed fields below; `raw`: a complete #cloud-config document. */
  mode: 'fields' | 'raw';
  hostname: string;
  /** Keys of the image's default user, one per line. */
  sshKeys: string;
  userName: string;
  userKeys: string;
  userSudo: boolean;
  /** Package names separated by spaces, commas or new lines. */
  packages: string;
  /** One command per line. */
  runcmd: string;
  userData: string;
  /** Where the seed ISO goes; empty: beside the VM's first disk. */
  storageDomainId: string;
}

export const EMPTY_CLOUD_INIT: CloudInitValues = {
  enabled: false,
  mode: 'fields',
  hostname: '',
  sshKeys: '',
  userName: '',
  userKeys: '',
  userSudo: false,
  packages: '',
  runcmd: '',
  userData: '',
  storageDomainId: '',
};

/** Form fields of the section (keys of the wizard's error map). */
export const CLOUD_INIT_FIELDS = [
  'ciHostname',
  'ciSshKeys',
  'ciUserName',
  'ciUserKeys',
  'ciUserSudo',
  'ciPackages',
  'ciRuncmd',
  'ciUserData',
  'ciStorageDomainId',
] as const;
export type CloudInitField = (typeof CLOUD_INIT_FIELDS)[number];

/** API field of the cloud-init body → the form field that shows its errors. */
export const CLOUD_INIT_API_FIELD: Record<string, CloudInitField> = {
  hostname: 'ciHostname',
  sshAuthorizedKeys: 'ciSshKeys',
  users: 'ciUserName',
  'users.0.name': 'ciUserName',
  'users.0.sshAuthorizedKeys': 'ciUserKeys',
  'users.0.sudo': 'ciUserSudo',
  packages: 'ciPackages',
  runcmd: 'ciRuncmd',
  userData: 'ciUserData',
  storageDomainId: 'ciStorageDomainId',
};

const lines = (s: string) =>
  s
    .split(/\r?\n/)
    .map((l) => l.trim())
    .filter(Boolean);
const words = (s: string) => s.split(/[\s,]+/).filter(Boolean);

/** The body of `POST /vms/{id}/cloud-init` (and of the preview), or null when the section is off.
 * Empty fields are left out, so the API's defaults apply (hostname: the VM name). */
export type CloudInitBody = ApiComponents['schemas']['CloudInitDto'];

export function cloudInitBody(v: CloudInitValues): CloudInitBody | null {
  if (!v.enabled) return null;
  const body: CloudInitBody = {};
  if (v.hostname.trim()) body.hostname = v.hostname.trim();
  if (v.storageDomainId) body.storageDomainId = v.storageDomainId;
  if (v.mode === 'raw') {
    body.userData = v.userData.endsWith('\n') ? v.userData : `${v.userData}\n`;
    return body;
  }
  const keys = lines(v.sshKeys);
  if (keys.length) body.sshAuthorizedKeys = keys;
  const userKeys = lines(v.userKeys);
  if (v.userName.trim() || userKeys.length || v.userSudo)
    body.users = [
      {
        name: v.userName.trim(),
        ...(userKeys.length ? { sshAuthorizedKeys: userKeys } : {}),
        ...(v.userSudo ? { sudo: true } : {}),
      },
    ];
  const packages = words(v.packages);
  if (packages.length) body.packages = packages;
  const runcmd = lines(v.runcmd);
  if (runcmd.length) body.runcmd = runcmd;
  return body;
}
