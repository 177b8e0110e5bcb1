// The VMS simulator as its own process:
//   tsx src/sim/vms/main.ts [--site F] [--port P] [--seed S] [--cameras N] [--faults demo]
//                           [--onvif-user U --onvif-password W [--onvif-cameras N]] [--exit-with-parent]
// (also `npx skyfence sim vms …`). The API key comes from SKYFENCE_SIM_API_KEY; run by hand without it, the
// simulator makes one and prints `API_KEY <key>`. When ready it prints `SKYFENCE_SIM_VMS <url>`, `SIM_URL <url>`
// (the line the console's SimulatorProcess waits for) and one `ONVIF <device service URL>` per ONVIF camera.
// --exit-with-parent: exit when stdin (a pipe from the parent) closes or the parent pid changes.
import { randomBytes } from 'node:crypto';
import type { EventEmitter } from 'node:events';
import type { IncomingMessage, ServerResponse } from 'node:http';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { parseFlags } from '../../shared/flags.ts';
import { loadSiteFile, SiteError } from '../../main/core/site/load-site.ts';
import { buildLayout, type SimCamera } from './layout.ts';
import { startVmsSim, type VmsSim } from './server.ts';

export const DEFAULT_SITE_FILE = fileURLToPath(new URL('../../../resources/sites/zuck/site.json', import.meta.url));
export const DEFAULT_CAMERAS = 300;
export const MAX_CAMERAS = 20_000;
const DEFAULT_ONVIF_CAMERAS = 8;

/** The ONVIF server's entry point (src/sim/vms/onvif/onvif-server.ts), as this simulator calls it. */
export interface OnvifServerOptions {
  user: string;
  password: string;
  cameras: Array<{ id: string; name: string; ptz: boolean; presets: Array<{ id: string; name: string; headingDeg: number; tiltDeg: number }> }>;
  snapshot: (id: string) => Promise<Buffer | null>;
  pipeLive: (id: string, req: IncomingMessage, res: ServerResponse) => void;
  isOnline: (id: string) => boolean;
  /** Emits 'event' with { cameraId, type: 'motion' | 'tamper', at: Date }. */
  events: EventEmitter;
  gotoPreset: (id: string, presetId: string) => boolean;
}
type StartOnvifServer = (opts: OnvifServerOptions) => Promise<{ deviceUrls: Map<string, string>; close(): Promise<void> }>;

class FlagError extends Error {}

function intFlag(flags: Record<string, string | true>, name: string, fallback: number, min: number, max: number): number {
  const v = flags[name];
  if (v === undefined) return fallback;
  const n = typeof v === 'string' && /^-?\d+$/.test(v) ? Number(v) : NaN;
  if (!Number.isSafeInteger(n) || n < min || n > max) throw new FlagError(`--${name} must be a whole number from ${min} to ${max}, not "${v === true ? '' : v}"`);
  return n;
}

function stringFlag(flags: Record<string, string | true>, name: string): string | undefined {
  const v = flags[name];
  if (v === true) throw new FlagError(`--${name} needs a value`);
  return v;
}

/** The ONVIF cameras: the first ⌈n/2⌉ PTZ cameras and the first fixed ones for the rest. */
export function pickOnvifCameras(cameras: SimCamera[], n: number): SimCamera[] {
  const ptz = cameras.filter((c) => c.kind === 'ptz');
  const fixed = cameras.filter((c) => c.kind === 'fixed');
  const fromPtz = Math.min(ptz.length, Math.ceil(n / 2));
  return [...ptz.slice(0, fromPtz), ...fixed.slice(0, n - fromPtz)];
}

/**
 * Starts the simulator; resolves with 0 once it serves (it then runs until the process ends), or with an exit
 * code after saying on `err` what is wrong.
 */
