import { agentOutboxKey, commandQueueName } from '@kelpie/shared-types';

/**
 * The Redis 7 ACL rules of one host's user (after `reset`, so nothing is inherited):
 * - its own command queue (every key BullMQ keeps for it, jobs included): the data commands a BullMQ
 *   worker needs, keyless commands that would reveal or change other keys (SCAN, pub/sub, functions,
 *   administration) removed;
 * - a selector for its two outbox streams: XADD only, write-only key access (it cannot read them
 *   back, nor delete or trim what the engine has not relayed yet).
 * Nothing else: not another host's queue or outbox, not the shared heartbeat/report queues.
 */
export function agentAclRules(prefix: string, hostId: string, passwordSha256: string): string[] {
  const queueKeys = `~${prefix}:${commandQueueName(hostId)}:*`;
  const outbox = (kind: 'heartbeats' | 'reports') => `%W~${agentOutboxKey(prefix, hostId, kind)}`;
  return [
    'reset',
    'on',
    `#${passwordSha256}`,
    'resetchannels',
    queueKeys,
    '+@all',
    '-@admin',
    '-@dangerous',
    '-@pubsub',
    '-scan',
    '-randomkey',
    '-function',
    '-fcall',
    '-fcall_ro',
    '-script|flush',
    '-script|kill',
    // What BullMQ and ioredis ask at connect: server version, connection name.
    '+info',
    '+client|setname',
    '+client|getname',
    '+client|id',
    `(${outbox('heartbeats')} ${outbox('reports')} +xadd)`,
  ];
}
