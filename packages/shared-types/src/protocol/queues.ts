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

/** Agents never write the shared HEARTBEAT_QUEUE / REPORT_QUEUE: each appends to two Redis streams
 * of its own (its Redis ACL user may XADD there and nowhere else), and the engine relays what they
 * hold into the shared queues, refusing any report that names another host. */
export type AgentOutbox = 'heartbeats' | 'reports';

/** The full Redis key (with the deployment's prefix) of one host's outbox stream. */
export function agentOutboxKey(prefix: string, hostId: string, outbox: AgentOutbox): string {
  commandQueueName(hostId); // validates the id
  return `${prefix}:agent-out:${hostId}:${outbox}`;
}

/** The stream field holding the JSON report in an outbox entry. */
export const OUTBOX_FIELD = 'r';

/** The Redis ACL user of one host (the prefix keeps deployments sharing a Redis apart). */
export function agentRedisUser(prefix: string, hostId: string): string {
  commandQueueName(hostId); // validates the id
  return `${prefix}:agent:${hostId}`;
}
