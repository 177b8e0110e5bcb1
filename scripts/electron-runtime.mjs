// Where the Electron runtime is installed, without triggering its download (requiring the `electron`
// package downloads the binary on first use, which fails on an offline machine).
import { existsSync, readFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { createRequire } from 'node:module';

/** @returns {string | null} the Electron executable, or null where it is not installed */
export function installedElectron() {
  let pkgDir;
  try {
    pkgDir = dirname(createRequire(import.meta.url).resolve('electron/package.json'));
  } catch {
    return null;
  }
  const pathFile = join(pkgDir, 'path.txt');
  if (!existsSync(pathFile)) return null;
  const relative = readFileSync(pathFile, 'utf8').trim();
  const dist = process.env.ELECTRON_OVERRIDE_DIST_PATH ?? join(pkgDir, 'dist');
  const executable = join(dist, relative);
  return existsSync(executable) ? executable : null;
}
