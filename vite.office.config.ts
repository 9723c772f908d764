import react from '@vitejs/plugin-react';
import { fileURLToPath } from 'node:url';
import { defineConfig } from 'vite';

/**
 * Builds head office's app into dist/office, served by the cloud API at
 * /office/ (cloud-worker/routes/office/static.ts) under a strict CSP: no
 * inline scripts or styles, so the build must not emit any.
 */
export default defineConfig({
  root: fileURLToPath(new URL('./cloud-worker/office/web', import.meta.url)),
  base: '/office/',
  plugins: [react()],
  build: {
    outDir: fileURLToPath(new URL('./dist/office', import.meta.url)),
    emptyOutDir: true,
    target: 'chrome120',
    // One request less is not worth an inline script the CSP would block.
    modulePreload: { polyfill: false },
    assetsInlineLimit: 0,
    chunkSizeWarningLimit: 1024,
  },
});
