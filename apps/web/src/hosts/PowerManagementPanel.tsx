import type { Host } from '@kelpie/shared-types';
import { useState } from 'react';
import { usePermissions } from '../auth/usePermissions';
import { errorMessage } from '../api/client';
import { ErrorBox } from '../components/ErrorBox';
import { GuardedButton } from '../components/GuardedButton';
import { Props } from '../components/Props';
import { fmtTime } from '../components/format';
import { ConfirmDialog } from '../dialogs/ConfirmDialog';
import { PowerManagementDialog } from './PowerManagementDialog';
import {
  useFencingHistory,
  usePowerManagement,
  useRemovePowerManagement,
  useTestPowerManagement,
} from './powerManagementApi';

/** Host "Power management": its BMC settings with set up / edit / test / remove, and what fencing
 * did to the host lately. Reading the settings takes host.manage, as changing them does. */
export function PowerManagementPanel({ host }: { host: Pick<Host, 'id' | 'name'> }) {
  // Asked only once the caller's permissions are known to include host.manage: anyone else would
  // only get a 403 for the settings.
  const held = usePermissions('host', host.id);
  const allowed = !held || held.has('host.manage');
  const settings = usePowerManagement(host.id, !!held?.has('host.manage'));
  const history = useFencingHistory(host.id, !!held?.has('host.manage'));
  const test = useTestPowerManagement(host.id, host.name);
  const remove = useRemovePowerManagement(host.id, host.name);
  const [editing, setEditing] = useState(false);
  const [removing, setRemoving] = useState(false);
  const pm = settings.data;
  const reason = allowed ? null : 'You lack the host.manage permission on this host.';
  return (
    <section className="panel" aria-labelledby="host-power">
      <h2 id="host-power">Power management</h2>
      {!allowed && <p className="muted">{reason}</p>}
      {settings.error && <ErrorBox error={settings.error} />}
      {pm === null && (
        <p className="muted">
          Not set up: if this host stops answering, its VMs wait for an administrator to confirm it was
          rebooted.
        </p>
      )}
      {pm && (
        <Props
          rows={[
            ['Agent', 'IPMI over LAN (fence_ipmilan)'],
            ['BMC', `${pm.address}:${pm.port}`],
            ['User', pm.username],
            ['Password', pm.passwordSet ? 'stored (encrypted)' : 'none'],
            [
              'Protocol',
              pm.lanplus ? `IPMI 2.0${pm.cipher === null ? '' : `, cipher ${pm.cipher}`}` : 'IPMI 1.5',
            ],
            ['Changed', fmtTime(pm.updatedAt)],
          ]}
        />
      )}
      {allowed && pm !== undefined && (
        <div className="actions">
          <GuardedButton reason={reason} onClick={() => setEditing(true)}>
            {pm ? 'Edit' : 'Set up'}
          </GuardedButton>
          {pm && (
            <>
              <GuardedButton
                reason={test.isPending ? 'Asking the BMC…' : reason}
                onClick={() => test.mutate()}
              >
                Test
              </GuardedButton>
              <GuardedButton reason={reason} danger onClick={() => setRemoving(true)}>
                Remove
              </GuardedButton>
            </>
          )}
        </div>
      )}
      {test.data && (
        <p role="status">
          The BMC answers: power is <strong>{test.data.body.powerStatus}</strong> ({test.data.body.detail}).
        </p>
      )}
      {!!test.error && (
        <p role="alert" className="error">
          Test failed: {errorMessage(test.error)}
        </p>
      )}
      {!!history.data?.length && (
        <>
          <h3>Fencing history</h3>
          <ul className="feed" aria-label="Fencing history">
            {history.data.map((e) => (
              <li key={e.id}>
                <span className="muted">{fmtTime(e.time)}</span> {e.message}
              </li>
            ))}
          </ul>
        </>
      )}
      {editing && (
        <PowerManagementDialog
          hostId={host.id}
          hostName={host.name}
          current={pm ?? null}
          onClose={() => setEditing(false)}
        />
      )}
      {removing && (
        <ConfirmDialog
          title={`Remove power management of ${host.name}?`}
          message="Without it, a host that stops answering is not fenced: its VMs wait for an administrator."
          confirmLabel="Remove"
          danger
          onConfirm={() => remove.mutateAsync()}
          onClose={() => setRemoving(false)}
        />
      )}
    </section>
  );
}
