// The scene's resolution on a software renderer: reduced where a frame would cost a quarter second, full on a GPU
// and wherever the operator asked for it.
import { describe, expect, it } from 'vitest';
import { isSoftwareRenderer, renderScaleFor, SOFTWARE_RENDER_SCALE } from '../../src/renderer/src/scene/render-scale.ts';

const SWIFTSHADER = 'ANGLE (Google, Vulkan 1.3.0 (SwiftShader Device (Subzero) (0x0000C0DE)), SwiftShader driver)';
const LLVMPIPE = 'llvmpipe (LLVM 15.0.6, 256 bits)';
const BASIC = 'ANGLE (Microsoft, Microsoft Basic Render Driver Direct3D11 vs_5_0 ps_5_0)';
const NVIDIA = 'ANGLE (NVIDIA, NVIDIA GeForce RTX 3060 Direct3D11 vs_5_0 ps_5_0, D3D11)';
const INTEL = 'Mesa Intel(R) UHD Graphics 630 (CFL GT2)';

describe('render scale', () => {
  it('knows the software renderers of Chromium, Mesa and Windows from the GPUs', () => {
    for (const name of [SWIFTSHADER, LLVMPIPE, BASIC]) expect(isSoftwareRenderer(name), name).toBe(true);
    for (const name of [NVIDIA, INTEL, 'WebKit WebGL', '']) expect(isSoftwareRenderer(name), name).toBe(false);
  });

  it('draws at the reduced scale on software only, and at full scale when the operator asks', () => {
    expect(SOFTWARE_RENDER_SCALE).toBeGreaterThan(0.4);
    expect(SOFTWARE_RENDER_SCALE).toBeLessThan(1);
    expect(renderScaleFor(SWIFTSHADER, null)).toBe(SOFTWARE_RENDER_SCALE);
    expect(renderScaleFor(LLVMPIPE, 'auto')).toBe(SOFTWARE_RENDER_SCALE);
    expect(renderScaleFor(SWIFTSHADER, 'full')).toBe(1);
    expect(renderScaleFor(NVIDIA, null)).toBe(1);
  });
});
