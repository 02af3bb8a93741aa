// Builds the page script of `mercato serve` (docs/explorer.md) into one classic script,
// dist-explorer/explorer.js, that the C++ side embeds in the binary like the report's
// (vite.config.js): the explorer page needs nothing but the server it comes from.
import { defineConfig } from 'vite';

export default defineConfig({
  logLevel: 'warn',
  define: { 'process.env.NODE_ENV': JSON.stringify('production') },
  build: {
    outDir: 'dist-explorer',
    emptyOutDir: true,
    target: 'es2020',
    minify: true,
    reportCompressedSize: false,
    chunkSizeWarningLimit: 4096,
    lib: {
      entry: 'src/explorer.js',
      name: 'mercatoExplorer',
      formats: ['iife'],
      fileName: () => 'explorer.js',
    },
  },
});
