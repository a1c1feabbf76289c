import type { Vm } from '@kelpie/shared-types';
import { useCallback, useState, type ReactNode } from 'react';
import { send } from '../api/client';
import { useApiMutation } from '../activity/useApiMutation';
import { ConfirmDialog } from '../dialogs/ConfirmDialog';
import { NameDialog } from '../dialogs/NameDialog';
import { MigrateDialog } from './MigrateDialog';
import { VM_ACTION_REQUEST, type ActionBody } from './vmActionRequests';
import { VM_ACTIONS, type VmActionId } from './vmActions';

type ActionVm = Pick<Vm, 'id' | 'name' | 'clusterId' | 'hostId'>;

export interface VmActionVars {
  vm: Pick<Vm, 'id' | 'name'>;
  action: VmActionId;
  body?: ActionBody;
}

/** One VM action as the portal's mutation: shown in the activity panel (task progress, or the API's
 * message), the VM lists and details refreshed afterwards; rejects with the API's reason. */
export function useVmAction() {
  return useApiMutation<VmActionVars>({
    label: ({ vm, action }) => `${VM_ACTIONS[action].label.replace('…', '')} ${vm.name}`,
    send: ({ vm, action, body }) => {
      return send((c) => VM_ACTION_REQUEST[action](vm.id, c, body));
    },
    invalidates: ['vms', 'snapshots', 'tasks'],
  });
}

/** What an action needs before it is sent: nothing, a confirmation, a name, or the migrate dialog. */
export function actionNeedsDialog(action: VmActionId): 'confirm' | 'name' | 'migrate' | null {
  const spec = VM_ACTIONS[action];
  if (spec.input === 'host') return 'migrate';
  if (spec.input === 'name') return 'name';
  return spec.confirm ? 'confirm' : null;
}

export function suggestedName(vm: Pick<Vm, 'name'>, action: VmActionId): string {
  return `${vm.name}-${action === 'snapshot' ? 'snap' : action === 'clone' ? 'clone' : 'tpl'}`;
}

const NAME_DIALOG: Partial<Record<VmActionId, { title: string; label: string; submit: string }>> = {
  snapshot: { title: 'Snapshot', label: 'Snapshot name', submit: 'Take snapshot' },
  clone: { title: 'Clone', label: 'Name of the clone', submit: 'Clone' },
  template: { title: 'Make a template of', label: 'Template name', submit: 'Make template' },
};

/**
 * Starts VM actions: those that need a question open an accessible dialog (which shows the API's error
 * inline and stays open until the request is accepted); the rest are sent at once.
 */
export function useVmActionFlow(): {
  start: (vm: ActionVm, action: VmActionId) => void;
  dialog: ReactNode;
} {
  const { mutateAsync } = useVmAction();
  const send = useCallback(
    (vm: Pick<Vm, 'id' | 'name'>, action: VmActionId, body?: ActionBody) => mutateAsync({ vm, action, body }),
    [mutateAsync],
  );
  const [pending, setPending] = useState<{ vm: ActionVm; action: VmActionId } | null>(null);
  const start = useCallback(
    (vm: ActionVm, action: VmActionId) => {
      if (action === 'console') {
        // The console page asks for its own one-time ticket when it connects.
        window.open(`/vms/${vm.id}/console`, '_blank', 'noopener');
        return;
      }
      if (actionNeedsDialog(action)) setPending({ vm, action });
      else void send(vm, action).catch(() => undefined); // the activity panel shows the error
    },
    [send],
  );
  const close = () => setPending(null);
  let dialog: ReactNode = null;
  if (pending) {
    const { vm, action } = pending;
    const spec = VM_ACTIONS[action];
    const kind = actionNeedsDialog(action);
    if (kind === 'migrate') dialog = <MigrateDialog vm={vm} onClose={close} />;
    else if (kind === 'name') {
      const d = NAME_DIALOG[action]!;
      dialog = (
        <NameDialog
          title={`${d.title} ${vm.name}`}
          label={d.label}
          initial={suggestedName(vm, action)}
          submitLabel={d.submit}
          onSubmit={(name) => send(vm, action, { name })}
          onClose={close}
        />
      );
    } else
      dialog = (
        <ConfirmDialog
          title={`${spec.label} ${vm.name}?`}
          message={<p>{spec.confirm}</p>}
          confirmLabel={spec.label}
          danger
          onConfirm={() => send(vm, action)}
          onClose={close}
        />
      );
  }
  return { start, dialog };
}
