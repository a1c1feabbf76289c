import type { ValueTransformer } from 'typeorm';

/** bigint columns come back from pg as strings; sizes stay below 2^53 so numbers are exact. */
export const bigintNumber: ValueTransformer = {
  to: (v: number | null | undefined) => v,
  from: (v: string | null) => (v === null ? null : Number(v)),
};

/** The entity form of an API shape: timestamps are Dates in the engine, ISO strings on the wire. */
export type Persisted<T, D extends keyof T> = Omit<T, D> & {
  [K in D]: null extends T[K] ? Date | null : Date;
};

/** `col IN ('a','b')` for a CHECK constraint from a shared enum. */
export const inList = (column: string, values: readonly string[]) =>
  `"${column}" IN (${values.map((v) => `'${v}'`).join(', ')})`;
