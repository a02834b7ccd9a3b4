import { fileURLToPath } from 'node:url';
import { defineConfig } from 'vite';
import react from '@vitejs/plugin-react';

/** The renderer (staff UI). Built into out/renderer, served by the Electron app:// scheme and by the LAN host. */
export default defineConfig({
  root: fileURLToPath(new URL('.', import.meta.url)),
  // Relative asset URLs: the same build is served from app://renderer/ and from http://<host>:8080/.
  base: './',
  plugins: [react()],
  build: {
    outDir: '../out/renderer',
    emptyOutDir: true,
    // One bundle served from the local disk or the site LAN, never over the internet: size is not a concern.
    chunkSizeWarningLimit: 2000,
  },
  server: {
    proxy: {
      '/rpc': { target: 'http://127.0.0.1:8080' },
      '/ws': { target: 'http://127.0.0.1:8080', ws: true },
    },
  },
});
