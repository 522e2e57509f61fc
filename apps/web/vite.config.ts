import { defineConfig } from 'vite';

// The UI is served by the API from dist/ (apps/api/src/plugins/external/static.ts): everything bundled, no
// CDN. JSX compiles for Preact without a plugin (Vite's own transform, told where the runtime lives).
export default defineConfig({
  root: import.meta.dirname,
  base: '/',
  oxc: { jsx: { runtime: 'automatic', importSource: 'preact' } },
  build: { outDir: 'dist', emptyOutDir: true, assetsDir: 'assets', sourcemap: false, target: 'es2022' },
});
