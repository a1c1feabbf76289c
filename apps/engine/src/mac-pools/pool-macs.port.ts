import type { MacRange } from './mac-allocator';

/**
 * Which MACs NICs hold inside a pool's ranges. NICs sit above MAC pools (the NICs module imports this
 * one to allocate), so the pool cannot import the NIC repository: the NICs module provides this port
 * instead, and the MAC pools service looks it up when it needs it.
 */
export abstract class PoolMacsPort {
  /** MACs of NICs (of any datacenter: a MAC is unique everywhere) inside the ranges. */
  abstract macsIn(ranges: MacRange[]): Promise<Set<string>>;
}
