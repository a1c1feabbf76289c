import type { StorageDomain } from '@kelpie/shared-types';
import { fireEvent, screen, waitFor } from '@testing-library/react';
import { describe, expect, it, vi } from 'vitest';
import { jsonResponse, renderWithQueries, resetAfterEach } from '../api/fetch-stub';
import { invalidOf, typeInto } from '../forms/fields.test-support';
import { StorageDomainDialog } from './StorageDomainDialog';
import { storageBody, storageValues, validateStorage } from './storageForm';

resetAfterEach();

/** Answers the datacenter names and `answer` for the change; returns the mock to read what was sent. */
function stub(answer: () => Response) {
  const fetchMock = vi.fn(async (_url: string, init?: RequestInit) =>
    init?.method ? answer() : jsonResponse(200, { items: [{ id: 'dc-1', name: 'dc1' }], total: 1 }),
  );
  vi.stubGlobal('fetch', fetchMock);
  return fetchMock;
}
const sent = (m: ReturnType<typeof stub>) =>
  m.mock.calls
    .filter(([, i]) => i?.method)
    .map(([u, i]) => ({ method: i!.method, url: u, body: JSON.parse(String(i!.body)) as unknown }));

describe('StorageDomainDialog', () => {
  it('an iSCSI domain with CHAP: fields follow the type, the secret is a password field, all sent', async () => {
    const fetchMock = stub(() => jsonResponse(201, { id: 'sd-1' }));
    const onClose = vi.fn();
    renderWithQueries(<StorageDomainDialog onClose={onClose} />);
    await screen.findByRole('option', { name: 'dc1' });
    typeInto('Name', 'san1');
    typeInto('Datacenter', 'dc-1');
    typeInto('Type', 'iscsi');
    expect(screen.queryByLabelText('Path on the hosts')).toBeNull();
    typeInto('iSCSI portal', '10.0.0.5:3260');
    typeInto('Target IQN', 'iqn.2024-01.org.example:san1');
    typeInto('LUN (empty: every LUN of the target)', '1');
    typeInto('CHAP user (optional)', 'kelpie');
    typeInto('CHAP secret', 'a-secret-of-16ch');
    expect(screen.getByLabelText('CHAP secret').getAttribute('type')).toBe('password');
    fireEvent.click(screen.getByRole('button', { name: 'Create storage domain' }));
    await waitFor(() => expect(onClose).toHaveBeenCalled());
    expect(sent(fetchMock)).toEqual([
      {
        method: 'POST',
        url: '/api/v1/storage-domains',
        body: {
          name: 'san1',
          description: '',
          datacenterId: 'dc-1',
          type: 'iscsi',
          connection: {
            portal: '10.0.0.5:3260',
            target: 'iqn.2024-01.org.example:san1',
            lun: 1,
            chapUser: 'kelpie',
            chapSecret: 'a-secret-of-16ch',
          },
        },
      },
    ]);
  });

  it('checks before sending: missing and malformed fields are marked, nothing is sent', async () => {
    const fetchMock = stub(() => jsonResponse(201, {}));
    renderWithQueries(<StorageDomainDialog onClose={vi.fn()} />);
    typeInto('Name', 'bad name!');
    typeInto('Type', 'rbd');
    typeInto('Ceph monitors', '');
    typeInto('Cephx user', 'client.admin');
    typeInto('Cephx key', 'not base64 !');
    fireEvent.click(screen.getByRole('button', { name: 'Create storage domain' }));
    await waitFor(() => expect(invalidOf('Name')).toBe('true'));
    expect(invalidOf('Datacenter')).toBe('true');
    expect(invalidOf('Ceph monitors')).toBe('true');
    expect(invalidOf('Ceph pool')).toBe('true');
    expect(invalidOf('Cephx user')).toBe('true');
    expect(invalidOf('Cephx key')).toBe('true');
    expect(screen.getByText('the user without "client."')).toBeTruthy();
    expect(sent(fetchMock)).toEqual([]);
  });

  it("the engine's 400 shows beside its field (a system directory as path) and the dialog stays", async () => {
    stub(() =>
      jsonResponse(400, {
        code: 'validation_failed',
        message: 'invalid request',
        details: [
          { field: 'path', reason: 'path must not be / or a system directory: /etc and everything below' },
        ],
      }),
    );
    const onClose = vi.fn();
    renderWithQueries(<StorageDomainDialog onClose={onClose} />);
    await screen.findByRole('option', { name: 'dc1' });
    typeInto('Name', 'etc');
    typeInto('Datacenter', 'dc-1');
    typeInto('Path on the hosts', '/etc/kelpie');
    fireEvent.click(screen.getByRole('button', { name: 'Create storage domain' }));
    await waitFor(() => expect(invalidOf('Path on the hosts')).toBe('true'));
    expect(screen.getByText(/system directory/)).toBeTruthy();
    expect(onClose).not.toHaveBeenCalled();
  });

  it('an edit of an rbd domain never shows the key; empty keeps it, only changed fields are sent', async () => {
    const sd = {
      id: 'sd-2',
      name: 'ceph1',
      description: '',
      datacenterId: 'dc-1',
      type: 'rbd',
      status: 'maintenance',
      path: 'rbd:kelpie@mon1',
      connection: { monitors: ['mon1:6789'], pool: 'kelpie', user: 'kelpie' },
    } as unknown as StorageDomain;
    const fetchMock = stub(() => jsonResponse(200, sd));
    const onClose = vi.fn();
    renderWithQueries(<StorageDomainDialog sd={sd} onClose={onClose} />);
    expect((screen.getByLabelText('Cephx key') as HTMLInputElement).value).toBe('');
    typeInto('Description', 'the Ceph pool');
    fireEvent.click(screen.getByRole('button', { name: 'Save' }));
    await waitFor(() => expect(onClose).toHaveBeenCalled());
    expect(sent(fetchMock)).toEqual([
      {
        method: 'PATCH',
        url: '/api/v1/storage-domains/sd-2',
        body: { name: 'ceph1', description: 'the Ceph pool' },
      },
    ]);
  });
});

describe('storageForm', () => {
  it('an edit sends the connection when a monitor or a new key changes, with the whole connection', () => {
    const sd = {
      name: 'ceph1',
      description: '',
      datacenterId: 'dc-1',
      type: 'rbd',
      path: 'x',
      connection: { monitors: ['mon1'], pool: 'p', user: 'u' },
    } as unknown as StorageDomain;
    const original = storageValues(sd);
    expect(storageBody({ ...original, key: 'QUJDRA==' }, original).connection).toEqual({
      monitors: ['mon1'],
      pool: 'p',
      user: 'u',
      key: 'QUJDRA==',
    });
    expect(storageBody({ ...original, monitors: 'mon1, mon2:3300' }, original).connection?.monitors).toEqual([
      'mon1',
      'mon2:3300',
    ]);
    // An edit needs no key (the stored one stays); a create does.
    expect(validateStorage(original, true)).toEqual([]);
    expect(validateStorage(original, false).map((d) => d.field)).toContain('connection.key');
  });

  it('NFS needs the server, an absolute export and a mount point; / is refused at once', () => {
    const v = {
      ...storageValues(undefined, 'dc-1'),
      name: 'n',
      type: 'nfs' as const,
      export: 'vols',
      path: '/',
    };
    expect(validateStorage(v, false).map((d) => d.field)).toEqual([
      'path',
      'connection.server',
      'connection.export',
    ]);
  });
});
