import { PROTOCOL_VERSION, type HeartbeatReport } from '@kelpie/shared-types';

/** A heartbeat as an agent sends it, for tests that speak for a host without running an agent. */
export function fakeHeartbeat(hostId: string): HeartbeatReport {
  return {
    kind: 'heartbeat',
    hostId,
    sentAt: new Date().toISOString(),
    protocolVersion: PROTOCOL_VERSION,
    agentVersion: 'test',
    bootId: 'boot-1',
    libvirtConnected: true,
  };
}
