import { expect, it } from 'vitest';
import { ApiError } from '../api/client';
import { formErrors } from '../forms/fieldErrors';
import { CLOUD_INIT_API_FIELD, CLOUD_INIT_FIELDS, cloudInitBody, EMPTY_CLOUD_INIT } from './cloudInitForm';

const KEY = 'ssh-ed25519 AAAAC3NzaC1lZDI1NTE5AAAAIKelpie ops@kelpie';
const KEY2 = 'ssh-rsa AAAAB3NzaC1yc2EAAAADAQABAAABAQ root@x';

it('sends nothing when the section is off, whatever its fields hold', () => {
  expect(cloudInitBody({ ...EMPTY_CLOUD_INIT, hostname: 'web-1' })).toBeNull();
});

it('leaves empty fields out so the API defaults apply', () => {
  expect(cloudInitBody({ ...EMPTY_CLOUD_INIT, enabled: true })).toEqual({});
});

it('maps the typed fields: keys one per line, packages by spaces or commas, commands per line', () => {
  const body = cloudInitBody({
    ...EMPTY_CLOUD_INIT,
    enabled: true,
    hostname: ' web-1 ',
    sshKeys: `${KEY}\r\n\n  ${KEY2}  \n`,
    userName: 'ops',
    userKeys: KEY2,
    userSudo: true,
    packages: 'nginx, qemu-guest-agent\ncurl',
    runcmd: 'echo "a: b" > /etc/motd\n\nsystemctl enable nginx',
    userData: 'ignored in fields mode',
    storageDomainId: 'sd-1',
  });
  expect(body).toEqual({
    hostname: 'web-1',
    storageDomainId: 'sd-1',
    sshAuthorizedKeys: [KEY, KEY2],
    users: [{ name: 'ops', sshAuthorizedKeys: [KEY2], sudo: true }],
    packages: ['nginx', 'qemu-guest-agent', 'curl'],
    runcmd: ['echo "a: b" > /etc/motd', 'systemctl enable nginx'],
  });
});

it('sends a user only when one of its fields is filled, without the empty ones', () => {
  expect(cloudInitBody({ ...EMPTY_CLOUD_INIT, enabled: true, userName: 'ops' })).toEqual({
    users: [{ name: 'ops' }],
  });
  // Keys without a name still go: the API names the missing name next to its field.
  expect(cloudInitBody({ ...EMPTY_CLOUD_INIT, enabled: true, userKeys: KEY })).toEqual({
    users: [{ name: '', sshAuthorizedKeys: [KEY] }],
  });
});

it('raw mode sends the document (newline-terminated) and the hostname, never the typed fields', () => {
  expect(
    cloudInitBody({
      ...EMPTY_CLOUD_INIT,
      enabled: true,
      mode: 'raw',
      hostname: 'raw-1',
      sshKeys: KEY,
      packages: 'vim',
      userData: '#cloud-config\npackages: [vim]',
    }),
  ).toEqual({ hostname: 'raw-1', userData: '#cloud-config\npackages: [vim]\n' });
});

it('puts the API reasons of cloud-init fields next to the right inputs', () => {
  const err = new ApiError(400, {
    code: 'validation_failed',
    message: 'invalid input: sshAuthorizedKeys, users.0.sshAuthorizedKeys, users.0.name, hostname',
    details: [
      { field: 'sshAuthorizedKeys', reason: 'sshAuthorizedKeys must be OpenSSH public keys, one per entry' },
      {
        field: 'users.0.sshAuthorizedKeys',
        reason: 'sshAuthorizedKeys must be OpenSSH public keys, one per entry',
      },
      { field: 'users.0.name', reason: 'name must be a Linux user name ([a-z_][a-z0-9_-]{0,31})' },
      { field: 'hostname', reason: 'hostname must be a valid host name' },
      { field: 'packages', reason: 'packages must be package names' },
      { field: 'runcmd', reason: 'not allowed together with userData' },
      { field: 'userData', reason: 'must start with a "#cloud-config" line' },
      { field: 'storageDomainId', reason: 'not in the VM datacenter' },
    ],
  });
  expect(formErrors(err, CLOUD_INIT_FIELDS, CLOUD_INIT_API_FIELD)).toEqual({
    fields: {
      ciSshKeys: 'SSH authorized keys must be OpenSSH public keys, one per entry',
      ciUserKeys: 'SSH authorized keys must be OpenSSH public keys, one per entry',
      ciUserName: 'name must be a Linux user name ([a-z_][a-z0-9_-]{0,31})',
      ciHostname: 'hostname must be a valid host name',
      ciPackages: 'packages must be package names',
      ciRuncmd: 'not allowed together with user data',
      ciUserData: 'must start with a "#cloud-config" line',
      ciStorageDomainId: 'not in the VM datacenter',
    },
    form: null,
  });
});
