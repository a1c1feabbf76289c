import { spawn } from 'node:child_process';
import { LabConfig } from './lab-config';

export type Forward = LabConfig['forwards'][number];

export function forwarderRole(forward: Forward): string {
  return `forward:${forward.port}`;
}

/** socat arguments: listen on the lab bridge address, relay to the root-namespace service. */
export function forwarderArgv(config: LabConfig, forward: Forward): string[] {
  return [
    'socat',
    `TCP-LISTEN:${forward.port},bind=${config.bridgeIp},reuseaddr,fork`,
    `TCP:${forward.targetHost}:${forward.targetPort}`,
  ];
}

/** Starts a detached socat forwarder and returns its pid. */
export function startForwarder(argv: readonly string[]): number {
  const [command, ...args] = argv;
  const child = spawn(command, args, { detached: true, stdio: 'ignore' });
  if (!child.pid) throw new Error(`could not start ${argv.join(' ')}`);
  child.unref();
  return child.pid;
}
