// Opens the console in an installed Chromium or Chrome as an app window, or says where to open it.
// The window gets a one-time launch URL, never the session token: a command line is readable by every local
// user (ps, /proc/<pid>/cmdline) for as long as the browser runs, and the code is dead once the window used it.
import { spawn } from 'node:child_process';
import { existsSync } from 'node:fs';

function candidates(): string[] {
  return [
    process.env.SKYFENCE_BROWSER,
    '/usr/bin/chromium', '/usr/bin/chromium-browser', '/usr/bin/google-chrome', '/usr/bin/google-chrome-stable',
    '/Applications/Google Chrome.app/Contents/MacOS/Google Chrome',
    'C:\\Program Files\\Google\\Chrome\\Application\\chrome.exe',
  ].filter((p): p is string => Boolean(p));
}

export function openAppWindow(host: { launchUrl(): string }): void {
  const browser = candidates().find((p) => existsSync(p));
  if (!browser || (!process.env.DISPLAY && !process.env.WAYLAND_DISPLAY && process.platform === 'linux')) {
    console.log('No browser window can be opened here: open the SKYFENCE_URL above in Chromium or Chrome.');
    return;
  }
  const child = spawn(browser, [`--app=${host.launchUrl()}`, '--disable-background-networking', '--no-first-run'], { stdio: 'ignore', detached: true });
  child.on('error', (err) => console.log(`Could not open ${browser} (${err.message}): open the SKYFENCE_URL above in Chromium or Chrome.`));
  child.unref();
}
