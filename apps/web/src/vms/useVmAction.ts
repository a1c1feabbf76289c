import type { Host, Page, Vm } from '@kelpie/shared-types';
import { useQueryClient } from '@tanstack/react-query';
import { useCallback } from 'react';
import { apiSend } from '../api/client';
import { keys } from '../api/resources';
import { useActivity } from '../activity/Activity';
import { VM_ACTIONS, type VmActionId } from './vmActions';

/** Runs one VM action: asks what it needs (confirmation, a name, a target host), then sends it
 * through the activity panel (task progress, or the API's error message). */
export function useVmAction() {
  const { track } = useActivity();
  const qc = useQueryClient();
  return useCallback(
    async (
      vm: Pick<Vm, 'id' | 'name'>,
      action: VmActionId,
      given?: Record<string, unknown>,
    ): Promise<void> => {
      if (action === 'console') {
        // The console page asks for its own one-time ticket when it connects.
        window.open(`/vms/${vm.id}/console`, '_blank', 'noopener');
        return;
      }
      const spec = VM_ACTIONS[action];
      // `given`: the caller already asked (MigrateDialog on the VM page).
      if (!given && spec.confirm && !window.confirm(`${spec.label} ${vm.name}?\n\n${spec.confirm}`)) return;
      let body = given;
      if (!given && spec.input === 'name') {
        const suggestion =
          action === 'snapshot' ? `${vm.name}-snap` : `${vm.name}-${action === 'clone' ? 'clone' : 'tpl'}`;
        const name = window.prompt(`Name for the ${action === 'template' ? 'template' : action}`, suggestion);
        if (name === null) return;
        body = { name };
      } else if (!given && spec.input === 'host') {
        const name = window.prompt('Target host name (leave empty to let the scheduler choose)', '');
        if (name === null) return;
        if (name.trim()) {
          const hosts = qc.getQueryData<Page<Host>>(keys.page('hosts', {}, 0, 500))?.items ?? [];
          const host = hosts.find((h) => h.name === name.trim());
          body = host ? { targetHostId: host.id } : { targetHostName: name.trim() };
        } else body = {};
      }
      await track(`${spec.label.replace('…', '')} ${vm.name}`, () =>
        apiSend(spec.method, spec.path(vm.id), body),
      ).catch(() => undefined);
    },
    [track, qc],
  );
}
