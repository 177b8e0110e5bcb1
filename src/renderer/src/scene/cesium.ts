// Cesium's prebuilt bundle is loaded by a <script> tag in index.html (see vite.renderer.config.ts);
// this module hands it to the rest of the renderer with its types.
import type * as CesiumModule from 'cesium';

declare global {
  interface Window {
    Cesium: typeof CesiumModule;
  }
}

export const Cesium = window.Cesium;
export type { CesiumModule };
