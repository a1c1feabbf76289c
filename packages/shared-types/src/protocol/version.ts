/** Bumped on any incompatible change of the engine↔agent contract. The engine refuses agents whose
 * major differs (host status `error` with the reason). */
export const PROTOCOL_VERSION = 1;

export function isCompatibleProtocol(agentVersion: number): boolean {
  return agentVersion === PROTOCOL_VERSION;
}
