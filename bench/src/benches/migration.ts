import type { Benchmark } from '../lib/types';

/** Benchmark 3 — placeholder until live migration through the API exists (issue 6).
 * Plan: two lab hosts, the tiny guest (idle and with kelpie.dirty_mib), migrate through the API vs
 * raw `virsh migrate --live` between the same hosts; total time, downtime (domjobinfo --completed),
 * ratio. Replace this file with one that has `run()`. */
export const migration: Benchmark = {
  name: 'migration',
  title: '3. Live migration through the API vs raw virsh migrate',
  description:
    'Time from the migrate request to the task finished and the VM running on the destination, and downtime, against raw `virsh migrate --live` of the same guest between the same lab hosts.',
  needs: 'live migration through the API (issue 6)',
};
