// The units' GPS simulator as its own process, as a vendor's GPS/PDT positioning platform would run:
//   tsx src/sim/units/main.ts --site F [--units F] [--seed N] [--speed X] [--port P] [--exit-with-parent]
// It reads the site pack and the units file (default <site folder>/response/units.json) and serves every
// unit's latest fix (see server.ts). The API key comes from SKYFENCE_SIM_API_KEY; run by hand without it, the
// simulator makes one and prints `API_KEY <key>`. When ready it prints `SIM_URL <url>`, the line the console's
// SimulatorProcess waits for; a restart passes --port so that the URL stays the same.
// --exit-with-parent: exit when stdin (a pipe from the parent) closes or the parent pid changes.
import { randomBytes } from 'node:crypto';
import { dirname, join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { parseFlags } from '../../shared/flags.ts';
import { loadSiteFile, SiteError } from '../../main/core/site/load-site.ts';
import { LocalFrame } from '../../main/core/geo/local-frame.ts';
import { startGpsSim, type GpsSim } from './server.ts';
import { loadUnitsFile, UnitsPackError } from './units-pack.ts';

class FlagError extends Error {}

function numberFlag(flags: Record<string, string | true>, name: string, fallback: number, check: (n: number) => boolean, what: string): number {
  const v = flags[name];
  if (v === undefined) return fallback;
  const n = typeof v === 'string' && v.trim() !== '' ? Number(v) : NaN;
  if (!Number.isFinite(n) || !check(n)) throw new FlagError(`--${name} must be ${what}, not "${v === true ? '' : v}"`);
  return n;
}

function stringFlag(flags: Record<string, string | true>, name: string): string | undefined {
  const v = flags[name];
  if (v === true) throw new FlagError(`--${name} needs a value`);
  return v;
}

/** Starts the simulator; resolves with 0 once it serves, or with an exit code after saying on `err` what is wrong. */
export async function runGpsSimulator(argv: string[], out: NodeJS.WritableStream = process.stdout, err: NodeJS.WritableStream = process.stderr): Promise<number> {
  const flags = parseFlags(argv);
  let options: { site: string; units: string; seed: number; speed: number; port: number };
  try {
    const site = stringFlag(flags, 'site');
    if (!site) throw new FlagError('needs --site <site.json>');
    options = {
      site,
      units: stringFlag(flags, 'units') ?? join(dirname(site), 'response', 'units.json'),
      seed: numberFlag(flags, 'seed', 20261124, (n) => Number.isSafeInteger(n) && n >= 0, 'a whole number ≥ 0'),
      speed: numberFlag(flags, 'speed', 1, (n) => n >= 0.1 && n <= 1000, 'a time factor from 0.1 to 1000'),
      port: numberFlag(flags, 'port', 0, (n) => Number.isInteger(n) && n >= 0 && n <= 65535, 'a port from 0 to 65535'),
    };
  } catch (e) {
    if (!(e instanceof FlagError)) throw e;
    err.write(`gps simulator: ${e.message}\n`);
    return 2;
  }

  let sim: GpsSim;
  try {
    const site = await loadSiteFile(options.site);
    const frame = new LocalFrame(site.aerodrome.referencePoint);
    const units = await loadUnitsFile(options.units, site, frame);
    const generatedKey = process.env.SKYFENCE_SIM_API_KEY ? undefined : randomBytes(18).toString('base64url');
    const apiKey = process.env.SKYFENCE_SIM_API_KEY || generatedKey!;
    try {
      sim = await startGpsSim({ frame, units, apiKey, seed: options.seed, speed: options.speed, port: options.port });
    } catch (e) {
      const why = (e as NodeJS.ErrnoException).code === 'EADDRINUSE' ? 'another program is using that port' : (e as Error).message;
      err.write(`gps simulator: cannot listen on 127.0.0.1:${options.port}: ${why}\n`);
      return 1;
    }
    out.write(`${generatedKey ? `API_KEY ${generatedKey}\n` : ''}SIM_URL ${sim.url}\n`);
  } catch (e) {
    if (e instanceof SiteError) err.write(`gps simulator: the site file is not usable:\n${e.problems.join('\n')}\n`);
    else if (e instanceof UnitsPackError) err.write(`gps simulator: the units file is not usable:\n${e.message}\n`);
    else throw e;
    return 1;
  }

  let closing = false;
  const shutdown = () => {
    if (closing) return;
    closing = true;
    setTimeout(() => process.exit(0), 2000).unref();
    sim.close().finally(() => process.exit(0));
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

if (process.argv[1] && import.meta.url === pathToFileURL(process.argv[1]).href) {
  const code = await runGpsSimulator(process.argv.slice(2));
  if (code !== 0) process.exit(code);
}
