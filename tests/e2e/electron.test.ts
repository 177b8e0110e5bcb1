// The Electron shell, driven by Playwright's _electron where the Electron runtime is installed.
// Electron downloads its binary on first use, which this network does not allow: here the test is skipped
// and says so; the same renderer and contract are covered through the browser host in console.test.ts.
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { _electron as electron } from 'playwright-core';
import { E2E_PASSWORD } from './harness.ts';
import { installedElectron } from '../../scripts/electron-runtime.mjs';

const binary = installedElectron();
if (!binary) console.warn('SKIPPED: Electron shell tests — the Electron runtime is not installed on this machine (it cannot be downloaded here).');

describe.skipIf(!binary)('Electron shell', () => {
  it('opens the console window with context isolation and the preload contract', async () => {
    const dataDir = mkdtempSync(join(tmpdir(), 'skyfence-electron-'));
    const app = await electron.launch({
      executablePath: binary!,
      args: ['.', '--data-dir', dataDir, '--demo'],
      env: { ...process.env, SKYFENCE_ADMIN_PASSWORD: E2E_PASSWORD },
    });
    try {
      const page = await app.firstWindow();
      await page.locator('input[name=username]').waitFor();
      expect(await page.evaluate(() => typeof (window as unknown as { require?: unknown }).require)).toBe('undefined');
      expect(await page.evaluate(() => Object.keys((window as unknown as { skyfence: object }).skyfence).sort())).toEqual(['call', 'on']);
      await page.locator('input[name=username]').fill('duty');
      await page.locator('input[name=password]').fill(E2E_PASSWORD);
      await page.locator('[data-testid=login-form] button[type=submit]').click();
      await page.locator('[data-testid=alarm-panel]').waitFor();
    } finally {
      await app.close();
      rmSync(dataDir, { recursive: true, force: true });
    }
  });
});
