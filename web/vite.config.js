// Builds the charts of `mercato report` into one classic script, dist/report.js, that the
// C++ side embeds in the binary and inlines in each report (docs/report.md).
import { defineConfig } from 'vite';
import { pageScript } from './vite.shared.js';

export default defineConfig(pageScript({
  entry: 'src/report.js', name: 'mercatoReport', fileName: 'report.js', outDir: 'dist',
}));
