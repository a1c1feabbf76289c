import { loadSnapshot } from './machine';

/**
 * Runs `rounds` rounds of a baseline and Kelpie, alternating which goes first (so neither always
 * runs right after the other and machine load hits both alike), with a warm-up round first and
 * the load average sampled every 5 rounds.
 */
export async function interleave<B, K>(
  rounds: number,
  baseline: () => Promise<B>,
  kelpie: () => Promise<K>,
  onRound: (i: number, b: B, k: K) => void,
  afterWarmUp?: () => void,
): Promise<{ baseline: B[]; kelpie: K[]; loads: number[] }> {
  await baseline();
  await kelpie();
  afterWarmUp?.();
  const out = { baseline: [] as B[], kelpie: [] as K[], loads: [] as number[] };
  for (let i = 0; i < rounds; i++) {
    if (i % 2 === 0) {
      out.baseline.push(await baseline());
      out.kelpie.push(await kelpie());
    } else {
      out.kelpie.push(await kelpie());
      out.baseline.push(await baseline());
    }
    if (i % 5 === 0) out.loads.push((await loadSnapshot(200)).loadavg1);
    onRound(i, out.baseline[i], out.kelpie[i]);
  }
  return out;
}
