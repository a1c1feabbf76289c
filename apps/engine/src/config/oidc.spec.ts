import { chmodSync, mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { inspect } from 'node:util';
import { loadConfig } from './config.schema';
import { parseGroupRoles, Secret } from './oidc';

const DC = '0b7c3f5e-3c1a-4d7e-9a51-3f0a3b1c2d4e';

describe('OpenID Connect configuration', () => {
  it('parses group=Role entries, on the system unless an object is named', () => {
    expect(parseGroupRoles(`ops=VmOperator; dc-admins = DataCenterAdmin@datacenter:${DC};`)).toEqual([
      { group: 'ops', role: 'VmOperator', objectType: 'system', objectId: null },
      { group: 'dc-admins', role: 'DataCenterAdmin', objectType: 'datacenter', objectId: DC },
    ]);
    expect(parseGroupRoles('')).toEqual([]);
  });

  it('says which entry is wrong and why', () => {
    expect(parseGroupRoles('ops')).toMatch(/"ops": expected group=Role/);
    expect(parseGroupRoles('ops=VmOperator@vm:nope')).toMatch(/type:uuid/);
    expect(parseGroupRoles('ops=Vm Operator')).toMatch(/not a role name/);
  });

  it('never prints the client secret', () => {
    const s = new Secret('hunter2-hunter2');
    expect(`${s} ${JSON.stringify({ s })} ${inspect({ s })}`).not.toContain('hunter2');
    expect(s.reveal()).toBe('hunter2-hunter2');
  });

  describe('at boot', () => {
    const dir = mkdtempSync(join(tmpdir(), 'kelpie-oidc-'));
    const secretFile = join(dir, 'secret');
    const env = {
      KELPIE_OIDC_ISSUER: 'https://idp.example.com/realms/x',
      KELPIE_OIDC_CLIENT_ID: 'kelpie',
      KELPIE_OIDC_CLIENT_SECRET_FILE: secretFile,
      KELPIE_OIDC_REDIRECT_URI: 'https://kelpie.example.com/api/v1/auth/oidc/callback',
      KELPIE_OIDC_GROUP_ROLES: 'ops=VmOperator',
    };

    it('reads the secret from a 0600 file and keeps it out of the printed configuration', () => {
      writeFileSync(secretFile, 's3cret-value\n');
      chmodSync(secretFile, 0o600);
      const c = loadConfig(env);
      expect(c.oidc!.clientSecret.reveal()).toBe('s3cret-value');
      expect(c.oidc!.providerName).toBe('idp.example.com');
      expect(JSON.stringify(c)).not.toContain('s3cret-value');
    });

    it('refuses a secret file others may read, a missing setting, http to a remote provider, a bad mapping', () => {
      chmodSync(secretFile, 0o644);
      expect(() => loadConfig(env)).toThrow(/KELPIE_OIDC_CLIENT_SECRET_FILE: mode 644/);
      expect(() => loadConfig({ ...env, KELPIE_OIDC_CLIENT_ID: '' })).toThrow(
        /KELPIE_OIDC_CLIENT_ID: required/,
      );
      expect(() => loadConfig({ ...env, KELPIE_OIDC_ISSUER: 'http://idp.example.com' })).toThrow(
        /KELPIE_OIDC_ISSUER: https/,
      );
      expect(() => loadConfig({ ...env, KELPIE_OIDC_GROUP_ROLES: 'ops=' })).toThrow(
        /KELPIE_OIDC_GROUP_ROLES/,
      );
    });

    it('is off without an issuer', () => {
      expect(loadConfig({}).oidc).toBeUndefined();
    });
  });
});