export async function runVmsSimulator(argv: string[], out: NodeJS.WritableStream = process.stdout, err: NodeJS.WritableStream = process.stderr): Promise<number> {
  const flags = parseFlags(argv);
  let options: { site: string; port: number; seed: number; cameras: number; faults: 'none' | 'demo'; onvif?: { user: string; password: string; count: number } };
  try {
    const faults = stringFlag(flags, 'faults') ?? 'none';
    if (faults !== 'none' && faults !== 'demo') throw new FlagError(`--faults must be demo or none, not "${faults}"`);
    const user = stringFlag(flags, 'onvif-user');
    const password = stringFlag(flags, 'onvif-password') ?? process.env.SKYFENCE_SIM_ONVIF_PASSWORD;
    if ((user === undefined) !== (password === undefined)) throw new FlagError('--onvif-user and --onvif-password go together');
    options = {
      site: stringFlag(flags, 'site') ?? DEFAULT_SITE_FILE,
      port: intFlag(flags, 'port', 0, 0, 65535),
      seed: intFlag(flags, 'seed', 20261124, 0, 2 ** 31 - 1),
      cameras: intFlag(flags, 'cameras', DEFAULT_CAMERAS, 1, MAX_CAMERAS),
      faults,
      onvif: user !== undefined && password !== undefined ? { user, password, count: intFlag(flags, 'onvif-cameras', DEFAULT_ONVIF_CAMERAS, 1, 64) } : undefined,
    };
  } catch (e) {
    if (!(e instanceof FlagError)) throw e;
    err.write(`vms simulator: ${e.message}\n`);
    return 2;
  }

  let site;
  try {
    site = await loadSiteFile(options.site);
  } catch (e) {
    if (!(e instanceof SiteError)) throw e;
    err.write(`vms simulator: the site file is not usable:\n${e.problems.join('\n')}\n`);
    return 1;
  }
  const cameras = buildLayout(site, { seed: options.seed, cameras: options.cameras });
  const onvifCameras = options.onvif ? pickOnvifCameras(cameras, options.onvif.count) : [];
  const generatedKey = process.env.SKYFENCE_SIM_API_KEY ? undefined : randomBytes(18).toString('base64url');
  const apiKey = process.env.SKYFENCE_SIM_API_KEY || generatedKey!;

  let sim: VmsSim;
  try {
    sim = await startVmsSim({ port: options.port, apiKey, seed: options.seed, cameras, faults: options.faults, onvifCameras: new Set(onvifCameras.map((c) => c.id)) });
  } catch (e) {
    const why = (e as NodeJS.ErrnoException).code === 'EADDRINUSE' ? 'another program is using that port' : (e as Error).message;
    err.write(`vms simulator: cannot listen on 127.0.0.1:${options.port}: ${why}\n`);
    return 1;
  }

  let onvif: Awaited<ReturnType<StartOnvifServer>> | undefined;
  if (options.onvif) {
    const start = await loadOnvifServer(err);
    if (start) {
      try {
        onvif = await start({
          user: options.onvif.user,
          password: options.onvif.password,
          cameras: onvifCameras.map((c) => ({ id: c.id, name: c.name.zh, ptz: c.kind === 'ptz', presets: c.presets })),
          snapshot: sim.snapshot,
          pipeLive: sim.pipeLive,
          isOnline: (id) => sim.health.status(id) !== 'offline',
          events: sim.onvifEvents,
          gotoPreset: sim.gotoPreset,
        });
      } catch (e) {
        err.write(`vms simulator: the ONVIF server did not start (${(e as Error).message}); running without ONVIF\n`);
      }
    }
  }

  const lines = [
    ...(generatedKey ? [`API_KEY ${generatedKey}`] : []),
    `SKYFENCE_SIM_VMS ${sim.url}`,
    `SIM_URL ${sim.url}`,
    ...onvifCameras.flatMap((c) => (onvif?.deviceUrls.get(c.id) ? [`ONVIF ${onvif.deviceUrls.get(c.id)}`] : [])),
  ];
  out.write(`${lines.join('\n')}\n`);

  let closing = false;
  const shutdown = () => {
    if (closing) return;
    closing = true;
    // Whatever does not close within two seconds is cut off by the exit (ffmpeg children are killed on exit).
    setTimeout(() => process.exit(0), 2000).unref();
    Promise.allSettled([onvif?.close(), sim.close()]).then(() => process.exit(0));
  };
  process.on('SIGTERM', shutdown);
  process.on('SIGINT', shutdown);
  if (flags['exit-with-parent'] === true) {
    process.stdin.on('end', shutdown);
    process.stdin.on('close', shutdown);
    process.stdin.on('error', shutdown);
    process.stdin.resume();
    const parent = process.ppid;
    setInterval(() => process.ppid !== parent && shutdown(), 1000).unref();
  }
  return 0;
}

async function loadOnvifServer(err: NodeJS.WritableStream): Promise<StartOnvifServer | undefined> {
  // Loaded by URL so that the simulator runs (without ONVIF) where the module is absent.
  const moduleUrl = new URL('./onvif/onvif-server.ts', import.meta.url).href;
  try {
    const mod = (await import(moduleUrl)) as { startOnvifServer?: StartOnvifServer };
    if (typeof mod.startOnvifServer === 'function') return mod.startOnvifServer;
    err.write('vms simulator: src/sim/vms/onvif/onvif-server.ts has no startOnvifServer; running without ONVIF\n');
  } catch (e) {
    const missing = (e as NodeJS.ErrnoException).code === 'ERR_MODULE_NOT_FOUND' && String((e as Error).message).includes('onvif-server');
    err.write(`vms simulator: ${missing ? 'no ONVIF server here (src/sim/vms/onvif/onvif-server.ts is absent)' : `the ONVIF server could not be loaded (${(e as Error).message})`}; running without ONVIF\n`);
  }
  return undefined;
}

if (process.argv[1] && import.meta.url === pathToFileURL(process.argv[1]).href) {
  const code = await runVmsSimulator(process.argv.slice(2));
  if (code !== 0) process.exit(code);
}
