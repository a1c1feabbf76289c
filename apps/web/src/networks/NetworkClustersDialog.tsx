import type { Cluster, LogicalNetwork } from '@kelpie/shared-types';
import { useId, useState } from 'react';
import { ConfirmDialog } from '../dialogs/ConfirmDialog';
import { Dialog } from '../dialogs/Dialog';
import {
  useSetAttachment,
  type Attachment,
  type AttachmentChange,
  type AttachmentChoice,
} from './networkApi';

const CHOICES: { value: AttachmentChoice; label: string }[] = [
  { value: '', label: 'Not attached' },
  { value: 'required', label: 'Required (a host without it is not operational)' },
  { value: 'optional', label: 'Optional' },
];

const WHAT_REQUIRED = {
  required: 'A host of the cluster without it is not operational.',
  optional: 'Hosts of the cluster without it stay operational.',
};

/** What a change of attachment does, asked before it is sent. */
function question(network: string, { cluster, from, to }: AttachmentChange) {
  if (!to)
    return {
      title: `Detach network ${network} from cluster ${cluster.name}?`,
      message: 'Its hosts no longer set it up; VMs of the cluster can no longer use it.',
      label: 'Detach',
    };
  if (!from)
    return {
      title: `Attach network ${network} to cluster ${cluster.name} (${to})?`,
      message: `Its hosts set it up at their next network setup. ${WHAT_REQUIRED[to]}`,
      label: 'Attach',
    };
  return {
    title: `Make network ${network} ${to} on cluster ${cluster.name}?`,
    message: WHAT_REQUIRED[to],
    label: `Make ${to}`,
  };
}

/** The clusters of the network's datacenter, each with its attachment; a change asks first. */
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
  const [asking, setAsking] = useState<AttachmentChange | null>(null);
  const ask = asking && question(network.name, asking);
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
                      setAsking({ cluster: c, from: current(c), to: e.target.value as AttachmentChoice })
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
      {asking && ask && (
        <ConfirmDialog
          title={ask.title}
          message={<p>{ask.message}</p>}
          confirmLabel={ask.label}
          danger={!asking.to}
          onConfirm={() => set.mutateAsync(asking)}
          onClose={() => setAsking(null)}
        />
      )}
      <div className="form-actions">
        <button type="button" className="button" onClick={onClose}>
          Close
        </button>
      </div>
    </Dialog>
  );
}
