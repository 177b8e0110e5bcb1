// Configuration: defaults, then <dataDir>/config.json, then environment, then command-line flags.
import { existsSync, mkdirSync, readFileSync } from 'node:fs';
import { isIP } from 'node:net';
import { homedir } from 'node:os';
import { join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { z } from 'zod';
import { imagerySourceSchema, type ImagerySource } from '../../shared/site.ts';
import { parseFlags } from '../../shared/flags.ts';
import type { SourceEntry } from './sources/adapter-kind.ts';
import { sourcesFromConfig } from './sources/source-config.ts';

export { parseFlags };

/** The application folder (resources/, src/sim/ live there). The Electron shell passes its app path. */
export const APP_ROOT = fileURLToPath(new URL('../../../', import.meta.url));

const fileConfig = z
  .object({
    site: z.string().optional(),
    demo: z.boolean().optional(),
    host: z
      .object({
        port: z.number().int().min(0).max(65535).optional(),
        /** The unit terminals' listener on the police network (off when absent). */
        terminal: z
          .object({
            address: z.string().min(1).max(100),
            port: z.number().int().min(0).max(65535).default(0),
            /** The origin phones load the page from when it is not http://address:port (a TLS reverse proxy). */
            origin: z.string().url().optional(),
          })
          .strict()
          .optional(),
      })
      .strict()
      .optional(),
    /** An internal map server; overrides the site's. */
    imagery: imagerySourceSchema.optional(),
    /** The data sources (drone detection, track streams…): one entry per system, checked by its kind. */
    sources: z.array(z.unknown()).optional(),
    /** Older form of one drone-detection entry; still read, as the source `drone-detection`. */
    droneDetection: z
      .object({ url: z.string(), apiKeyEnv: z.string().optional(), intervalMs: z.number().optional() })
      .strict()
      .optional(),
  })
  .strict();

export interface CoreConfig {
  appRoot: string;
  dataDir: string;
  sitePath: string;
  demo: boolean;
  port: number;
  /**
   * The unit terminals' listener (config.json `host.terminal`, --terminal-address/--terminal-port): the same page
   * and API for phones on the police network, unit accounts only. Null: off (the default).
   */
  terminal: TerminalListenerConfig | null;
  imagery?: ImagerySource;
  /**
   * The systems to poll or listen to, checked (config.json's `sources`, with `droneDetection` and --drone-url
   * mapped to the entry `drone-detection`). Without a drone-detection entry, demo mode starts the simulator.
   */
  sources: SourceEntry[];
  /** Start the simulators in demo mode (default); --no-sim turns them off. */
  simulators: boolean;
  /** The first administrator's password on first run; generated when absent. */
  initialPassword?: string;
  /** --recover-db: a damaged database is moved aside (kept) and the console starts with a fresh one. */
  recoverDb: boolean;
}

export interface TerminalListenerConfig {
  /** The interface to listen on (e.g. the police network's address, or 0.0.0.0 for all). */
  address: string;
  /** 0: any free port (printed at start). */
  port: number;
  /** The page's origin when a reverse proxy serves it (https://…); else http://address:port. */
  origin?: string;
}

/** The OS application-data folder for Skyfence. */
export function defaultDataDir(env: NodeJS.ProcessEnv = process.env, platform = process.platform): string {
  if (platform === 'win32') return join(env.APPDATA ?? join(homedir(), 'AppData', 'Roaming'), 'Skyfence');
  if (platform === 'darwin') return join(homedir(), 'Library', 'Application Support', 'Skyfence');
  return join(env.XDG_CONFIG_HOME ?? join(homedir(), '.config'), 'skyfence');
}


export function loadConfig(argv: string[], env: NodeJS.ProcessEnv = process.env, appRoot = APP_ROOT): CoreConfig {
  const flags = parseFlags(argv);
  const str = (v: string | true | undefined) => (typeof v === 'string' ? v : undefined);
  const dataDir = resolve(str(flags['data-dir']) ?? env.SKYFENCE_DATA_DIR ?? defaultDataDir(env));
  mkdirSync(dataDir, { recursive: true, mode: 0o700 });
  const configFile = join(dataDir, 'config.json');
  let file: z.infer<typeof fileConfig> = {};
  if (existsSync(configFile)) {
    let json: unknown;
    try {
      json = JSON.parse(readFileSync(configFile, 'utf8'));
    } catch (err) {
      throw new Error(`${configFile}: not valid JSON (${(err as Error).message})`);
    }
    const parsed = fileConfig.safeParse(json);
    if (!parsed.success) {
      throw new Error(`${configFile}: ${parsed.error.issues.map((i) => `${i.path.join('.') || '$'}: ${i.message}`).join('; ')}`);
    }
    file = parsed.data;
  }
  const port = Number(str(flags.port) ?? env.SKYFENCE_PORT ?? file.host?.port ?? 0);
  if (!Number.isInteger(port) || port < 0 || port > 65535) throw new Error(`--port must be 0–65535, not ${flags.port}`);
  if (typeof flags['recover-db'] === 'string') throw new Error(`--recover-db takes no value (given: ${flags['recover-db']}); put it after the other options or alone`);
  return {
    appRoot,
    dataDir,
    terminal: terminalFrom(str(flags['terminal-address']), str(flags['terminal-port']), file.host?.terminal),
    sitePath: resolve(str(flags.site) ?? env.SKYFENCE_SITE ?? file.site ?? join(appRoot, 'resources/sites/zuck/site.json')),
    demo: flags.demo === true || env.SKYFENCE_DEMO === '1' || file.demo === true,
    port,
    imagery: imageryFrom(str(flags['imagery-url']) ?? env.SKYFENCE_IMAGERY_URL, str(flags['imagery-kind']) ?? env.SKYFENCE_IMAGERY_KIND) ?? file.imagery,
    initialPassword: env.SKYFENCE_ADMIN_PASSWORD,
    sources: sourcesFromConfig(
      { sources: file.sources, droneDetection: file.droneDetection, droneUrl: str(flags['drone-url']) ?? env.SKYFENCE_DRONE_URL },
      configFile,
      env,
    ),
    simulators: flags['no-sim'] !== true,
    recoverDb: flags['recover-db'] === true,
  };
}

function terminalFrom(address: string | undefined, port: string | undefined, file: TerminalListenerConfig | undefined): TerminalListenerConfig | null {
  if (port !== undefined && !/^\d{1,5}$/.test(port)) throw new Error(`--terminal-port must be 0–65535, not ${port}`);
  const portN = port === undefined ? undefined : Number(port);
  if (portN !== undefined && portN > 65535) throw new Error(`--terminal-port must be 0–65535, not ${port}`);
  const addr = address ?? file?.address;
  if (!addr) {
    if (portN !== undefined) throw new Error('--terminal-port needs --terminal-address (or host.terminal.address in config.json): which network should the terminals reach?');
    return null;
  }
  if (isIP(addr) === 0) throw new Error(`--terminal-address must be an IP address of this machine (or 0.0.0.0), not ${addr}`);
  return { address: addr, port: portN ?? file?.port ?? 0, ...(file?.origin ? { origin: new URL(file.origin).origin } : {}) };
}

function imageryFrom(url: string | undefined, kind: string | undefined): ImagerySource | undefined {
  if (!url) return undefined;
  const parsed = imagerySourceSchema.safeParse({ url, kind: kind ?? 'xyz' });
  if (!parsed.success) throw new Error(`--imagery-url/--imagery-kind: ${parsed.error.issues.map((i) => `${i.path.join('.')}: ${i.message}`).join('; ')}`);
  return parsed.data;
}
