import type { Task, Vm } from '@kelpie/shared-types';
import { api, as, read, send } from '../api/client';
import type { CreateVmDeps } from './createVmFlow';

/** The wizard's requests through the typed client. */
export const createVmApi: Pick<CreateVmDeps, 'previewCloudInit' | 'create' | 'attachCloudInit'> = {
  previewCloudInit: (seed) => read(api.POST('/api/v1/cloud-init/preview', { body: seed })),
  create: (req) => {
    if (req.templateId === undefined)
      return send((c) => api.POST('/api/v1/vms', { body: req.body, ...c }), as<Vm | Task>());
    const params = { params: { path: { id: req.templateId } } };
    return send(
      (c) => api.POST('/api/v1/templates/{id}/vms', { ...params, body: req.body, ...c }),
      as<Task>(),
    );
  },
  attachCloudInit: (vmId, seed) =>
    send((c) =>
      api.POST('/api/v1/vms/{id}/cloud-init', { params: { path: { id: vmId } }, body: seed, ...c }),
    ),
};
