import type { ConsoleTicket } from '@kelpie/shared-types';
import { api, send } from '../api/client';

/** Asks the engine for a one-time console ticket and turns its path into a WebSocket URL. */
export async function requestConsole(
  vmId: string,
  kind: 'vnc' | 'serial',
): Promise<{ url: string; ticket: ConsoleTicket }> {
  const path = { params: { path: { id: vmId } } };
  const res = await send((c) =>
    kind === 'vnc'
      ? api.POST('/api/v1/vms/{id}/console', { ...path, ...c })
      : api.POST('/api/v1/vms/{id}/serial-console', { ...path, ...c }),
  );
  const scheme = window.location.protocol === 'https:' ? 'wss' : 'ws';
  return { url: `${scheme}://${window.location.host}${res.body.wsPath}`, ticket: res.body };
}
