import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { migrateArgs, parseDomjobinfo, parseSize } from './migration';

const fx = (f: string) => readFileSync(join(__dirname, '..', '__fixtures__', f), 'utf8');
const MiB = 1024 * 1024;

describe('migration operations', () => {
  it('parses sizes with units', () => {
    expect(parseSize('12.527 MiB')).toBe(Math.round(12.527 * MiB));
    expect(parseSize('0.000 B')).toBe(0);
    expect(parseSize('5.010 MiB/s')).toBe(Math.round(5.01 * MiB));
    expect(parseSize('1.5 GiB')).toBe(1.5 * 1024 * MiB);
    expect(parseSize('bogus')).toBeUndefined();
  });

  it('parses domjobinfo of a running migration', () => {
    const info = parseDomjobinfo(fx('domjobinfo-migrating.txt'));
    expect(info.jobType).toBe('Unbounded');
    expect(info.operation).toBe('Outgoing migration');
    expect(info.elapsedMs).toBe(2984);
    expect(info.dataRemaining).toBe(Math.round(107.945 * MiB));
    expect(info.dataTotal).toBe(Math.round(128.508 * MiB));
    expect(info.iteration).toBe(1);
    expect(info.dirtyRate).toBe(0);
    expect(info.downtimeMs).toBeUndefined();
  });

  it('parses completed statistics', () => {
    const info = parseDomjobinfo(fx('domjobinfo-completed.txt'));
    expect(info.jobType).toBe('Completed');
    expect(info.downtimeMs).toBe(169);
    expect(info.totalMs).toBe(589);
    expect(info.dataProcessed).toBe(Math.round(60.55 * MiB));
  });

  it('builds an argument array from the options', () => {
    const args = migrateArgs('0b6f0c7a-0000-4000-8000-000000000001', 'qemu+tcp://10.0.0.2/system', {
      maxBandwidthMiBps: 5,
      maxDowntimeMs: 300,
      autoConverge: true,
      postcopy: 'immediate',
      compressed: false,
      storage: 'copy-all',
      unsafe: true,
      abortOnNoProgressSeconds: 30,
      maxTotalSeconds: 600,
      progressIntervalMs: 500,
      tls: true,
    });
    expect(args).toEqual([
      'migrate',
      '--live',
      '--p2p',
      '--persistent',
      '--undefinesource',
      '--abort-on-error',
      '--unsafe',
      '--auto-converge',
      '--postcopy',
      '--postcopy-after-precopy',
      '--bandwidth',
      '5',
      '--copy-storage-all',
      '--tls',
      '--domain',
      '0b6f0c7a-0000-4000-8000-000000000001',
      '--desturi',
      'qemu+tcp://10.0.0.2/system',
    ]);
  });
});
