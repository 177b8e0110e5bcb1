// The drone-detection simulator as its own process:
//   tsx src/sim/drone-detection/main.ts --site F [--port P] [--seed N] [--targets N] [--speed X] [--exit-with-parent]
// The API key comes from SKYFENCE_SIM_API_KEY (never from the command line, which other users can read).
// --exit-with-parent (the console's SimulatorProcess passes it): exit when stdin, a pipe from the parent, closes
// (the kernel closes it when the parent dies, even by SIGKILL), or when the parent pid changes (a backstop).
import { readFileSync } from 'node:fs';
import { parseFlags } from '../../shared/flags.ts';
import { startDroneSim } from './server.ts';

const flags = parseFlags(process.argv.slice(2));
const num = (v: string | true | undefined, fallback: number) => (typeof v === 'string' && Number.isFinite(Number(v)) ? Number(v) : fallback);
const apiKey = process.env.SKYFENCE_SIM_API_KEY;
if (!apiKey || typeof flags.site !== 'string') {
  console.error('drone simulator: needs --site <site.json> and SKYFENCE_SIM_API_KEY');
  process.exit(2);
}
const site = JSON.parse(readFileSync(flags.site, 'utf8')) as { aerodrome: { referencePoint: [number, number]; elevationM: number } };
const port = num(flags.port, 0);
const { url } = await startDroneSim({
  port,
  apiKey,
  seed: num(flags.seed, 20261124),
  targets: num(flags.targets, 6),
  speed: num(flags.speed, 1),
  origin: { lon: site.aerodrome.referencePoint[0], lat: site.aerodrome.referencePoint[1], elevationM: site.aerodrome.elevationM },
}).catch((err: NodeJS.ErrnoException) => {
  const why = err.code === 'EADDRINUSE' ? 'another program is using that port' : err.message;
  console.error(`drone simulator: cannot listen on 127.0.0.1:${port}: ${why}`);
  process.exit(1);
});
console.log(`SIM_URL ${url}`);
if (flags['exit-with-parent'] === true) {
  process.stdin.on('end', () => process.exit(0));
  process.stdin.on('close', () => process.exit(0));
  process.stdin.on('error', () => process.exit(0));
  process.stdin.resume();
  const parent = process.ppid;
  setInterval(() => process.ppid !== parent && process.exit(0), 1000).unref();
}
process.on('SIGTERM', () => process.exit(0));
process.on('SIGINT', () => process.exit(0));
