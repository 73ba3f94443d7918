import { fileURLToPath } from 'node:url';
import { defineConfig } from 'vite';

const here = (path: string): string => fileURLToPath(new URL(path, import.meta.url));

/**
 * The web console's build: ui/ into dist/ui, served by the API server under /ui/. Files only (no inline
 * script or style, nothing from a CDN), so the strict Content-Security-Policy holds. JSX compiles to
 * Preact's automatic runtime with Vite's own transformer (no Babel).
 */
export default defineConfig({
  root: here('.'),
  base: '/ui/',
  publicDir: false,
  logLevel: 'warn',
  oxc: { jsx: { runtime: 'automatic', importSource: 'preact' } },
  // The SDK loads its NATS transport (Node-only) lazily for nats:// URLs; the console uses HTTP only.
  resolve: { alias: [{ find: /^\.\/nats-transport\.js$/, replacement: here('./src/no-nats.ts') }] },
  build: {
    outDir: here('../dist/ui'),
    emptyOutDir: true,
    // Never inline assets as data: URLs or scripts; the polyfill would be an inline-free module anyway, but unneeded.
    assetsInlineLimit: 0,
    modulePreload: { polyfill: false },
    sourcemap: false,
    target: 'es2022',
    reportCompressedSize: false,
  },
});
