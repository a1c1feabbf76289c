import { readFile } from 'node:fs/promises';
import { loadavg } from 'node:os';

/**
 * The host's 1-minute load average, as heartbeats report it: the kernel's, or the first field of
 * `file` (in /proc/loadavg's format) when one is configured. Lab hosts share one kernel, so the load
 * the kernel gives is the same machine-wide figure on each; a file of its own lets a lab host report
 * a load of its own. A file that cannot be read or parsed falls back to the kernel's figure.
 */
export function loadAverageReader(
  file?: string,
  kernel: () => number = () => loadavg()[0] ?? 0,
): () => Promise<number> {
  if (!file) return () => Promise.resolve(kernel());
  return async () => {
    const text = await readFile(file, 'utf8').catch(() => '');
    const load1 = Number.parseFloat(text.trim().split(/\s+/)[0] ?? '');
    return Number.isFinite(load1) && load1 >= 0 ? load1 : kernel();
  };
}
