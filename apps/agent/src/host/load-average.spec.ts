import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { loadavg, tmpdir } from 'node:os';
import { join } from 'node:path';
import { loadAverageReader } from './load-average';

describe('loadAverageReader', () => {
  let dir: string;
  beforeAll(async () => {
    dir = await mkdtemp(join(tmpdir(), 'kelpie-loadavg-'));
  });
  afterAll(() => rm(dir, { recursive: true, force: true }));

  it("reads the first field of a /proc/loadavg-format file, each read seeing the file's current value", async () => {
    const file = join(dir, 'loadavg');
    await writeFile(file, '0.25 0.50 0.75 1/120 4242\n');
    const read = loadAverageReader(file);
    expect(await read()).toBe(0.25);
    await writeFile(file, '3.5 0.50 0.75 1/120 4242\n');
    expect(await read()).toBe(3.5);
  });

  it("is the kernel's figure without a file, or when the file is missing or unparsable", async () => {
    const kernel = () => 9.5;
    expect(await loadAverageReader(undefined, kernel)()).toBe(9.5);
    expect(await loadAverageReader(join(dir, 'missing'), kernel)()).toBe(9.5);
    const junk = join(dir, 'junk');
    await writeFile(junk, 'not a load\n');
    expect(await loadAverageReader(junk, kernel)()).toBe(9.5);
    // The default is the kernel's own figure.
    expect(Math.abs((await loadAverageReader()()) - loadavg()[0]!)).toBeLessThan(1);
  });
});
