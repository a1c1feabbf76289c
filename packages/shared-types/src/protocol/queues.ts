/** Queue layout on Redis (BullMQ, all under the deployment's key prefix):
 * - one command queue per host: engine → that host's agent only;
 * - one heartbeat queue: agents → engine, tiny jobs, never behind commands or events;
 * - one report queue: agents → engine, libvirt events, inventory and stats.
 * Separate queues mean a backlog of commands or stats can never delay a heartbeat. */
export const HEARTBEAT_QUEUE = 'agent-heartbeats';
export const REPORT_QUEUE = 'agent-reports';

export function commandQueueName(hostId: string): string {
  if (!/^[A-Za-z0-9_-]{1,64}$/.test(hostId)) throw new Error(`invalid host id for a queue name: ${hostId}`);
  return `host-${hostId}-commands`;
}
