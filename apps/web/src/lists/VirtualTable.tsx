import { useVirtualizer } from '@tanstack/react-virtual';
import { useEffect, useRef, useState, type ReactNode } from 'react';
import { ErrorBox } from '../components/ErrorBox';
import { fmtInt } from '../components/format';
import type { RowSource } from './rowSource';

export interface Column<T> {
  key: string;
  header: string;
  /** CSS grid track, e.g. `2fr` or `120px`. */
  width: string;
  /** API sort field when the column sorts. */
  sort?: string;
  /** Left out when the table is narrower than this (px): the less needed columns go first, so a
   * 1024×768 screen keeps the ones that identify and act on a row. */
  hideBelow?: number;
  render: (row: T) => ReactNode;
}

/** The table's width, followed as the window or the navigation changes it. */
function useWidth(ref: React.RefObject<HTMLElement | null>): number {
  const [width, setWidth] = useState(0);
  useEffect(() => {
    const el = ref.current;
    if (!el) return;
    setWidth(el.clientWidth);
    if (typeof ResizeObserver === 'undefined') return;
    const ro = new ResizeObserver(() => setWidth(el.clientWidth));
    ro.observe(el);
    return () => ro.disconnect();
  }, [ref]);
  return width;
}

export interface Selection {
  selected: ReadonlySet<string>;
  toggle(id: string): void;
  setMany(ids: string[], on: boolean): void;
}

export function parseSort(sort: string | undefined): { field?: string; order: 'asc' | 'desc' } {
  if (!sort) return { order: 'asc' };
  const [field, order] = sort.split(':');
  return { field, order: order === 'desc' ? 'desc' : 'asc' };
}

/**
 * A server-paged table: the virtualizer renders only the rows in view (plus overscan) and reports
 * them to `usePagedList`, which fetches just the windows covering them.
 */
