import { cleanup, render, screen } from '@testing-library/react';
import { afterEach, expect, it } from 'vitest';
import { LineChart } from './LineChart';

afterEach(cleanup);

it('draws the points with an accessible name and a summary for screen readers', () => {
  render(
    <LineChart
      title="Host CPU use"
      points={[
        { t: 0, v: 10 },
        { t: 60_000, v: 30 },
        { t: 120_000, v: 20 },
      ]}
      max={100}
      format={(v) => `${v}%`}
    />,
  );
  const img = screen.getByRole('img', {
    name: /Host CPU use.*Latest 20%; lowest 10%, highest 30% over 3 samples \(2 min\)/,
  });
  expect(img.getAttribute('data-points')).toBe('3');
  expect(img.querySelector('path.chart-line')?.getAttribute('d')).toMatch(/^M0\.0 /);
});

it('says so when there is nothing to draw', () => {
  render(<LineChart title="VM CPU use" points={[]} format={String} emptyText="No samples yet." />);
  expect(screen.getByRole('img', { name: /VM CPU use.*No samples yet\./ })).toBeTruthy();
  expect(document.querySelector('path.chart-line')).toBeNull();
});
