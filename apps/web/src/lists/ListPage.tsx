import type { ReactNode } from 'react';
import { humanize } from '../components/format';
import { SearchInput } from '../components/SearchInput';
import type { ListFilter } from '../api/resources';
import type { RowSource } from './rowSource';
import { VirtualTable, type Column, type Selection } from './VirtualTable';

export type SetFilter = (patch: Record<string, string | undefined>) => void;

/** A filter that is a choice among a few values (status, severity…); "any" clears it. */
export interface SelectFilter {
  param: string;
  label: string;
  options: readonly string[] | readonly (readonly [value: string, label: string])[];
}

/** A filter set from elsewhere (a link from an object, a correlation id) shown as a removable chip. */
export interface ChipFilter {
  param: string;
  label: (value: string) => string;
}

export interface ListPageProps<T extends { id: string }> {
  title: string;
  /** Plural, as people say it ("VMs", "storage domains"). */
  noun: string;
  rows: RowSource<T>;
  columns: Column<T>[];
  filter: ListFilter;
  set: SetFilter;
  /** Label of the search box; no search box without it. */
  search?: string;
  selects?: SelectFilter[];
  chips?: ChipFilter[];
  /** Sorting by the column headers (server lists). */
  defaultSort?: string;
  /** Buttons in the page head (create…). */
  actions?: ReactNode;
  /** Between the filters and the table (a bulk-action bar). */
  toolbar?: ReactNode;
  selection?: Selection;
  rowName?: (row: T) => string;
  onOpen?: (row: T) => void;
  /** Dialogs and panels the page opens. */
  children?: ReactNode;
  /** Set when the page is a panel of another page (no `page` section, an h2). */
  embedded?: boolean;
}

const slug = (s: string) => s.toLowerCase().replace(/[^a-z0-9]+/g, '-');

/**
 * Every list page of the portal: a title with its actions, the filter bar (search, choices, chips;
 * all kept in the URL by `useListParams`), the virtual table with its count, sorting, empty and
 * error states.
 */
export function ListPage<T extends { id: string }>(props: ListPageProps<T>) {
  const { title, noun, rows, filter, set, search, selects = [], chips = [], embedded } = props;
  const titleId = `${slug(title)}-title`;
  const Heading = embedded ? 'h2' : 'h1';
  const active = Object.keys(filter).filter((k) => k !== 'sort' && filter[k]);
  const hasFilterBar = !!search || selects.length > 0 || chips.some((c) => filter[c.param]);
  return (
    <section className={embedded ? 'panel list-panel' : 'page list-page'} aria-labelledby={titleId}>
      <header className="page-head">
        <Heading id={titleId}>{title}</Heading>
        {props.actions && <div className="actions">{props.actions}</div>}
      </header>
      {hasFilterBar && (
        <div className="filters" role="search" aria-label={`Filter ${noun}`}>
          {search && (
            <SearchInput label={search} value={filter.q as string | undefined} onChange={(q) => set({ q })} />
          )}
          {selects.map((s) => (
            <label key={s.param}>
              {s.label}{' '}
              <select
                value={(filter[s.param] as string) ?? ''}
                onChange={(e) => set({ [s.param]: e.target.value })}
              >
                <option value="">any</option>
                {s.options.map((o) => {
                  const [value, label] = typeof o === 'string' ? [o, humanize(o)] : o;
                  return (
                    <option key={value} value={value}>
                      {label}
                    </option>
                  );
                })}
              </select>
            </label>
          ))}
          {chips.map((c) => {
            const v = filter[c.param];
            if (!v) return null;
            return (
              <button
                key={c.param}
                type="button"
                className="chip"
                onClick={() => set({ [c.param]: undefined })}
              >
                {c.label(String(v))} ✕
              </button>
            );
          })}
        </div>
      )}
      {props.toolbar}
      <VirtualTable
        list={rows}
        columns={props.columns}
        label={title}
        noun={noun}
        sort={filter.sort as string | undefined}
        defaultSort={props.defaultSort}
        onSort={props.defaultSort ? (sort) => set({ sort }) : undefined}
        selection={props.selection}
        rowName={props.rowName}
        onOpen={props.onOpen}
        empty={
          active.length > 0 ? (
            <>
              No {noun} match the filter.{' '}
              <button
                type="button"
                className="link-button"
                onClick={() => set(Object.fromEntries(active.map((k) => [k, undefined])))}
              >
                Clear the filter
              </button>
            </>
          ) : (
            `No ${noun} yet.`
          )
        }
      />
      {props.children}
    </section>
  );
}
