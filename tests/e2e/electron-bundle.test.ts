// The Electron shell's bundles, built by `npm run build:electron` before the tests: checks that hold even
// where the Electron runtime cannot run. A sandboxed preload can require only 'electron'.
import { existsSync, readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';

const read = (path: string) => readFileSync(new URL(`../../${path}`, import.meta.url), 'utf8');
const requires = (code: string) => [...code.matchAll(/\brequire\(\s*["']([^"']+)["']\s*\)/g)].map((m) => m[1]);

describe('Electron bundles', () => {
  it('builds a preload that needs nothing but electron (sandboxed preloads cannot load packages)', () => {
    expect(existsSync(new URL('../../out/preload/index.cjs', import.meta.url))).toBe(true);
    expect([...new Set(requires(read('out/preload/index.cjs')))]).toEqual(['electron']);
    expect(read('out/preload/index.cjs')).toContain('exposeInMainWorld("skyfence"');
  });

  it('builds a main process that turns on isolation and the sandbox', () => {
    const main = read('out/main/index.cjs');
    expect(main).toMatch(/contextIsolation:\s*true/);
    expect(main).toMatch(/sandbox:\s*true/);
    expect(main).toMatch(/nodeIntegration:\s*false/);
    expect(main).toContain('setWindowOpenHandler');
  });
});
