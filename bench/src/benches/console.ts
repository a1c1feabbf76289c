import type { Benchmark } from '../lib/types';

/** Benchmark 6 — placeholder until the browser console proxy exists (issue 8).
 * Plan: open the engine's console WebSocket for a running guest and measure time to the RFB
 * handshake and first framebuffer update, and throughput of a full-screen update, vs Debian's
 * websockify bridging the same VNC port. Replace this file with one that has `run()`. */
export const consoleBench: Benchmark = {
  name: 'console',
  title: '6. Browser console vs websockify',
  description:
    "Time from the console request to the first framebuffer update through the engine's WebSocket proxy, against `websockify` bridging the same guest's VNC port directly.",
  needs: 'the browser console (issue 8)',
};
