import { defineConfig } from 'vite';

/**
 * The web console: Preact + TSX bundled by Vite into dist/console, which the service serves
 * at `/`. Nothing is inlined (the page's Content-Security-Policy allows only files from
 * its own origin) and nothing is fetched from another host at run time.
 */
export default defineConfig({
  root: import.meta.dirname,
  base: '/',
  oxc: { jsx: { runtime: 'automatic', importSource: 'preact' } },
  build: {
    outDir: '../dist/console',
    emptyOutDir: true,
    assetsInlineLimit: 0,
    modulePreload: { polyfill: false },
    target: 'es2022',
    sourcemap: false,
    reportCompressedSize: true,
  },
  logLevel: 'warn',
});
