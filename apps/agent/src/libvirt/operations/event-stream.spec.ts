import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { EventLineAssembler } from './event-stream';
import { sampleFromJobCompleted } from './migration';
import type { VirshEvent } from '../mapping/parsers';

const fx = (f: string) => readFileSync(join(__dirname, '..', '__fixtures__', f), 'utf8');

describe('EventLineAssembler (virsh event --all, multi-line job-completed)', () => {
  afterEach(() => jest.useRealTimers());

  it('delivers one-line events at once and a job-completed event with its fields', () => {
    const events: VirshEvent[] = [];
    const other: string[] = [];
    const a = new EventLineAssembler({ onEvent: (e) => events.push(e), onOtherLine: (l) => other.push(l) });
    for (const line of fx('event-job-completed.txt').split('\n')) a.push(line);
    a.flush();
    expect(events.map((e) => `${e.event}:${e.detail ?? ''}`)).toEqual([
      "migration-iteration:iteration: '1'",
      'lifecycle:Suspended Migrated',
      'lifecycle:Stopped Migrated',
      'job-completed:',
      'lifecycle:Undefined Removed',
    ]);
    const done = events[3]!;
    expect(done).toMatchObject({ domain: 'kq-exp-00da', timestamp: '2026-11-26T01:07:46.338Z' });
    expect(done.params).toMatchObject({ downtime: '172', time_elapsed: '2830', memory_iteration: '3' });
    expect(Object.keys(done.params!)).toHaveLength(23);
    expect(other).toEqual([]);
  });

  it('ends a multi-line event after a quiet moment when no other event follows', () => {
    jest.useFakeTimers();
    const events: VirshEvent[] = [];
    const a = new EventLineAssembler({ onEvent: (e) => events.push(e) });
    a.push("event 'job-completed' for domain 'vm1':");
    a.push('\tdowntime: 12');
    expect(events).toEqual([]);
    jest.advanceTimersByTime(50);
    expect(events).toEqual([{ event: 'job-completed', domain: 'vm1', params: { downtime: '12' } }]);
  });

  it('maps job-completed fields to the job sample (bytes, ms, pages/s × page size)', () => {
    const params: Record<string, string> = {};
    for (const l of fx('event-job-completed.txt').split('\n')) {
      const m = /^\t(\w+): (.*)$/.exec(l);
      if (m) params[m[1]!] = m[2]!;
    }
    expect(sampleFromJobCompleted({ ...params, memory_dirty_rate: '10' })).toEqual({
      elapsedMs: 2830,
      totalMs: 2830,
      downtimeMs: 172,
      dataTotal: 134758400,
      dataProcessed: 63931802,
      dataRemaining: 0,
      memoryTotal: 134758400,
      memoryProcessed: 63931802,
      memoryRemaining: 0,
      memoryBandwidth: 134085313,
      dirtyRate: 40960,
      iteration: 3,
      postcopyRequests: 0,
      fileTotal: 0,
      fileProcessed: 0,
      fileRemaining: 0,
    });
  });
});
