import { afterAll, beforeAll } from 'vitest';

/** jsdom lays nothing out, so a virtual table sees a 0-pixel viewport and renders no rows; tests
 * that read rows give every element a screen-sized client box. */
export function giveTablesASize(height = 800): void {
  const saved = ['clientHeight', 'clientWidth'].map(
    (k) => [k, Object.getOwnPropertyDescriptor(Element.prototype, k)] as const,
  );
  beforeAll(() => {
    Object.defineProperty(Element.prototype, 'clientHeight', { configurable: true, get: () => height });
    Object.defineProperty(Element.prototype, 'clientWidth', { configurable: true, get: () => 1200 });
  });
  afterAll(() => {
    for (const [k, d] of saved) if (d) Object.defineProperty(Element.prototype, k, d);
  });
}
