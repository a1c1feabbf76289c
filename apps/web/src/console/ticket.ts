import type { ConsoleTicket } from '@kelpie/shared-types';
import { apiSend } from '../api/client';

/** Asks the engine for a one-time console ticket and turns its path into a WebSocket URL. */
export async function requestConsole(
  vmId: string,
  kind: 'vnc' | 'serial',
): Promise<{ url: string; ticket: ConsoleTicket }> {
  const res = await apiSend<ConsoleTicket>(
    'POST',
    `/vms/${vmId}/${kind === 'vnc' ? 'console' : 'serial-console'}`,
  );
  const scheme = window.location.protocol === 'https:' ? 'wss' : 'ws';
  return { url: `${scheme}://${window.location.host}${res.body.wsPath}`, ticket: res.body };
}
