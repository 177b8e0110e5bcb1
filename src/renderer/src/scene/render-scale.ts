// Where WebGL is drawn by the CPU (SwiftShader, llvmpipe: a command-room PC without a usable GPU, a virtual
// desktop), one full-resolution frame of the airport costs a quarter of a second of both cores and the whole
// console lags behind the operator. There the scene draws at a reduced resolution, markers and labels still
// legible, unless the operator asked for full resolution (localStorage `skyfence.render` = `full`).

/** The share of the canvas's pixels drawn on a software renderer: a frame in ~45 % of the time (measured, SwiftShader). */
export const SOFTWARE_RENDER_SCALE = 0.6;
export const RENDER_PREFERENCE_KEY = 'skyfence.render';

const SOFTWARE = /swiftshader|llvmpipe|softpipe|software|microsoft basic render/i;

/** The renderer's own name where the browser tells it (unmasked), else its generic one. */
export function rendererName(gl: WebGLRenderingContext | WebGL2RenderingContext): string {
  const info = gl.getExtension('WEBGL_debug_renderer_info');
  return String(gl.getParameter(info ? info.UNMASKED_RENDERER_WEBGL : gl.RENDERER) ?? '');
}

export function isSoftwareRenderer(name: string): boolean {
  return SOFTWARE.test(name);
}

/** The resolution scale for a renderer and the operator's preference (`full` or anything else for automatic). */
export function renderScaleFor(name: string, preference: string | null): number {
  return preference !== 'full' && isSoftwareRenderer(name) ? SOFTWARE_RENDER_SCALE : 1;
}
