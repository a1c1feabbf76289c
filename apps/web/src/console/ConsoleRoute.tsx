import { lazy, Suspense } from 'react';

// noVNC and xterm.js are large: they load only when a console page is opened.
const ConsolePage = lazy(() => import('./ConsolePage').then((m) => ({ default: m.ConsolePage })));

export function ConsoleRoute() {
  return (
    <Suspense fallback={<p className="page">Loading console…</p>}>
      <ConsolePage />
    </Suspense>
  );
}
