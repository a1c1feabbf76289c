import { cleanup, render, screen } from '@testing-library/react';
import { afterEach, expect, it } from 'vitest';
import { MaintenanceMessage } from './MaintenanceMessage';

afterEach(cleanup);

it('counts running and stopped VMs apart (3 VMs of which 1 stopped: 2 are live-migrated)', () => {
  render(<MaintenanceMessage hostName="h1" total={3} stopped={1} />);
  const text = screen.getByText(/No new VMs/).textContent ?? '';
  expect(text).toContain('Its 2 running VMs are live-migrated to the other hosts of the cluster');
  expect(text).toContain('Its 1 stopped VM stays defined here and start');
  expect(text).not.toMatch(/\b3\b/);
});

it('says plainly when nothing runs there', () => {
  render(<MaintenanceMessage hostName="h1" total={2} stopped={2} />);
  const text = screen.getByText(/No new VMs/).textContent ?? '';
  expect(text).toContain('No VM runs on it');
  expect(text).toContain('Its 2 stopped VMs stay defined here');
});
