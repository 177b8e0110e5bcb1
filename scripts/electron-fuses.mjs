#!/usr/bin/env node
// Electron fuses for the packaged Skyfence binary. Fuses are bits in the Electron executable, so they can only
// be flipped on the packaged copy, after packaging and before signing:
//   node scripts/electron-fuses.mjs <packaged executable, or Skyfence.app on macOS>
// or as electron-builder's `afterPack` hook (`"afterPack": "scripts/electron-fuses.mjs"`); with Electron Forge,
// give FUSES to @electron-forge/plugin-fuses instead. Needs the devDependency @electron/fuses.
//
// What the fuses close, and what the app must do because of them:
// - RunAsNode off: ELECTRON_RUN_AS_NODE no longer turns the signed binary into a general Node.js. The demo
//   simulators therefore run on a system Node (SKYFENCE_NODE, else `node` on PATH), never on Electron's binary:
//   src/main/core/sources/simulator-process.ts. Without a Node.js the console starts without them and says why.
//   (Electron's utilityProcess would avoid the system Node, but the core must not import electron.)
// - EnableNodeOptionsEnvironmentVariable off, EnableNodeCliInspectArguments off: no NODE_OPTIONS, no --inspect
//   into the main process (code injection by anyone who can set the environment or the command line).
// - OnlyLoadAppFromAsar on, EnableEmbeddedAsarIntegrityValidation on: the app loads only from app.asar, whose
//   integrity the packager embeds (electron-builder ≥ 24 and Forge do; validated on macOS and Windows).
//   The simulators are TypeScript run by a system Node through tsx, which cannot read inside app.asar:
//   package src/sim/**, src/shared/** and node_modules/tsx (with its dependencies) as asarUnpack.
// - EnableCookieEncryption on: cookies on disk encrypted with the OS keychain.
import { pathToFileURL } from 'node:url';
import { join } from 'node:path';

/** The fuse settings of the packaged binary. */
export const FUSES = Object.freeze({
  RunAsNode: false,
  EnableNodeOptionsEnvironmentVariable: false,
  EnableNodeCliInspectArguments: false,
  EnableEmbeddedAsarIntegrityValidation: true,
  OnlyLoadAppFromAsar: true,
  EnableCookieEncryption: true,
});

/**
 * Flips FUSES on a packaged Electron executable (or .app). On macOS arm64 an unsigned binary needs its ad-hoc
 * signature reset after flipping (`adHocSign`), else it will not start; a binary signed afterwards does not.
 * @param {string} executable
 * @param {{ adHocSign?: boolean }} [opts]
 */
export async function flipSkyfenceFuses(executable, opts = {}) {
  let fuses;
  try {
    fuses = await import('@electron/fuses');
  } catch {
    throw new Error('scripts/electron-fuses.mjs: the package @electron/fuses is not installed; add it to devDependencies (npm install --save-dev @electron/fuses) and package again');
  }
  const config = { version: fuses.FuseVersion.V1, resetAdHocDarwinSignature: Boolean(opts.adHocSign) };
  for (const [name, on] of Object.entries(FUSES)) {
    if (fuses.FuseV1Options[name] === undefined) throw new Error(`scripts/electron-fuses.mjs: this @electron/fuses does not know the fuse ${name}; update it`);
    config[fuses.FuseV1Options[name]] = on;
  }
  await fuses.flipFuses(executable, config);
}

/** electron-builder afterPack hook: the packaged executable is in context.appOutDir. */
export default async function afterPack(context) {
  const name = context.packager.appInfo.productFilename;
  const platform = context.electronPlatformName;
  const executable =
    platform === 'darwin' || platform === 'mas' ? join(context.appOutDir, `${name}.app`)
      : platform === 'win32' ? join(context.appOutDir, `${name}.exe`)
        : join(context.appOutDir, context.packager.executableName);
  // electron-builder's Arch enum: 3 is arm64. A signing step configured after this replaces the ad-hoc signature.
  await flipSkyfenceFuses(executable, { adHocSign: platform === 'darwin' && context.arch === 3 });
  console.log(`Skyfence: fuses flipped on ${executable}`);
}

if (process.argv[1] && import.meta.url === pathToFileURL(process.argv[1]).href) {
  const executable = process.argv[2];
  if (!executable) {
    console.error('usage: node scripts/electron-fuses.mjs <packaged Electron executable, or the .app on macOS>');
    process.exit(2);
  }
  flipSkyfenceFuses(executable, { adHocSign: process.argv.includes('--ad-hoc-sign') }).then(
    () => console.log(`Skyfence: fuses flipped on ${executable}: ${JSON.stringify(FUSES)}`),
    (err) => {
      console.error(err.message);
      process.exit(1);
    },
  );
}
