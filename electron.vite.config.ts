// electron-vite: the Electron shell (main), the sandboxed preload (CommonJS) and the renderer.
// The browser host needs only the renderer, built by vite.renderer.config.ts (`npm run build`).
import { defineConfig } from 'electron-vite';
import { rendererConfig } from './vite.renderer.config.ts';

export default defineConfig({
  main: {
    build: {
      outDir: 'out/main',
      rollupOptions: { input: 'src/main/index.ts', output: { format: 'cjs', entryFileNames: '[name].cjs' } },
    },
  },
  preload: {
    build: {
      outDir: 'out/preload',
      rollupOptions: { input: 'src/preload/index.ts', output: { format: 'cjs', entryFileNames: '[name].cjs' } },
    },
  },
  renderer: rendererConfig,
});
