import type { Cluster } from '@kelpie/shared-types';
import { QueryClient, QueryClientProvider } from '@tanstack/react-query';
import { fireEvent, render, screen, waitFor } from '@testing-library/react';
import type { ReactNode } from 'react';
import { MemoryRouter } from 'react-router';
import { describe, expect, it, vi } from 'vitest';
import { jsonResponse, resetAfterEach } from '../api/fetch-stub';
import { ClusterDialog } from './ClusterDialog';
import { clusterBody, clusterValues } from './clusterForm';
import { DeleteInventoryDialog } from './DeleteInventoryDialog';
import { InventoryHead } from './InventoryHead';

resetAfterEach();

const wrap = (ui: ReactNode) =>
  render(
    <QueryClientProvider client={new QueryClient({ defaultOptions: { queries: { retry: false } } })}>
      <MemoryRouter>{ui}</MemoryRouter>
    </QueryClientProvider>,
  );

describe('DeleteInventoryDialog', () => {
  it('a delete refused for its children names each as a link and stays open; nothing navigates', async () => {
    const fetchMock = vi.fn(async () =>
      jsonResponse(409, {
        code: 'has_children',
        message: 'datacenter dc1 still has 1 clusters, 1 storage domains; remove them first',
        details: [
          { reason: 'clusters still refer to it', ref: { type: 'cluster', id: 'c-1', name: 'prod' } },
          {
            reason: 'storage domains still refer to it',
            ref: { type: 'storage_domain', id: 's-1', name: 'nfs1' },
          },
        ],
      }),
    );
    vi.stubGlobal('fetch', fetchMock);
    const onClose = vi.fn();
    wrap(<DeleteInventoryDialog kind="datacenters" obj={{ id: 'dc-1', name: 'dc1' }} onClose={onClose} />);
    fireEvent.click(screen.getByRole('button', { name: 'Delete' }));
    const link = await screen.findByRole('link', { name: 'prod' });
    expect(link.getAttribute('href')).toBe('/clusters/c-1');
    // Each child with its kind in words (never the API's `storage_domain`).
    expect(screen.getByRole('alert').textContent).toMatch(/storage domain nfs1/);
    expect(onClose).not.toHaveBeenCalled();
    const [url, init] = fetchMock.mock.calls[0] as unknown as [string, RequestInit];
    expect([init.method, url]).toEqual(['DELETE', '/api/v1/datacenters/dc-1']);
  });
});

/** The New cluster dialog with its name typed; the datacenters load and a submit is refused with
 * these details. */
function newClusterRefused(name: string, details: { field: string; reason: string }[]) {
  const fetchMock = vi.fn(async (_url: string, init?: RequestInit) => {
    if (!init?.method) return jsonResponse(200, { items: [{ id: 'dc-1', name: 'dc1' }], total: 1 });
    return jsonResponse(400, { code: 'validation_failed', message: 'invalid request', details });
  });
  vi.stubGlobal('fetch', fetchMock);
  wrap(<ClusterDialog datacenterId="dc-1" onClose={vi.fn()} />);
  fireEvent.change(screen.getByLabelText('Name'), { target: { value: name } });
  return fetchMock;
}

