import { accessCheck } from './benches/access-check';
import { bigLists } from './benches/big-lists';
import { consoleBench } from './benches/console';
import { engineScale } from './benches/engine-scale';
import { migration } from './benches/migration';
import { stateLatency } from './benches/state-latency';
import { vmLifecycle } from './benches/vm-lifecycle';
import type { Benchmark } from './lib/types';

/** Every benchmark, in the order of docs/performance.md. A new one is a file in benches/ that
 * exports a Benchmark, plus one line here. */
export const BENCHMARKS: Benchmark[] = [
  vmLifecycle,
  stateLatency,
  migration,
  engineScale,
  bigLists,
  consoleBench,
  accessCheck,
];
