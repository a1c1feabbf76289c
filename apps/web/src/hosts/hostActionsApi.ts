import type { Host } from '@kelpie/shared-types';
import { api, send } from '../api/client';
import { useApiMutation } from '../activity/useApiMutation';

export type HostAction = 'maintenance' | 'activate' | 'confirm-rebooted';

export const HOST_ACTION_LABEL: Record<HostAction, string> = {
  maintenance: 'Maintenance',
  activate: 'Activate',
  'confirm-rebooted': 'Confirm rebooted',
};

function request(action: HostAction, id: string) {
  const params = { params: { path: { id } } };
  switch (action) {
    case 'maintenance':
      return send((c) => api.POST('/api/v1/hosts/{id}/maintenance', { ...params, ...c }));
    case 'activate':
      return send((c) => api.POST('/api/v1/hosts/{id}/activate', { ...params, ...c }));
    case 'confirm-rebooted':
      return send((c) => api.POST('/api/v1/hosts/{id}/confirm-rebooted', { ...params, ...c }));
  }
}

/** A host's maintenance, activation or "confirm rebooted": shown in the activity panel with its task,
 * the host and VM lists refreshed afterwards; rejects with the API's reason (the dialog stays open). */
export function useHostAction(host: Pick<Host, 'id' | 'name'> | undefined) {
  return useApiMutation<HostAction>({
    label: (action) => `${HOST_ACTION_LABEL[action]} ${host?.name ?? ''}`,
    send: (action) => request(action, host!.id),
    invalidates: ['hosts', 'vms', 'tasks'],
  });
}
