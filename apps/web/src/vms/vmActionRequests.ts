import { api, type Correlated } from '../api/client';
import type { VmActionId } from './vmActions';

/** The body a named action sends (snapshot, clone, template: validated by the API like a VM name). */
export interface NameBody {
  name: string;
}
/** The bulk migrate's body: a chosen target, or none (the scheduler picks one per VM). */
export interface MigrateBody {
  targetHostId?: string;
}
export type ActionBody = NameBody | MigrateBody;

/** An action's request through the typed client (the VM's id in its path; a name when asked). */
export type VmActionRequest = (
  vmId: string,
  c: Correlated,
  body?: ActionBody,
) => ReturnType<typeof api.POST | typeof api.DELETE>;

const vm = (id: string) => ({ params: { path: { id } } });
const named = (body: ActionBody | undefined): NameBody => (body && 'name' in body ? body : { name: '' });
const target = (body: ActionBody | undefined): MigrateBody =>
  body && 'targetHostId' in body ? { targetHostId: body.targetHostId } : {};

export const VM_ACTION_REQUEST: Record<VmActionId, VmActionRequest> = {
  start: (id, c) => api.POST('/api/v1/vms/{id}/start', { ...vm(id), ...c }),
  shutdown: (id, c) => api.POST('/api/v1/vms/{id}/shutdown', { ...vm(id), ...c }),
  poweroff: (id, c) => api.POST('/api/v1/vms/{id}/poweroff', { ...vm(id), ...c }),
  reboot: (id, c) => api.POST('/api/v1/vms/{id}/reboot', { ...vm(id), ...c }),
  reset: (id, c) => api.POST('/api/v1/vms/{id}/reset', { ...vm(id), ...c }),
  suspend: (id, c) => api.POST('/api/v1/vms/{id}/suspend', { ...vm(id), ...c }),
  resume: (id, c) => api.POST('/api/v1/vms/{id}/resume', { ...vm(id), ...c }),
  // Without a target the engine's scheduler picks one; the migrate dialog sends its own request.
  migrate: (id, c, body) => api.POST('/api/v1/vms/{id}/migrate', { ...vm(id), body: target(body), ...c }),
  cancelMigration: (id, c) => api.POST('/api/v1/vms/{id}/migrate/cancel', { ...vm(id), ...c }),
  snapshot: (id, c, body) => api.POST('/api/v1/vms/{id}/snapshots', { ...vm(id), body: named(body), ...c }),
  clone: (id, c, body) => api.POST('/api/v1/vms/{id}/clone', { ...vm(id), body: named(body), ...c }),
  // The template is named as asked (the API validates it like a VM name and refuses one taken).
  template: (id, c, body) => api.POST('/api/v1/vms/{id}/template', { ...vm(id), body: named(body), ...c }),
  // Deleting a VM deletes its disks (volumes) too; detach a disk first to keep it.
  delete: (id, c) =>
    api.DELETE('/api/v1/vms/{id}', { params: { path: { id }, query: { withDisks: true } }, ...c }),
  console: (id, c) => api.POST('/api/v1/vms/{id}/console', { ...vm(id), ...c }),
};
