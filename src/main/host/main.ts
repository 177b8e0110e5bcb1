// Starts the core and the browser host:  tsx src/main/host/main.ts [--demo] [--data-dir D] [--port P] [--site F] [--open] [--recover-db]
//   [--terminal-address A [--terminal-port P]]  also serve the unit terminals on the police network (see terminal-host.ts)
import { existsSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { loadConfig } from '../core/config.ts';
import { startCore } from '../core/core.ts';
import { SiteError } from '../core/site/load-site.ts';
import { DatabaseCorruptError } from '../core/store/db-file.ts';
import { InstanceLockedError } from '../core/store/instance-lock.ts';
import { startBrowserHost } from './browser-host.ts';
import { openAppWindow } from './open-browser.ts';
import { startTerminalHost, type TerminalHost } from './terminal-host.ts';

const RENDERER_DIR = fileURLToPath(new URL('../../../out/renderer/', import.meta.url));

async function main(): Promise<number> {
  const argv = process.argv.slice(2);
  if (!existsSync(RENDERER_DIR)) {
    console.error('skyfence: the renderer is not built yet; run `npm run build` first');
    return 1;
  }
  let core;
  try {
    core = await startCore(loadConfig(argv));
  } catch (err) {
    if (err instanceof SiteError) console.error(`skyfence: the site file is not valid:\n${err.problems.join('\n')}`);
    else if (err instanceof InstanceLockedError) console.error(`skyfence: ${err.message}`);
    else if (err instanceof DatabaseCorruptError) console.error(`skyfence: ${err.message}`);
    else console.error(`skyfence: cannot start: ${(err as Error).message}`);
    return 1;
  }
  const host = await startBrowserHost(core, { port: core.config.port, rendererDir: RENDERER_DIR });
  console.log(`Skyfence browser host listening on 127.0.0.1:${host.port} (data: ${core.config.dataDir})`);
  // The URL carries this launch's token: it goes to this terminal only, never to a log file.
  console.log(`SKYFENCE_URL ${host.url}`);
  let terminals: TerminalHost | undefined;
  if (core.config.terminal) {
    try {
      terminals = await startTerminalHost(core, { ...core.config.terminal, rendererDir: RENDERER_DIR });
    } catch (err) {
      console.error(`skyfence: cannot serve the unit terminals on ${core.config.terminal.address}:${core.config.terminal.port}: ${(err as Error).message}`);
      await host.close();
      await core.close();
      return 1;
    }
    console.log(`Skyfence unit terminals on ${core.config.terminal.address}:${terminals.port} (unit accounts only; put TLS in front on a real network)`);
    console.log(`SKYFENCE_TERMINAL_URL ${terminals.url}`);
  }
  if (argv.includes('--open')) openAppWindow(host);

  const stop = async () => {
    await terminals?.close();
    await host.close();
    await core.close();
    process.exit(0);
  };
  process.once('SIGINT', stop);
  process.once('SIGTERM', stop);
  return -1;
}

main().then((code) => {
  if (code >= 0) process.exit(code);
});
