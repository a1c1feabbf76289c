import { ObjectType, values } from '@kelpie/shared-types';
import { Link } from 'react-router';
import type { ChipFilter, SelectFilter, SetFilter } from '../lists/ListPage';
import type { Column } from '../lists/VirtualTable';
import { valueLabel } from '../text/humanize';

/** The filters the tasks and events lists share (the API's activity query: type, object type, object,
 * correlation id). */
export const ACTIVITY_PARAMS = ['q', 'type', 'objectType', 'objectId', 'correlationId', 'sort'] as const;

export const OBJECT_TYPE_FILTER: SelectFilter = {
  param: 'objectType',
  label: 'Object',
  options: values(ObjectType).map((t) => [t, valueLabel(t)] as const),
};

/** The short form of a correlation id people can tell apart (its random tail). */
export const shortRequest = (id: string) => id.split('-').at(-1)!.slice(0, 8);

/** Filters set from a row or a link, shown as removable chips. */
export const ACTIVITY_CHIPS: ChipFilter[] = [
  { param: 'type', label: (t) => `type ${t}` },
  { param: 'objectId', label: () => 'one object' },
  { param: 'correlationId', label: (c) => `request ${shortRequest(c)}` },
];

/** The request a row came from: a button that narrows the list to everything that request caused. */
export function requestColumn<T extends { correlationId: string | null }>(set: SetFilter): Column<T> {
  return {
    key: 'request',
    header: 'Request',
    width: '90px',
    render: (r) =>
      r.correlationId ? (
        <button
          type="button"
          className="link-button mono"
          title={`Everything request ${r.correlationId} caused`}
          aria-label={`Only request ${shortRequest(r.correlationId)}`}
          onClick={() => set({ correlationId: r.correlationId! })}
        >
          {shortRequest(r.correlationId)}
        </button>
      ) : (
        <span className="muted">–</span>
      ),
  };
}

/** While the list shows one request: a link to the other activity list narrowed to the same request. */
export function FollowRequest({ correlationId, to }: { correlationId: unknown; to: 'tasks' | 'events' }) {
  if (typeof correlationId !== 'string' || !correlationId) return null;
  return (
    <p className="follow-request">
      <Link to={`/${to}?correlationId=${encodeURIComponent(correlationId)}`}>
        {to === 'tasks' ? 'Tasks' : 'Events'} of request {shortRequest(correlationId)} →
      </Link>
    </p>
  );
}