describe('ClusterDialog', () => {
  it("sends the policies and shows the API's reason by the nested migration field", async () => {
    const fetchMock = vi.fn(async (url: string, init?: RequestInit) => {
      if (!init?.method) return jsonResponse(200, { items: [{ id: 'dc-1', name: 'dc1' }], total: 1 });
      return jsonResponse(400, {
        code: 'validation_failed',
        message: 'invalid request',
        details: [{ field: 'migrationPolicy.maxDowntimeMs', reason: 'must not be less than 10' }],
      });
    });
    vi.stubGlobal('fetch', fetchMock);
    const onClose = vi.fn();
    wrap(<ClusterDialog datacenterId="dc-1" onClose={onClose} />);
    fireEvent.change(screen.getByLabelText('Name'), { target: { value: 'c1' } });
    fireEvent.change(screen.getByLabelText('Scheduling policy'), { target: { value: 'power_saving' } });
    fireEvent.change(screen.getByLabelText('Max downtime (ms)'), { target: { value: '5' } });
    fireEvent.click(screen.getByRole('button', { name: 'Create cluster' }));
    await waitFor(() =>
      expect(screen.getByLabelText('Max downtime (ms)').getAttribute('aria-invalid')).toBe('true'),
    );
    expect(screen.getByText('must not be less than 10')).toBeTruthy();
    const post = fetchMock.mock.calls.find(([, i]) => (i as RequestInit | undefined)?.method === 'POST')!;
    expect(JSON.parse((post[1] as RequestInit).body as string)).toMatchObject({
      name: 'c1',
      datacenterId: 'dc-1',
      cpuModel: null,
      schedulingPolicy: 'power_saving',
      migrationPolicy: { autoConverge: true, maxBandwidthMiBps: null, maxDowntimeMs: 5 },
    });
    expect(onClose).not.toHaveBeenCalled();
  });

  it('switch type and encryption are sent; a refusal of any migration checkbox shows by that checkbox', async () => {
    const fetchMock = newClusterRefused('c2', [
      { field: 'migrationPolicy.postCopy', reason: 'post-copy needs a newer QEMU on host h2' },
      { field: 'migrationEncrypted', reason: 'host h2 has no engine-issued certificate' },
    ]);
    fireEvent.change(screen.getByLabelText('Network switch'), { target: { value: 'ovs' } });
    const tls = screen.getByLabelText(/^Encrypt migrations/);
    expect((tls as HTMLInputElement).checked).toBe(true);
    fireEvent.click(tls);
    fireEvent.click(screen.getByLabelText(/^Post-copy/));
    fireEvent.click(screen.getByRole('button', { name: 'Create cluster' }));
    await waitFor(() =>
      expect(screen.getByLabelText(/^Post-copy/).getAttribute('aria-invalid')).toBe('true'),
    );
    expect(tls.getAttribute('aria-invalid')).toBe('true');
    expect(screen.getByText('post-copy needs a newer QEMU on host h2')).toBeTruthy();
    expect(screen.getByText('host h2 has no engine-issued certificate')).toBeTruthy();
    const post = fetchMock.mock.calls.find(([, i]) => i?.method === 'POST')!;
    expect(JSON.parse(post[1]!.body as string)).toMatchObject({
      switchType: 'ovs',
      migrationEncrypted: false,
      migrationPolicy: { postCopy: true },
    });
  });

  it('balancing: the chosen policy shows its thresholds, sent with the switch; a refusal shows by its field', async () => {
    const fetchMock = newClusterRefused('c3', [
      {
        field: 'schedulingThresholds.evenly.memoryLowPercent',
        reason: 'memoryLowPercent 90 must be below memoryHighPercent 80',
      },
    ]);
    const balance = screen.getByLabelText(/^Balance periodically/) as HTMLInputElement;
    expect(balance.checked).toBe(false);
    fireEvent.click(balance);
    // Evenly distributed (the default) shows its watermarks; vm_count its spread instead.
    expect((screen.getByLabelText('Memory high watermark (%)') as HTMLInputElement).value).toBe('80');
    fireEvent.change(screen.getByLabelText('Scheduling policy'), { target: { value: 'vm_count' } });
    expect(screen.queryByLabelText('Memory high watermark (%)')).toBeNull();
    fireEvent.change(screen.getByLabelText('Most VMs one host may run above another'), {
      target: { value: '1' },
    });
    fireEvent.change(screen.getByLabelText('Scheduling policy'), { target: { value: 'evenly_distributed' } });
    fireEvent.change(screen.getByLabelText('Memory low watermark (%)'), { target: { value: '90' } });
    fireEvent.click(screen.getByRole('button', { name: 'Create cluster' }));
    await waitFor(() =>
      expect(screen.getByLabelText('Memory low watermark (%)').getAttribute('aria-invalid')).toBe('true'),
    );
    expect(screen.getByText('memoryLowPercent 90 must be below memoryHighPercent 80')).toBeTruthy();
    const post = fetchMock.mock.calls.find(([, i]) => i?.method === 'POST')!;
    expect(JSON.parse(post[1]!.body as string)).toMatchObject({
      schedulingPolicy: 'evenly_distributed',
      balancingEnabled: true,
      schedulingThresholds: {
        evenly: { memoryHighPercent: 80, memoryLowPercent: 90, cpuHighPercent: 80, cpuLowPercent: 60 },
        powerSaving: { lowUtilizationPercent: 20, highUtilizationPercent: 80 },
        vmCount: { maxSpread: 1 },
      },
    });
  });

  it('an edit never sends the datacenter and keeps what was typed that is not a number for the API to name', () => {
    const c = {
      id: 'c-1',
      name: 'c1',
      description: '',
      datacenterId: 'dc-1',
      cpuModel: 'qemu64',
      schedulingPolicy: 'none',
      switchType: 'ovs',
      migrationEncrypted: false,
      migrationPolicy: {
        autoConverge: false,
        postCopy: true,
        compressed: false,
        maxBandwidthMiBps: 100,
        maxDowntimeMs: 300,
      },
    } as unknown as Cluster;
    const body = clusterBody({ ...clusterValues(c), maxBandwidthMiBps: 'fast' }, false);
    expect(body).not.toHaveProperty('datacenterId');
    // What the cluster has is sent back as it is: an edit never flips encryption or the switch type.
    expect(body).toMatchObject({ switchType: 'ovs', migrationEncrypted: false });
    expect(clusterBody(clusterValues(undefined, 'dc-1'), true)).toMatchObject({
      datacenterId: 'dc-1',
      switchType: 'linux_bridge',
      migrationEncrypted: true,
    });
    expect(body.migrationPolicy).toEqual({
      autoConverge: false,
      postCopy: true,
      compressed: false,
      maxBandwidthMiBps: 'fast',
      maxDowntimeMs: 300,
    });
  });
});

