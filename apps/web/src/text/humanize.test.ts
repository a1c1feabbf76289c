import { expect, it } from 'vitest';
import { fieldLabel, humanizeApiText, taskTypeLabel, valueLabel } from './humanize';

it('enum values, task types and field names read as words', () => {
  expect(valueLabel('preparing_for_maintenance')).toBe('preparing for maintenance');
  expect(valueLabel('non_responsive')).toBe('not responding');
  expect(taskTypeLabel('vm.make-template')).toBe('VM make template');
  expect(taskTypeLabel('host.evacuate')).toBe('Host evacuate');
  expect(fieldLabel('datacenterId')).toBe('datacenter');
  expect(fieldLabel('nics.0.networkId')).toBe('NICs #1 network');
  expect(fieldLabel('maxMemoryMib')).toBe('max memory (MiB)');
  expect(humanizeApiText('targetHostId: host is in maintenance')).toBe('target host: host is in maintenance');
});

it('migration policy fields read as words with their units', () => {
  expect(humanizeApiText('maxDowntimeMs must not be less than 10')).toBe(
    'max downtime (ms) must not be less than 10',
  );
  expect(humanizeApiText('invalid input: migrationPolicy.maxBandwidthMiBps')).toBe(
    'invalid input: migration policy max bandwidth (MiB/s)',
  );
});
