import type { ApiResponse } from '../support/engine';

export const V1 = '/api/v1';

export interface ChaosHost {
  /** Lab host name (h1, h2). */
  name: string;
  uri: string;
  /** The engine's host id. */
  id: string;
}

/** What the driver, the faults and the invariant checker share: the primary engine's API and the
 * lab's hosts and shared storage. */
export interface ChaosWorld {
  api(method: string, path: string, body?: unknown): Promise<ApiResponse>;
  hosts: ChaosHost[];
  sharedDir: string;
  clusterId: string;
  sdId: string;
  networkId: string;
  guest: { kernel: string; initrd: string };
}

export interface Violation {
  kind: string;
  /** ISO time it was seen. */
  at: string;
  detail: string;
}

/** A finding of a known, not yet merged slice: printed and counted, not a failure. */
export interface Tolerated extends Violation {
  reason: string;
}

/** GET expecting 200; the body. */
export async function apiGet<T>(world: ChaosWorld, path: string): Promise<T> {
  const res = await world.api('GET', `${V1}${path}`);
  if (res.status !== 200) throw new Error(`GET ${path} → ${res.status} ${JSON.stringify(res.body)}`);
  return res.body as T;
}

export const sleep = (ms: number) => new Promise<void>((r) => setTimeout(r, ms));
