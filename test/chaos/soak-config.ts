import { seedFromEnv } from './prng';

/** The soak's size, from the environment. CI mode (nothing set): ≈2.5 minutes of soak on 2 hosts with
 * 3 guests. Manual: e.g. `KELPIE_CHAOS_MINUTES=30 KELPIE_CHAOS_VMS=4`. */
export interface SoakConfig {
  seed: number;
  mode: 'ci' | 'manual';
  soakMs: number;
  /** Upper bound on operations (default: no bound but the time). */
  maxOps: number;
  vms: number;
  maxVms: number;
  workers: number;
  /** Each round: operations and 1–2 faults, then a checkpoint (inventory equals libvirt). */
  roundMs: number;
  writeDocs: boolean;
  /** Only these faults (KELPIE_CHAOS_FAULTS=redis_restart,postgres_restart); default: every available one. */
  faults?: string[];
  /** The lab (KELPIE_CHAOS_LAB / KELPIE_CHAOS_SUBNET, default kqf1 on 10.121.0.0/24): parallel runs
   * on one machine each take their own. */
  lab: { labName: string; subnet: number };
}

const num = (v: string | undefined, fallback: number) =>
  v && Number.isFinite(Number(v)) ? Number(v) : fallback;

export function soakConfig(env = process.env): SoakConfig {
  const manual = env.KELPIE_CHAOS_MINUTES !== undefined;
  const vms = num(env.KELPIE_CHAOS_VMS, 3);
  return {
    seed: seedFromEnv(env.KELPIE_CHAOS_SEED),
    mode: manual ? 'manual' : 'ci',
    soakMs: Math.round(num(env.KELPIE_CHAOS_MINUTES, 2.5) * 60_000),
    maxOps: num(env.KELPIE_CHAOS_OPS, Number.MAX_SAFE_INTEGER),
    vms,
    maxVms: vms + 2,
    workers: num(env.KELPIE_CHAOS_WORKERS, 2),
    roundMs: num(env.KELPIE_CHAOS_ROUND_SECONDS, 30) * 1000,
    writeDocs: env.KELPIE_CHAOS_WRITE_DOCS === '1',
    faults: env.KELPIE_CHAOS_FAULTS?.split(',')
      .map((f) => f.trim())
      .filter(Boolean),
    lab: { labName: env.KELPIE_CHAOS_LAB || 'kqf1', subnet: num(env.KELPIE_CHAOS_SUBNET, 121) },
  };
}
