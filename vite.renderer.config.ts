// The renderer build, shared by the browser host (out/renderer) and electron-vite's renderer section.
// Cesium is not re-bundled: its prebuilt Cesium.js and assets are copied beside the app and loaded by a
// script tag (bundling its 4 MB again costs a minute on a 2-core machine and gains nothing offline).
import { cpSync, existsSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import vue from '@vitejs/plugin-vue';
import { defineConfig, type Plugin, type UserConfig } from 'vite';

const CESIUM_BUILD = fileURLToPath(new URL('./node_modules/cesium/Build/Cesium/', import.meta.url));
export const RENDERER_ROOT = fileURLToPath(new URL('./src/renderer/', import.meta.url));
export const RENDERER_OUT = fileURLToPath(new URL('./out/renderer/', import.meta.url));

/**
 * Copies Cesium's built library, workers, assets and widgets to <outDir>/cesium, and loads them from the page
 * (tags added after Vite's own HTML processing, which would otherwise try to bundle them).
 */
export function cesiumAssets(outDir: string): Plugin {
  return {
    name: 'skyfence-cesium-assets',
    apply: 'build',
    transformIndexHtml: {
      order: 'post',
      handler: () => [
        { tag: 'link', attrs: { rel: 'stylesheet', href: './cesium/Widgets/widgets.css' }, injectTo: 'head' },
        { tag: 'script', attrs: { src: './cesium/Cesium.js' }, injectTo: 'head' },
      ],
    },
    closeBundle() {
      if (!existsSync(CESIUM_BUILD)) throw new Error('cesium is not installed: run npm ci');
      for (const part of ['Cesium.js', 'Workers', 'Assets', 'ThirdParty', 'Widgets']) {
        cpSync(`${CESIUM_BUILD}${part}`, `${outDir}/cesium/${part}`, { recursive: true });
      }
    },
  };
}

export const rendererConfig: UserConfig = {
  root: RENDERER_ROOT,
  base: './',
  plugins: [vue(), cesiumAssets(RENDERER_OUT)],
  build: { outDir: RENDERER_OUT, emptyOutDir: true, chunkSizeWarningLimit: 2000, target: 'es2022' },
};

export default defineConfig(rendererConfig);
