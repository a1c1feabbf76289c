import { fireEvent, screen, waitFor } from '@testing-library/react';
import { expect, it, vi } from 'vitest';
import { jsonResponse, renderWithQueries, resetAfterEach } from '../api/fetch-stub';
import { CdromDialog } from './CdromDialog';
import { createRequest, EMPTY_VM } from './vmRequest';

resetAfterEach();

const domains = [
  { id: 'sd-1', name: 'isos', type: 'dir', status: 'active', datacenterId: 'dc-1' },
  { id: 'sd-2', name: 'off', type: 'dir', status: 'maintenance', datacenterId: 'dc-1' },
  { id: 'sd-3', name: 'ceph', type: 'rbd', status: 'active', datacenterId: 'dc-1' },
];
const images: Record<string, unknown[]> = {
  'sd-1': [
    { id: 'i-1', name: 'debian.iso', kind: 'iso', status: 'ready' },
    { id: 'i-2', name: 'half.iso', kind: 'iso', status: 'uploading' },
    { id: 'i-3', name: 'disk.qcow2', kind: 'disk', status: 'ready' },
  ],
};

function stub() {
  const sent: unknown[] = [];
  const fetchMock = vi.fn(async (url: string, init?: RequestInit) => {
    if (init?.method === 'POST') {
      sent.push(JSON.parse(String(init.body)));
      return jsonResponse(202, { id: 't-1', type: 'vm.change-cdrom', status: 'succeeded', progress: 100 });
    }
    if (url.startsWith('/api/v1/tasks/t-1'))
      return jsonResponse(200, { id: 't-1', type: 'vm.change-cdrom', status: 'succeeded', progress: 100 });
    const m = /storage-domains\/([^/]+)\/images/.exec(url);
    if (m) return jsonResponse(200, images[m[1]!] ?? []);
    return jsonResponse(200, { items: domains, total: domains.length });
  });
  vi.stubGlobal('fetch', fetchMock);
  return { sent, fetchMock };
}

const vm = { id: 'vm-1', name: 'web1', cdromIsoPath: null };

it('offers only the ready ISOs of the serving domains, and inserts one by id', async () => {
  const { sent, fetchMock } = stub();
  const onClose = vi.fn();
  renderWithQueries(<CdromDialog vm={vm} datacenterId="dc-1" onClose={onClose} />);
  await screen.findByRole('option', { name: 'debian.iso (isos)' });
  const options = screen.getAllByRole('option').map((o) => o.textContent);
  expect(options).toEqual(['Empty (eject)', 'debian.iso (isos)']);
  // The inactive and block domains' libraries are not even read.
  expect(fetchMock.mock.calls.map(([u]) => u).filter((u) => String(u).includes('/images'))).toEqual([
    '/api/v1/storage-domains/sd-1/images',
  ]);
  fireEvent.change(screen.getByLabelText('ISO image'), { target: { value: 'i-1' } });
  fireEvent.click(screen.getByRole('button', { name: 'Insert' }));
  await waitFor(() => expect(onClose).toHaveBeenCalled());
  expect(sent).toEqual([{ isoId: 'i-1' }]);
});

it('the empty choice ejects', async () => {
  const { sent } = stub();
  const onClose = vi.fn();
  renderWithQueries(
    <CdromDialog vm={{ ...vm, cdromIsoPath: '/x/debian.iso' }} datacenterId="dc-1" onClose={onClose} />,
  );
  expect(screen.getByText('Now: debian.iso')).toBeTruthy();
  fireEvent.click(screen.getByRole('button', { name: 'Eject' }));
  await waitFor(() => expect(onClose).toHaveBeenCalled());
  expect(sent).toEqual([{ isoPath: null }]);
});

it('the wizard boots from an ISO by id, never a path', () => {
  const req = createRequest({ ...EMPTY_VM, name: 'a', bootKind: 'cdrom', isoId: 'i-1' }, 'c-1');
  expect(req.templateId === undefined && req.body.boot).toEqual({
    kind: 'cdrom',
    isoId: 'i-1',
  });
});
