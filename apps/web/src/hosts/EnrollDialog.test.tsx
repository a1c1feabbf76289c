import { QueryClient, QueryClientProvider } from '@tanstack/react-query';
import { cleanup, fireEvent, render, screen, waitFor } from '@testing-library/react';
import { afterEach, expect, it, vi } from 'vitest';
import { EnrollDialog } from './EnrollDialog';

afterEach(() => {
  cleanup();
  vi.unstubAllGlobals();
});

const FP = 'SHA256:uNiVztksCsDhcc0u9e8BujQXVUpKZIDTMczCvj3tD2s';
const json = (body: unknown, status = 200) => new Response(JSON.stringify(body), { status });
const steps = [
  { name: 'ssh', status: 'done', message: `logged in as root@10.0.0.5:22, host key ssh-ed25519 ${FP}` },
  { name: 'system', status: 'done', message: 'Debian GNU/Linux 12 (bookworm), Linux 6.1 x86_64' },
  { name: 'libvirt', status: 'failed', message: 'libvirtd does not answer on qemu:///system: start it' },
  { name: 'install', status: 'skipped' },
];

function mount(ui: React.ReactElement, fetchImpl: (url: string, init?: RequestInit) => Response) {
  const fetchMock = vi.fn(async (url: string, init?: RequestInit) => fetchImpl(url, init));
  vi.stubGlobal('fetch', fetchMock);
  render(<QueryClientProvider client={new QueryClient()}>{ui}</QueryClientProvider>);
  return fetchMock;
}

const posts = (m: ReturnType<typeof vi.fn>) =>
  m.mock.calls
    .filter(([, init]) => (init as RequestInit | undefined)?.method === 'POST')
    .map(([url, init]) => ({ url: url as string, body: JSON.parse((init as RequestInit).body as string) }));

it('asks to confirm the host key, sends it back, then shows the steps and the failure reason', async () => {
  let attempt = 0;
  const fetchMock = mount(<EnrollDialog mode="add" onClose={vi.fn()} />, (url, init) => {
    if (url.includes('/clusters')) return json({ items: [{ id: 'c1', name: 'main' }], total: 1 });
    if (init?.method === 'POST') {
      attempt++;
      if (attempt === 1)
        return json(
          {
            code: 'host_key_unconfirmed',
            message: 'confirm the SSH host key',
            details: [{ field: 'expectedHostKeyFingerprint', reason: FP }],
          },
          409,
        );
      return json({ id: 't1', type: 'host.enroll', status: 'queued', steps: [] }, 202);
    }
    if (url.includes('/tasks/t1'))
      return json({ id: 't1', type: 'host.enroll', status: 'failed', steps, errorMessage: 'libvirt: …' });
    return json({ items: [], total: 0 });
  });
  fireEvent.change(screen.getByLabelText('Name'), { target: { value: 'kvm-7' } });
  await screen.findByRole('option', { name: 'main' });
  fireEvent.change(screen.getByLabelText('Cluster'), { target: { value: 'c1' } });
  fireEvent.change(screen.getByLabelText('Address'), { target: { value: '10.0.0.5' } });
  fireEvent.change(screen.getByLabelText('Password'), { target: { value: 's3cret' } });
  fireEvent.click(screen.getByRole('button', { name: 'Connect' }));

  expect((await screen.findByLabelText('Host key fingerprint')).textContent).toBe(FP);
  fireEvent.click(screen.getByRole('button', { name: 'Confirm and enroll' }));

  const list = await screen.findByRole('list', { name: 'Enrollment steps' });
  await waitFor(() => expect(list.querySelectorAll('li')).toHaveLength(4));
  expect((await screen.findByRole('alert')).textContent).toBe(
    'Enrollment failed at libvirt and QEMU: libvirtd does not answer on qemu:///system: start it',
  );
  const sent = posts(fetchMock);
  expect(sent.map((p) => p.url)).toEqual(['/api/v1/hosts', '/api/v1/hosts']);
  expect(sent[0]!.body).toEqual({
    name: 'kvm-7',
    clusterId: 'c1',
    address: '10.0.0.5',
    sshPort: 22,
    sshUser: 'root',
    password: 's3cret',
  });
  expect(sent[1]!.body).toEqual({ ...sent[0]!.body, expectedHostKeyFingerprint: FP });
});

it('says which fields are missing and sends nothing', async () => {
  const fetchMock = mount(<EnrollDialog mode="add" onClose={vi.fn()} />, () => json({ items: [], total: 0 }));
  fireEvent.click(screen.getByRole('button', { name: 'Connect' }));
  expect(await screen.findByText('Give the password of the SSH user')).toBeTruthy();
  expect(screen.getByText('Choose a cluster')).toBeTruthy();
  expect(posts(fetchMock)).toEqual([]);
});

it('reinstalls a host with a private key against its pinned key', async () => {
  const fetchMock = mount(
    <EnrollDialog mode="reinstall" host={{ id: 'h1', name: 'kvm-1' }} onClose={vi.fn()} />,
    (url, init) => {
      if (init?.method === 'POST')
        return json({ id: 't2', type: 'host.enroll', status: 'queued', steps: [] }, 202);
      if (url.includes('/tasks/t2'))
        return json({
          id: 't2',
          type: 'host.enroll',
          status: 'succeeded',
          steps: [{ name: 'heartbeat', status: 'done' }],
        });
      return json({ items: [], total: 0 });
    },
  );
  expect(screen.queryByLabelText('Address')).toBeNull();
  fireEvent.change(screen.getByLabelText('Authentication'), { target: { value: 'key' } });
  fireEvent.change(screen.getByLabelText('Private key'), {
    target: { value: '-----BEGIN OPENSSH PRIVATE KEY-----' },
  });
  fireEvent.click(screen.getByRole('button', { name: 'Reinstall' }));
  expect(await screen.findByText('The host is enrolled and its agent reported in.')).toBeTruthy();
  expect(posts(fetchMock)).toEqual([
    {
      url: '/api/v1/hosts/h1/enroll',
      body: { sshPort: 22, sshUser: 'root', privateKey: '-----BEGIN OPENSSH PRIVATE KEY-----' },
    },
  ]);
});
