import type { Cluster, LogicalNetwork } from '@kelpie/shared-types';
import { useId } from 'react';
import { ErrorBox } from '../components/ErrorBox';
import { Dialog } from '../dialogs/Dialog';
import { useSetAttachment, type Attachment, type AttachmentChoice } from './networkApi';

const CHOICES: { value: AttachmentChoice; label: string }[] = [
  { value: '', label: 'Not attached' },
  { value: 'required', label: 'Required (a host without it is not operational)' },
  { value: 'optional', label: 'Optional' },
];

/** The clusters of the network's datacenter, each with its attachment; a change is sent at once. */
export function NetworkClustersDialog({
  network,
  clusters,
  attached,
  onClose,
}: {
  network: LogicalNetwork;
  clusters: readonly Cluster[];
  attached: readonly Attachment[];
  onClose: () => void;
}) {
  const set = useSetAttachment(network);
  const id = useId();
  const mine = clusters.filter((c) => c.datacenterId === network.datacenterId);
  const current = (c: Cluster): AttachmentChoice =>
    attached.find((a) => a.clusterId === c.id)?.attachment ?? '';
  return (
    <Dialog title={`Clusters of network ${network.name}`} onClose={onClose} wide>
      {mine.length === 0 ? (
        <p>Its datacenter has no clusters.</p>
      ) : (
        <table className="table">
          <thead>
            <tr>
              <th>Cluster</th>
              <th>Attachment</th>
            </tr>
          </thead>
          <tbody>
            {mine.map((c) => (
              <tr key={c.id}>
                <td>
                  <label htmlFor={`${id}-${c.id}`}>{c.name}</label>
                </td>
                <td>
                  <select
                    id={`${id}-${c.id}`}
                    value={current(c)}
                    disabled={set.isPending}
                    onChange={(e) =>
                      set.mutate({ cluster: c, from: current(c), to: e.target.value as AttachmentChoice })
                    }
                  >
                    {CHOICES.map((o) => (
                      <option key={o.value} value={o.value}>
                        {o.label}
                      </option>
                    ))}
                  </select>
                </td>
              </tr>
            ))}
          </tbody>
        </table>
      )}
      <p className="muted small">
        Hosts of a cluster set the network up at their next network setup (host page, Networks).
      </p>
      <ErrorBox error={set.error} />
      <div className="form-actions">
        <button type="button" className="button" onClick={onClose}>
          Close
        </button>
      </div>
    </Dialog>
  );
}
