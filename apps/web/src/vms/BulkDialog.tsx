import type { Host, Vm } from '@kelpie/shared-types';
import { useId, useState } from 'react';
import { usePage } from '../api/hooks';
import { TaskProgress } from '../activity/Activity';
import { humanize } from '../components/format';
import { Dialog } from '../dialogs/Dialog';
import { bulkSummary, runBulk, type BulkOutcome } from './bulk';
import { splitForBulk, VM_ACTIONS, type VmActionId } from './vmActions';
import { DialogButtons } from '../dialogs/DialogButtons';
import { useVmAction } from './useVmAction';

/** A bulk action on the selected VMs: asks (target for migrate), then shows each VM's result. */
export function BulkDialog({
  vms: selected,
  action,
  onClose,
}: {
  vms: Vm[];
  action: VmActionId;
  onClose: () => void;
}) {
  // The selection as it was when asked: statuses change while the actions run.
  const [vms] = useState(selected);
  const spec = VM_ACTIONS[action];
  const { apply, skip } = splitForBulk(vms, action);
  const hosts = usePage<Host>('hosts', { status: 'up' }, 500, 0, action === 'migrate');
  const [target, setTarget] = useState('');
  const [outcomes, setOutcomes] = useState<Record<string, BulkOutcome> | null>(null);
  const { mutateAsync } = useVmAction();
  const id = useId();
  const label = spec.label.replace('…', '');

  const go = () => {
    const initial: Record<string, BulkOutcome> = {};
    for (const vm of skip)
      initial[vm.id] = { state: 'skipped', reason: `${humanize(vm.status)}: not allowed` };
    for (const vm of apply) initial[vm.id] = { state: 'waiting' };
    setOutcomes(initial);
    const body = action === 'migrate' && target ? { targetHostId: target } : undefined;
    void runBulk(
      apply,
      (vm) => mutateAsync({ vm, action, body }),
      (vmId, o) => setOutcomes((s) => ({ ...s, [vmId]: o })),
    );
  };

  return (
    <Dialog
      title={`${label}: ${vms.length} selected VM${vms.length === 1 ? '' : 's'}`}
      onClose={onClose}
      wide
    >
      {!outcomes ? (
        <form
          className="form form-wide"
          onSubmit={(e) => {
            e.preventDefault();
            go();
          }}
        >
          <p>
            {label} {apply.length} VM{apply.length === 1 ? '' : 's'}
            {skip.length > 0 &&
              `; ${skip.length} skipped because their status does not allow it (${skip.map((v) => v.name).join(', ')})`}
            .
          </p>
          {spec.confirm && <p className="notice">{spec.confirm}</p>}
          {action === 'migrate' && (
            <div className="field">
              <label htmlFor={`${id}-target`}>Target host</label>
              <select id={`${id}-target`} value={target} onChange={(e) => setTarget(e.target.value)}>
                <option value="">Automatic (the scheduler picks a host per VM)</option>
                {(hosts.data?.items ?? []).map((h) => (
                  <option key={h.id} value={h.id}>
                    {h.name}
                  </option>
                ))}
              </select>
              <div className="hint">
                VMs already on the chosen host, or that fail its pre-checks, are refused one by one.
              </div>
            </div>
          )}
          <DialogButtons
            submit={`${label} ${apply.length} VM${apply.length === 1 ? '' : 's'}`}
            danger={!!spec.confirm}
            disabled={!apply.length}
            onCancel={onClose}
          />
        </form>
      ) : (
        <div className="form form-wide">
          <p role="status">{bulkSummary(Object.values(outcomes))}</p>
          <table className="table bulk-results" aria-label={`${label} results`}>
            <thead>
              <tr>
                <th>VM</th>
                <th>Result</th>
              </tr>
            </thead>
            <tbody>
              {vms.map((vm) => (
                <tr key={vm.id} data-vm={vm.name}>
                  <td>{vm.name}</td>
                  <td>
                    <Outcome outcome={outcomes[vm.id]} />
                  </td>
                </tr>
              ))}
            </tbody>
          </table>
          <div className="form-actions">
            <button type="button" className="button" onClick={onClose}>
              Close
            </button>
          </div>
        </div>
      )}
    </Dialog>
  );
}

function Outcome({ outcome }: { outcome: BulkOutcome | undefined }) {
  if (!outcome) return null;
  switch (outcome.state) {
    case 'skipped':
      return <span className="muted">Skipped ({outcome.reason})</span>;
    case 'waiting':
      return <span className="muted">Waiting…</span>;
    case 'sending':
      return <span className="muted">Sending…</span>;
    case 'done':
      return <span>Done</span>;
    case 'failed':
      return <span className="error">Refused: {outcome.message}</span>;
    case 'task':
      return <TaskProgress initial={outcome.task} />;
  }
}
