// The Electron shell's hardening. The Electron runtime cannot be installed on every machine that runs the
// tests (it cannot be downloaded here), so these read the main process's source: no auxclick, and quitting
// waits for the core to close. The packaged binary's fuses are applied by scripts/electron-fuses.mjs, and
// with RunAsNode off the simulators must not be spawned on Electron's binary.
import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { simulatorNode } from '../../src/main/core/sources/simulator-process.ts';
import { FUSES } from '../../scripts/electron-fuses.mjs';

const main = readFileSync(new URL('../../src/main/index.ts', import.meta.url), 'utf8');

/** The source of the function passed to app.on(event, …). */
function handler(event: string): string {
  const at = main.indexOf(`app.on('${event}', `);
  expect(at, `src/main/index.ts has no app.on('${event}', …)`).toBeGreaterThan(-1);
  let depth = 0;
  for (let i = main.indexOf('(', at); i < main.length; i++) {
    if (main[i] === '(') depth++;
    if (main[i] === ')' && --depth === 0) return main.slice(at, i + 1);
  }
  throw new Error(`app.on('${event}', …) is not closed`);
}

describe('Electron shell (source checks: the Electron runtime cannot run here)', () => {
  it('turns off auxclick (middle-click) in every window', () => {
    const prefs = /const webPreferences = \(\) => \(\{([^}]*)\}\)/.exec(main)?.[1] ?? '';
    expect(prefs).toMatch(/disableBlinkFeatures:\s*'Auxclick'/);
    expect(prefs).toMatch(/sandbox:\s*true/);
    expect(prefs).toMatch(/contextIsolation:\s*true/);
    // Every window (the console, the video wall) is made with those preferences and no others.
    const uses = [...main.matchAll(/webPreferences:\s*([^,}\n]+)/g)].map((m) => m[1].trim());
    expect(uses.length).toBeGreaterThanOrEqual(2);
    for (const use of uses) expect(use).toBe('webPreferences()');
  });

  it('opens no window but the video wall', () => {
    expect(main).toMatch(/setWindowOpenHandler\(\(\{ url \}\) =>\s*url === WALL_URL/);
    expect(main).toMatch(/: \{ action: 'deny' \}/);
    expect(main).toContain("WALL_URL = `${ORIGIN}/index.html#/wall`");
  });

  it('holds the quit until the core has closed, or a timeout has passed, then exits', () => {
    const quit = handler('will-quit');
    expect(quit).toMatch(/\(event\)\s*=>/);
    expect(quit).toContain('event.preventDefault()');
    expect(quit).toMatch(/core\.close\(\)/);
    expect(quit).toMatch(/Promise\.race\(\[/);
    expect(quit).toMatch(/setTimeout\(/);
    expect(quit).toMatch(/app\.exit\(/);
  });

  it('runs simulators on a system Node under Electron (the RunAsNode fuse is off), on its own binary under Node', () => {
    expect(simulatorNode({ ...process.versions, electron: '45.4.1' }, {})).toBe('node');
    expect(simulatorNode({ ...process.versions, electron: '45.4.1' }, { SKYFENCE_NODE: '/opt/node/bin/node' })).toBe('/opt/node/bin/node');
    expect(simulatorNode(process.versions, {})).toBe(process.execPath);
  });

  it('packages with the fuses that close Node-style entry points and check the app archive', () => {
    expect(FUSES).toEqual({
      RunAsNode: false,
      EnableNodeOptionsEnvironmentVariable: false,
      EnableNodeCliInspectArguments: false,
      EnableEmbeddedAsarIntegrityValidation: true,
      OnlyLoadAppFromAsar: true,
      EnableCookieEncryption: true,
    });
  });
});
