#!/usr/bin/env node
// `npm start`: the console in demo mode on the sample airport. The Electron app where its runtime is
// installed; otherwise one line saying so, then the browser host, opened in Chromium/Chrome as an app window.
import { spawn, spawnSync } from 'node:child_process';
import { installedElectron } from './electron-runtime.mjs';

const run = (cmd, args) => spawnSync(cmd, args, { stdio: 'inherit', shell: process.platform === 'win32' }).status === 0;
const passThrough = process.argv.slice(2);

const binary = installedElectron();
if (binary) {
  if (!run('npx', ['electron-vite', 'build'])) process.exit(1);
  spawn(binary, ['.', '--demo', ...passThrough], { stdio: 'inherit' }).on('exit', (code) => process.exit(code ?? 0));
} else {
  console.log('The Electron runtime is not available on this machine: starting the browser host instead.');
  if (!run('npx', ['vite', 'build', '--config', 'vite.renderer.config.ts', '--logLevel', 'warn'])) process.exit(1);
  spawn(process.execPath, ['--import', 'tsx', 'src/main/host/main.ts', '--demo', '--open', ...passThrough], { stdio: 'inherit' })
    .on('exit', (code) => process.exit(code ?? 0));
}
