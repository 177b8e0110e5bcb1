// The layering of ARCHITECTURE.md, checked on every run: each runtime imports only what it can run.
import { readdirSync, readFileSync, statSync } from 'node:fs';
import { join, relative } from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';

const SRC = fileURLToPath(new URL('../../src/', import.meta.url));

function sources(dir: string): string[] {
  return readdirSync(dir).flatMap((name) => {
    const path = join(dir, name);
    return statSync(path).isDirectory() ? sources(path) : /\.(ts|vue)$/.test(name) ? [path] : [];
  });
}

/** Runtime imports of a file (type-only imports are erased and do not count). */
function runtimeImports(file: string): string[] {
  const text = readFileSync(file, 'utf8');
  const specs: string[] = [];
  for (const m of text.matchAll(/^\s*import\s+(?!type\b)(?:[^'"]*?from\s+)?['"]([^'"]+)['"]/gm)) specs.push(m[1]);
  for (const m of text.matchAll(/\bimport\(\s*['"]([^'"]+)['"]\s*\)/g)) specs.push(m[1]);
  for (const m of text.matchAll(/\brequire\(\s*['"]([^'"]+)['"]\s*\)/g)) specs.push(m[1]);
  return specs;
}

function violations(folder: string, forbidden: RegExp): string[] {
  return sources(join(SRC, folder)).flatMap((file) =>
    runtimeImports(file)
      .filter((spec) => forbidden.test(spec))
      .map((spec) => `${relative(SRC, file)} imports ${spec}`),
  );
}

describe('architecture', () => {
  it('keeps the core plain Node: no electron, no UI, no renderer code', () => {
    expect(violations('main/core', /^(electron|vue|pinia|cesium|element-plus)$|renderer\//)).toEqual([]);
  });
  it('keeps the browser host free of electron', () => {
    expect(violations('main/host', /^electron$/)).toEqual([]);
  });
  it('keeps the shared contract free of Node, DOM and electron', () => {
    expect(violations('shared', /^(node:|electron$|vue$|cesium$)|\/main\/|\/renderer\//)).toEqual([]);
  });
  it('keeps the renderer away from Node and the core', () => {
    expect(violations('renderer', /^(node:|electron$|sqlite3$|ws$)|\/main\//)).toEqual([]);
  });
  it('lets only the Electron shell and the preload import electron', () => {
    const importers = sources(SRC)
      .filter((f) => runtimeImports(f).includes('electron'))
      .map((f) => relative(SRC, f).split('\\').join('/'))
      .sort();
    expect(importers).toEqual(['main/index.ts', 'preload/index.ts']);
  });
});
