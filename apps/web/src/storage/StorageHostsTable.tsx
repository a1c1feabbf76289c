import type { StorageDomain, StorageDomainHostStatus } from '@kelpie/shared-types';
import { ErrorBox } from '../components/ErrorBox';
import { fmtAgo, fmtBytes } from '../components/format';
import { ProgressBar } from '../components/ProgressBar';
import { StatusBadge } from '../components/StatusBadge';
import { useStorageHosts } from './storageApi';

/** How each host of the datacenter sees a storage domain: pool status, capacity used, last check, error
 * (the Hosts tab of the domain's page). */
export function StorageHostsTable({ sd }: { sd: StorageDomain }) {
  const { data, error } = useStorageHosts(sd.id, 5000);
  const used = (h: StorageDomainHostStatus) =>
    h.capacityBytes ? ((h.capacityBytes - (h.availableBytes ?? 0)) / h.capacityBytes) * 100 : 0;
  return (
    <>
      {sd.statusReason && <p className="notice">{sd.statusReason}</p>}
      {error && <ErrorBox error={error} />}
      {data && !data.length && <p>No host has reported this domain (it is not active).</p>}
      {data && data.length > 0 && (
        <table className="table">
          <caption className="sr-only">{sd.name} on each host</caption>
          <thead>
            <tr>
              <th>Host</th>
              <th>Status</th>
              <th>Capacity</th>
              <th>Checked</th>
              <th>Error</th>
            </tr>
          </thead>
          <tbody>
            {data.map((h) => (
              <tr key={h.hostId}>
                <td>{h.hostName}</td>
                <td>
                  <StatusBadge status={h.status} />
                </td>
                <td>
                  {h.capacityBytes ? (
                    <>
                      <ProgressBar value={used(h)} label={`${h.hostName} capacity used`} />
                      {fmtBytes(h.availableBytes)} free of {fmtBytes(h.capacityBytes)}
                    </>
                  ) : (
                    '—'
                  )}
                </td>
                <td>{fmtAgo(h.checkedAt)}</td>
                <td>{h.error ?? ''}</td>
              </tr>
            ))}
          </tbody>
        </table>
      )}
    </>
  );
}
