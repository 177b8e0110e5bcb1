// The drone simulator as its own process: one seeded sky, four endpoints (see server.ts).
//   tsx src/sim/drone-detection/main.ts --site F [--seed N] [--speed X] [--targets N]
//       [--scenarios all|none|name,name] [--demo-schedule]
//       [--port P] [--remote-id-port P] [--sapient-port P] [--ops-port P] [--exit-with-parent]
// --scenarios starts scenarios at once (each repeating until stopped); without it, --demo-schedule runs the demo
// schedule alone, and with neither the random traffic runs (as the first simulator did).
// It prints one line per endpoint — REMOTE_ID_URL, SAPIENT_PORT, OPS_URL, then SIM_URL (the detection API and
// the control endpoints) last, which tells the parent that all are up. The parent restarts it with
// --port/--remote-id-port/--sapient-port/--ops-port so that every endpoint comes back where it was.
// The API key comes from SKYFENCE_SIM_API_KEY (never from the command line, which other users can read).
// --exit-with-parent (the console's SimulatorProcess passes it): exit when stdin, a pipe from the parent, closes
// (the kernel closes it when the parent dies, even by SIGKILL), or when the parent pid changes (a backstop).
import { readFileSync } from 'node:fs';
import { basename } from 'node:path';
import { parseFlags } from '../../shared/flags.ts';
import { parseSite } from '../../main/core/site/load-site.ts';
import type { SitePack } from '../../shared/site.ts';
import { SCENARIO_NAMES, type ScenarioName } from './scenarios.ts';
import { EndpointError, startSkySim } from './server.ts';

const fail = (line: string, code = 2): never => {
  console.error(`drone simulator: ${line}`);
  process.exit(code);
};

const flags = parseFlags(process.argv.slice(2));
const num = (name: string, fallback: number) => {
  const v = flags[name];
  if (v === undefined) return fallback;
  if (typeof v !== 'string' || !Number.isFinite(Number(v))) return fail(`--${name} must be a number`);
  return Number(v);
};
const apiKey = process.env.SKYFENCE_SIM_API_KEY;
if (!apiKey || typeof flags.site !== 'string') fail('needs --site <site.json> and SKYFENCE_SIM_API_KEY');

let site: SitePack;
try {
  site = parseSite(readFileSync(flags.site as string, 'utf8'), basename(flags.site as string));
} catch (err) {
  fail(`cannot use the site pack: ${(err as Error).message.split('\n')[0]}`);
}

const demoSchedule = flags['demo-schedule'] === true;
const scenarioFlag = flags.scenarios;
let scenarios: ScenarioName[];
if (scenarioFlag === undefined) scenarios = demoSchedule ? [] : ['random-traffic'];
else if (scenarioFlag === 'all') scenarios = [...SCENARIO_NAMES];
else if (scenarioFlag === 'none') scenarios = [];
else if (typeof scenarioFlag !== 'string') scenarios = fail(`--scenarios needs all, none or a list of: ${SCENARIO_NAMES.join(', ')}`);
else {
  const names = scenarioFlag.split(',').map((s) => s.trim()).filter(Boolean);
  const unknown = names.filter((n) => !SCENARIO_NAMES.includes(n as ScenarioName));
  if (unknown.length) fail(`--scenarios: no scenario ${unknown.map((n) => `"${n}"`).join(', ')}; there are ${SCENARIO_NAMES.join(', ')}`);
  scenarios = names as ScenarioName[];
}

const port = num('port', 0);
const sim = await startSkySim({
  site: site!,
  apiKey: apiKey!,
  seed: num('seed', 20261124),
  targets: num('targets', 6),
  speed: num('speed', 1),
  scenarios,
  demoSchedule,
  ports: { detection: port, remoteId: num('remote-id-port', 0), sapient: num('sapient-port', 0), ops: num('ops-port', 0) },
}).catch((err: Error) => {
  // The detection port's message is the one the first simulator gave (its parent's tests read it).
  if (err instanceof EndpointError && err.endpoint === 'detection API') {
    const why = err.cause.code === 'EADDRINUSE' ? 'another program is using that port' : err.cause.message;
    return fail(`cannot listen on 127.0.0.1:${port}: ${why}`, 1);
  }
  return fail(err.message, 1);
});
console.log(`REMOTE_ID_URL ${sim.remoteIdUrl}`);
console.log(`SAPIENT_PORT ${sim.sapientPort}`);
console.log(`OPS_URL ${sim.opsUrl}`);
console.log(`SIM_URL ${sim.detectionUrl}`);
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
