// The Electron shell: a window, the app:// protocol serving the built renderer with the CSP, and the
// contract over IPC. Everything that thinks is in ./core, started exactly as the browser host starts it.
import { app, BrowserWindow, dialog, ipcMain, Menu, net, protocol, session } from 'electron';
import { join, normalize, sep } from 'node:path';
import { pathToFileURL } from 'node:url';
import { contentSecurityPolicy } from '../shared/csp.ts';
import { loadConfig } from './core/config.ts';
import { startCore, type Core } from './core/core.ts';
import { MEDIA_PATH_PREFIX, toWebResponse } from './core/video/media-server.ts';
import { serveMedia } from './core/video/video-core.ts';
import { registerIpc, type IpcMainLike } from './ipc-bridge.ts';

const ORIGIN = 'app://skyfence';
protocol.registerSchemesAsPrivileged([{ scheme: 'app', privileges: { standard: true, secure: true, supportFetchAPI: true } }]);

let core: Core | null = null;
let closingCore = false;
/** How long quitting waits for the core to close. */
const CORE_CLOSE_TIMEOUT_MS = 5000;

/** Every window of the console (the main one, the video wall) is locked down alike. */
const webPreferences = () => ({
  preload: join(__dirname, '../preload/index.cjs'), contextIsolation: true, sandbox: true, nodeIntegration: false, webSecurity: true,
  // No middle-click: it would open links in new windows by a path that bypasses will-navigate.
  disableBlinkFeatures: 'Auxclick',
});

/** The one page the console may open in a window of its own: the video wall, for a second screen. */
export const WALL_URL = `${ORIGIN}/index.html#/wall`;

function createWindow(): void {
  const win = new BrowserWindow({
    width: 1600, height: 960, backgroundColor: '#070d15', title: '机场立体防控指挥台', show: false,
    webPreferences: webPreferences(),
  });
  win.once('ready-to-show', () => win.show());
  void win.loadURL(`${ORIGIN}/index.html`);
}

async function start(): Promise<void> {
  const rendererDir = join(app.getAppPath(), 'out', 'renderer');
  try {
    core = await startCore(loadConfig(process.argv.slice(app.isPackaged ? 1 : 2), process.env, app.getAppPath()));
  } catch (err) {
    dialog.showErrorBox('Skyfence', (err as Error).message);
    app.quit();
    return;
  }
  const csp = contentSecurityPolicy({ imageryOrigin: core.imagery && new URL(core.imagery.url).origin });
  const started = core;
  protocol.handle('app', async (request) => {
    const { pathname } = new URL(request.url);
    if (pathname.startsWith(MEDIA_PATH_PREFIX)) return toWebResponse(await serveMedia(started, pathname));
    const path = normalize(decodeURIComponent(pathname));
    const file = join(rendererDir, path);
    if (!file.startsWith(rendererDir + sep)) return new Response('forbidden', { status: 403 });
    const res = await net.fetch(pathToFileURL(file).toString()).catch(() => null);
    if (!res || !res.ok) return new Response('not found', { status: 404 });
    const headers = new Headers(res.headers);
    headers.set('Content-Security-Policy', csp);
    headers.set('X-Content-Type-Options', 'nosniff');
    return new Response(res.body, { status: res.status, headers });
  });
  session.defaultSession.setPermissionRequestHandler((_wc, _permission, callback) => callback(false));
  registerIpc(ipcMain as unknown as IpcMainLike, core, (url) => url.startsWith(`${ORIGIN}/`));
  Menu.setApplicationMenu(null);
  createWindow();
}

// No navigation away from the console, no new windows but the video wall, no webviews.
app.on('web-contents-created', (_e, contents) => {
  contents.on('will-navigate', (event, url) => {
    if (!url.startsWith(`${ORIGIN}/`)) event.preventDefault();
  });
  contents.setWindowOpenHandler(({ url }) =>
    url === WALL_URL
      ? { action: 'allow', overrideBrowserWindowOptions: { width: 1600, height: 900, backgroundColor: '#070d15', title: '视频墙', webPreferences: webPreferences() } }
      : { action: 'deny' });
  contents.on('will-attach-webview', (event) => event.preventDefault());
});

if (!app.requestSingleInstanceLock()) {
  app.quit();
} else {
  app.on('second-instance', () => BrowserWindow.getAllWindows()[0]?.focus());
  void app.whenReady().then(start);
  app.on('window-all-closed', () => app.quit());
  app.on('will-quit', (event) => {
    // Quit only once the core has closed (the database checkpointed, the simulators stopped), or gave up.
    if (!core || closingCore) return;
    event.preventDefault();
    closingCore = true;
    const gaveUp = new Promise<string>((r) => setTimeout(() => r(`the core did not close within ${CORE_CLOSE_TIMEOUT_MS / 1000} s`), CORE_CLOSE_TIMEOUT_MS));
    void Promise.race([core.close().then(() => '', (err: Error) => `closing the core failed: ${err.message}`), gaveUp]).then((problem) => {
      if (problem) console.error(`skyfence: ${problem}; quitting anyway`);
      app.exit(problem ? 1 : 0);
    });
  });
}