describe('InventoryHead', () => {
  it('the page buttons, then Edit and Delete opening their dialogs; a missing permission disables both', () => {
    const edit = vi.fn((close: () => void) => (
      <button type="button" onClick={close}>
        edit dialog
      </button>
    ));
    const head = (manage: string | null) => (
      <InventoryHead
        kind="clusters"
        obj={{ id: 'c-1', name: 'prod' }}
        title="Cluster prod"
        titleId="t"
        manage={manage}
        edit={edit}
      >
        <button type="button">New VM</button>
      </InventoryHead>
    );
    const { rerender } = wrap(head(null));
    expect(screen.getByRole('heading', { level: 1 }).textContent).toBe('Cluster prod');
    expect(screen.getAllByRole('button').map((b) => b.textContent)).toEqual(['New VM', 'Edit', 'Delete']);
    fireEvent.click(screen.getByRole('button', { name: 'Edit' }));
    fireEvent.click(screen.getByRole('button', { name: 'edit dialog' }));
    expect(screen.queryByRole('button', { name: 'edit dialog' })).toBeNull();
    fireEvent.click(screen.getByRole('button', { name: 'Delete' }));
    expect(screen.getByRole('dialog', { name: 'Delete cluster prod?' })).toBeTruthy();
    rerender(
      <QueryClientProvider client={new QueryClient()}>
        <MemoryRouter>{head('You lack the cluster.manage permission')}</MemoryRouter>
      </QueryClientProvider>,
    );
    for (const name of ['Edit', 'Delete'])
      expect((screen.getAllByRole('button', { name })[0] as HTMLButtonElement).disabled).toBe(true);
  });
});
