// Builds the charts of `mercato report` into one classic script, dist/report.js, that the
// C++ side embeds in the binary and inlines in each report (docs/report.md): no module
// loader, no separate CSS file, nothing fetched when the report is opened offline.
import { defineConfig } from 'vite';

export default defineConfig({
  logLevel: 'warn',
  // Library mode leaves `process.env.NODE_ENV` in the code (ECharts reads it); a page has no
  // `process`.
  define: { 'process.env.NODE_ENV': JSON.stringify('production') },
  build: {
    outDir: 'dist',
    emptyOutDir: true,
    target: 'es2020',
    minify: true,
    reportCompressedSize: false,
    chunkSizeWarningLimit: 4096,
    lib: {
      entry: 'src/report.js',
      name: 'mercatoReport',
      formats: ['iife'],
      fileName: () => 'report.js',
    },
  },
});