export function VirtualTable<T extends { id: string }>({
  list,
  columns: allColumns,
  label,
  noun,
  sort,
  defaultSort,
  onSort,
  selection,
  rowName = (r) => r.id,
  rowHeight = 36,
  onOpen,
  empty,
}: {
  list: RowSource<T>;
  columns: Column<T>[];
  label: string;
  noun: string;
  sort?: string;
  defaultSort?: string;
  onSort?: (sort: string) => void;
  selection?: Selection;
  rowName?: (row: T) => string;
  rowHeight?: number;
  /** A click on a row (outside its links, buttons and inputs) opens it; keyboard users need a button
   * in one of its cells too. */
  onOpen?: (row: T) => void;
  /** What an empty list says (default: nothing matches). */
  empty?: ReactNode;
}) {
  const scrollRef = useRef<HTMLDivElement>(null);
  const width = useWidth(scrollRef);
  // Before the first measure (width 0) every column is shown.
  const columns = allColumns.filter((c) => !c.hideBelow || !width || width >= c.hideBelow);
  const total = list.total ?? 0;
  const virtualizer = useVirtualizer({
    count: total,
    getScrollElement: () => scrollRef.current,
    estimateSize: () => rowHeight,
    overscan: 8,
  });
  const items = virtualizer.getVirtualItems();
  const first = items[0]?.index ?? 0;
  const last = items[items.length - 1]?.index ?? 0;
  const { setRange, filterKey } = list;
  useEffect(() => setRange({ first, last }), [first, last, setRange]);
  // A new filter or sort starts at the top.
  useEffect(() => {
    if (scrollRef.current) scrollRef.current.scrollTop = 0;
  }, [filterKey]);

  const template = [selection ? '40px' : null, ...columns.map((c) => c.width)].filter(Boolean).join(' ');
  const current = parseSort(sort ?? defaultSort);
  const loadedRows = items.map((it) => list.rowAt(it.index)).filter((r): r is T => !!r);
  const allLoadedSelected =
    !!selection && loadedRows.length > 0 && loadedRows.every((r) => selection.selected.has(r.id));

  return (
    <div className="vtable-wrap">
      <div className="vtable-meta" aria-live="polite">
        <span data-testid="list-total" title={list.totalEstimated ? 'estimated count' : undefined}>
          {list.total === undefined
            ? 'Loading…'
            : `${list.totalEstimated ? '~' : ''}${fmtInt(list.total)} ${noun}`}
        </span>
        {list.total !== undefined && list.total > 0 && (
          <span className="muted">
            {' '}
            · rows {fmtInt(first + 1)}–{fmtInt(Math.min(last + 1, total))}
          </span>
        )}
        {list.isFetching && <span className="muted"> · loading…</span>}
      </div>
      <ErrorBox error={list.error} />
      <div
        ref={scrollRef}
        className="vtable"
        role="table"
        aria-label={label}
        aria-rowcount={total + 1}
        tabIndex={0}
      >
        <div role="rowgroup" className="vtable-head">
          <div role="row" className="vtable-row" style={{ gridTemplateColumns: template }} aria-rowindex={1}>
            {selection && (
              <div role="columnheader" className="cell">
                <input
                  type="checkbox"
                  aria-label="Select all rows shown"
                  checked={allLoadedSelected}
                  onChange={(e) =>
                    selection.setMany(
                      loadedRows.map((r) => r.id),
                      e.target.checked,
                    )
                  }
                />
              </div>
            )}
            {columns.map((c) => {
              const active = c.sort && current.field === c.sort;
              return (
                <div
                  role="columnheader"
                  key={c.key}
                  className="cell"
                  aria-sort={active ? (current.order === 'asc' ? 'ascending' : 'descending') : undefined}
                >
                  {c.sort && onSort ? (
                    <button
                      type="button"
                      className="sort-button"
                      onClick={() =>
                        onSort(`${c.sort}:${active && current.order === 'asc' ? 'desc' : 'asc'}`)
                      }
                    >
                      {c.header}
                      <span aria-hidden="true">{active ? (current.order === 'asc' ? ' ▴' : ' ▾') : ''}</span>
                    </button>
                  ) : (
                    c.header
                  )}
                </div>
              );
            })}
          </div>
        </div>
        <div role="rowgroup" className="vtable-body" style={{ height: virtualizer.getTotalSize() }}>
          {items.map((it) => {
            const row = list.rowAt(it.index);
            return (
              <div
                role="row"
                key={it.key}
                data-index={it.index}
                aria-rowindex={it.index + 2}
                aria-busy={!row || undefined}
                aria-selected={selection && row ? selection.selected.has(row.id) : undefined}
                className={`vtable-row${row && selection?.selected.has(row.id) ? ' selected' : ''}${onOpen ? ' openable' : ''}`}
                onClick={
                  onOpen && row
                    ? (e) => {
                        if (!(e.target as HTMLElement).closest('a, button, input, select')) onOpen(row);
                      }
                    : undefined
                }
                style={{
                  gridTemplateColumns: template,
                  height: rowHeight,
                  transform: `translateY(${it.start}px)`,
                }}
              >
                {selection && (
                  <div role="cell" className="cell">
                    {row && (
                      <input
                        type="checkbox"
                        aria-label={`Select ${rowName(row)}`}
                        checked={selection.selected.has(row.id)}
                        onChange={() => selection.toggle(row.id)}
                      />
                    )}
                  </div>
                )}
                {row ? (
                  columns.map((c) => (
                    <div role="cell" className="cell" key={c.key}>
                      {c.render(row)}
                    </div>
                  ))
                ) : (
                  <div role="cell" className="cell placeholder" style={{ gridColumn: '1 / -1' }}>
                    <span className="skeleton" />
                  </div>
                )}
              </div>
            );
          })}
        </div>
        {list.total === 0 && <p className="empty">{empty ?? `No ${noun} match.`}</p>}
      </div>
    </div>
  );
}
