import { fireEvent, render, screen, waitFor } from '@testing-library/react';
import { QueryClient, QueryClientProvider } from '@tanstack/react-query';
import { useState } from 'react';
import { describe, expect, it, vi } from 'vitest';
import { resetAfterEach } from '../api/fetch-stub';
import type { ListFilter } from '../api/resources';
import { ListPage, type SetFilter } from './ListPage';
import { useArrayRows, type RowSource } from './rowSource';
import { giveTablesASize } from './tableSize.test-support';

resetAfterEach();
giveTablesASize();

interface Thing {
  id: string;
  name: string;
}
const columns = [{ key: 'name', header: 'Name', width: '1fr', render: (t: Thing) => t.name }];

/** Rows handed over as they are (what the page shows, not how they were read). */
function rowsOf(items: Thing[] | undefined, error: unknown = null): RowSource<Thing> {
  return {
    total: items?.length,
    rowAt: (i) => items?.[i],
    setRange: () => undefined,
    isFetching: false,
    error,
    filterKey: '',
  };
}

function Page({ items, initial = {}, onSet }: { items?: Thing[]; initial?: ListFilter; onSet?: SetFilter }) {
  const [filter, setFilter] = useState<ListFilter>(initial);
  const set: SetFilter = (patch) => {
    onSet?.(patch);
    setFilter((f) => {
      const next = { ...f };
      for (const [k, v] of Object.entries(patch))
        if (v) next[k] = v;
        else delete next[k];
      return next;
    });
  };
  const rows = useArrayRows<Thing>(
    ['things'],
    async () => items ?? [],
    filter,
    (t) => t.name,
  );
  return (
    <ListPage
      title="Things"
      noun="things"
      rows={rows}
      columns={columns}
      filter={filter}
      set={set}
      search="Search things"
      selects={[{ param: 'status', label: 'Status', options: ['up', 'down'] }]}
      chips={[{ param: 'hostId', label: (id) => `on host ${id}` }]}
      actions={<button type="button">New thing</button>}
    />
  );
}

const withQueries = (ui: React.ReactNode) =>
  render(<QueryClientProvider client={new QueryClient()}>{ui}</QueryClientProvider>);

describe('ListPage', () => {
  it('shows the title, actions, count and rows; searching narrows the rows', async () => {
    withQueries(
      <Page
        items={[
          { id: '1', name: 'alpha' },
          { id: '2', name: 'beta' },
        ]}
      />,
    );
    expect(screen.getByRole('heading', { name: 'Things' })).toBeTruthy();
    expect(screen.getByRole('button', { name: 'New thing' })).toBeTruthy();
    await waitFor(() => expect(screen.getByTestId('list-total').textContent).toBe('2 things'));
    expect(screen.getByRole('table', { name: 'Things' }).textContent).toContain('beta');
    fireEvent.change(screen.getByLabelText('Search things'), { target: { value: 'alp' } });
    await waitFor(() => expect(screen.getByTestId('list-total').textContent).toBe('1 things'));
    expect(screen.getByRole('table').textContent).not.toContain('beta');
  });

  it('sets a choice filter, shows a chip that removes its filter, and offers to clear a filter that matches nothing', async () => {
    const onSet = vi.fn();
    withQueries(<Page items={[]} initial={{ hostId: 'h1' }} onSet={onSet} />);
    fireEvent.change(screen.getByLabelText(/Status/), { target: { value: 'down' } });
    expect(onSet).toHaveBeenLastCalledWith({ status: 'down' });
    await waitFor(() => expect(screen.getByText(/No things match the filter/)).toBeTruthy());
    fireEvent.click(screen.getByRole('button', { name: 'on host h1 ✕' }));
    expect(onSet).toHaveBeenLastCalledWith({ hostId: undefined });
    fireEvent.click(screen.getByRole('button', { name: 'Clear the filter' }));
    expect(onSet).toHaveBeenLastCalledWith({ status: undefined });
    await waitFor(() => expect(screen.getByText('No things yet.')).toBeTruthy());
  });

  it('shows the error of the list instead of rows', () => {
    render(
      <ListPage
        title="Things"
        noun="things"
        rows={rowsOf(undefined, new Error('engine unreachable'))}
        columns={columns}
        filter={{}}
        set={() => undefined}
      />,
    );
    expect(screen.getByRole('alert').textContent).toContain('engine unreachable');
    expect(screen.getByTestId('list-total').textContent).toBe('Loading…');
    // No filter bar when the page has nothing to filter by.
    expect(screen.queryByRole('search')).toBeNull();
  });
});

describe('column priorities', () => {
  it('leaves out the columns the table is too narrow for (the test table is 1200 px wide)', () => {
    const cols = [
      ...columns,
      { key: 'wide', header: 'Only wide', width: '1fr', hideBelow: 1300, render: () => 'w' },
      { key: 'mid', header: 'Kept', width: '1fr', hideBelow: 1000, render: () => 'm' },
    ];
    render(
      <ListPage
        title="Things"
        noun="things"
        rows={rowsOf([{ id: '1', name: 'one' }])}
        columns={cols}
        filter={{}}
        set={() => undefined}
      />,
    );
    const headers = screen.getAllByRole('columnheader').map((h) => h.textContent);
    expect(headers).toEqual(['Name', 'Kept']);
    expect(screen.getAllByRole('cell').map((c) => c.textContent)).toEqual(['one', 'm']);
  });
});
