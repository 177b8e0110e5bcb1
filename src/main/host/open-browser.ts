// Opens the console in an installed Chromium or Chrome as an app window, or says where to open it.
import { spawn } from 'node:child_process';
import { existsSync } from 'node:fs';

const CANDIDATES = [
  process.env.SKYFENCE_BROWSER,
  '/usr/bin/chromium', '/usr/bin/chromium-browser', '/usr/bin/google-chrome', '/usr/bin/google-chrome-stable',
  '/Applications/Google Chrome.app/Contents/MacOS/Google Chrome',
  'C:\\Program Files\\Google\\Chrome\\Application\\chrome.exe',
].filter((p): p is string => Boolean(p));

export function openAppWindow(url: string): void {
  const browser = CANDIDATES.find((p) => existsSync(p));
  if (!browser || (!process.env.DISPLAY && !process.env.WAYLAND_DISPLAY && process.platform === 'linux')) {
    console.log('No browser window can be opened here: open the SKYFENCE_URL above in Chromium or Chrome.');
    return;
  }
  const child = spawn(browser, [`--app=${url}`, '--disable-background-networking', '--no-first-run'], { stdio: 'ignore', detached: true });
  child.unref();
}
