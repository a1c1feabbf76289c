import react from '@vitejs/plugin-react';
import { defineConfig } from 'vitest/config';

const engine = process.env.KELPIE_ENGINE_URL ?? 'http://127.0.0.1:8080';

export default defineConfig({
  plugins: [react()],
  server: { proxy: { '/api': { target: engine, changeOrigin: true, ws: true } } },
  build: { outDir: 'dist', sourcemap: true },
  test: {
    environment: 'jsdom',
    include: ['src/**/*.test.{ts,tsx}'],
    setupFiles: ['src/test-setup.ts'],
    // A dialog test renders, types and waits through react-query in jsdom: 2-3 s on a quiet machine,
    // so vitest's 5 s default fails them on a slower CI machine without anything being wrong.
    testTimeout: 20_000,
  },
});
