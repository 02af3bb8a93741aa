// What every page script of mercato shares (vite.config.js: the report's charts,
// vite.explorer.config.js: the explorer's page): one classic script (IIFE), no module loader,
// no separate CSS file, nothing fetched when the page opens; the C++ side embeds it.
export function pageScript({ entry, name, fileName, outDir }) {
  return {
    logLevel: 'warn',
    // Library mode leaves `process.env.NODE_ENV` in the code (ECharts reads it); a page has no
    // `process`.
    define: { 'process.env.NODE_ENV': JSON.stringify('production') },
    build: {
      outDir,
      emptyOutDir: true,
      target: 'es2020',
      minify: true,
      reportCompressedSize: false,
      chunkSizeWarningLimit: 4096,
      lib: { entry, name, formats: ['iife'], fileName: () => fileName },
    },
  };
}
