import react from '@vitejs/plugin-react';
import { defineConfig } from 'vitest/config';

const engine = process.env.KELPIE_ENGINE_URL ?? 'http://127.0.0.1:8080';

export default defineConfig({
  plugins: [react()],
  server: { proxy: { '/api': { target: engine, changeOrigin: true, ws: true } } },
  build: { outDir: 'dist', sourcemap: true },
  test: { environment: 'jsdom', include: ['src/**/*.test.{ts,tsx}'] },
});
