import { cleanup, fireEvent, render, screen } from '@testing-library/react';
import { useState } from 'react';
import { afterEach, expect, it } from 'vitest';
import { CloudInitSection } from './CloudInitSection';
import { cloudInitBody, EMPTY_CLOUD_INIT, type CloudInitValues } from './cloudInitForm';

afterEach(cleanup);

let last: CloudInitValues = EMPTY_CLOUD_INIT;
function Harness({ errors = {} }: { errors?: Record<string, string> }) {
  const [v, setV] = useState(EMPTY_CLOUD_INIT);
  last = v;
  return (
    <CloudInitSection
      values={v}
      onChange={(p) => setV((x) => ({ ...x, ...p }))}
      errors={errors}
      domains={[]}
    />
  );
}
const type = (label: string, value: string) =>
  fireEvent.change(screen.getByLabelText(label, { exact: true }), { target: { value } });

it('is off until its checkbox is ticked; then every field has a label', () => {
  render(<Harness />);
  expect(screen.queryByLabelText('Hostname')).toBeNull();
  fireEvent.click(screen.getByLabelText(/Configure the guest with cloud-init/));
  for (const label of [
    'Hostname',
    'SSH keys of the default user',
    'Extra user',
    'Passwordless sudo',
    'SSH keys of the extra user',
    'Packages',
    'Commands at first boot',
    'Seed ISO storage domain',
  ])
    expect(screen.getByLabelText(label, { exact: true })).toBeTruthy();
});

it('typed values become the API body; the raw document replaces the fields', () => {
  render(<Harness />);
  fireEvent.click(screen.getByLabelText(/Configure the guest with cloud-init/));
  type('Hostname', 'web-1');
  type('SSH keys of the default user', 'ssh-ed25519 AAAA a@b\nssh-ed25519 BBBB c@d');
  type('Extra user', 'ops');
  fireEvent.click(screen.getByLabelText('Passwordless sudo'));
  type('Commands at first boot', 'touch /x');
  expect(cloudInitBody(last)).toEqual({
    hostname: 'web-1',
    sshAuthorizedKeys: ['ssh-ed25519 AAAA a@b', 'ssh-ed25519 BBBB c@d'],
    users: [{ name: 'ops', sudo: true }],
    runcmd: ['touch /x'],
  });
  fireEvent.click(screen.getByRole('radio', { name: 'A #cloud-config document' }));
  expect(screen.queryByLabelText('Packages')).toBeNull();
  type('Cloud-config document', '#cloud-config\nhostname: x');
  expect(cloudInitBody(last)).toEqual({ hostname: 'web-1', userData: '#cloud-config\nhostname: x\n' });
});

it('shows an API reason under its field, linked for screen readers', () => {
  render(<Harness errors={{ ciUserKeys: 'sshAuthorizedKeys must be OpenSSH public keys, one per entry' }} />);
  fireEvent.click(screen.getByLabelText(/Configure the guest with cloud-init/));
  const keys = screen.getByLabelText('SSH keys of the extra user');
  expect(keys.getAttribute('aria-invalid')).toBe('true');
  const error = document.getElementById(keys.getAttribute('aria-describedby')!);
  expect(error?.textContent).toBe('sshAuthorizedKeys must be OpenSSH public keys, one per entry');
  expect(error?.getAttribute('role')).toBe('alert');
});
