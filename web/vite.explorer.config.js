// Builds the page script of `mercato serve` (docs/explorer.md) into one classic script,
// dist-explorer/explorer.js, that the C++ side embeds in the binary like the report's.
import { defineConfig } from 'vite';
import { pageScript } from './vite.shared.js';

export default defineConfig(pageScript({
  entry: 'src/explorer.js', name: 'mercatoExplorer', fileName: 'explorer.js', outDir: 'dist-explorer',
}));
