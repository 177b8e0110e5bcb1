// skyfence: the command line of the console's core, for a clearance office or an integrator.
//   skyfence site validate <file>
//   skyfence site clearance <file> [--format geojson|kml]
//   skyfence site classify <file> <lon> <lat> <altitude-m-msl>
//   skyfence remoteid decode <hex>
//   skyfence audit verify [--data-dir D]
//   skyfence plan validate <file>… [--site F] [--vms-cameras N] [--vms-seed S] [--cameras F]
//   skyfence sim vms [--port P] [--seed S] [--cameras N] [--site F] [--faults demo] [--onvif-user U --onvif-password W]
import { loadSiteFile, SiteError } from '../main/core/site/load-site.ts';
import { SiteModel } from '../main/core/site/site-model.ts';
import { clearanceGeoJson, clearanceKml } from '../main/core/clearance/clearance-export.ts';
import { REMOTEID_USAGE, runRemoteId } from './remoteid.ts';
import { AUDIT_USAGE, runAudit } from './audit.ts';
import { PLAN_USAGE, runPlan } from './plan.ts';
import { pathToFileURL } from 'node:url';

const USAGE = `usage:
  skyfence site validate <file>
  skyfence site clearance <file> [--format geojson|kml]
  skyfence site classify <file> <lon> <lat> <altitude-m-msl>
${REMOTEID_USAGE}
${AUDIT_USAGE}
${PLAN_USAGE}
  skyfence sim vms [--port P] [--seed S] [--cameras N] [--site F] [--faults demo]
                   [--onvif-user U --onvif-password W [--onvif-cameras N]]`;

export async function main(argv: string[], out = process.stdout, err = process.stderr): Promise<number> {
  const [group, command, file, ...rest] = argv;
  if (group === 'remoteid') return runRemoteId(argv.slice(1), out, err);
  if (group === 'audit') return runAudit(argv.slice(1), out, err);
  if (group === 'plan') return runPlan(argv.slice(1), out, err);
  if (group === 'sim') {
    if (command !== 'vms') {
      err.write(`unknown simulator "${command ?? ''}"\n${USAGE}\n`);
      return 2;
    }
    // Runs in this process until it is stopped; the API key comes from SKYFENCE_SIM_API_KEY or is printed.
    const { runVmsSimulator } = await import('../sim/vms/main.ts');
    return runVmsSimulator(argv.slice(2), out, err);
  }
  if (group !== 'site' || !command || !file) {
    err.write(`${USAGE}\n`);
    return 2;
  }
  try {
    const site = await loadSiteFile(file);
    switch (command) {
      case 'validate': {
        const model = new SiteModel(site);
        out.write(
          `${file}: ok — ${site.icao} ${site.name.en}, ${site.runways.length} runways, ` +
            `${site.features.features.length} features, ${site.perceptionCircles.length} perception circles, ` +
            `${model.grid.cells.length} grid cells\n`,
        );
        return 0;
      }
      case 'clearance': {
        const format = option(rest, '--format') ?? 'geojson';
        if (format !== 'geojson' && format !== 'kml') {
          err.write(`--format must be geojson or kml, not "${format}"\n`);
          return 2;
        }
        const model = new SiteModel(site);
        out.write(format === 'kml' ? clearanceKml(model.clearance) : `${JSON.stringify(clearanceGeoJson(model.clearance))}\n`);
        return 0;
      }
      case 'classify': {
        const [lon, lat, alt] = rest.slice(0, 3).map(Number);
        if (![lon, lat, alt].every(Number.isFinite)) {
          err.write(`classify needs <lon> <lat> <altitude-m-msl> as numbers\n`);
          return 2;
        }
        const model = new SiteModel(site);
        out.write(`${JSON.stringify({ ...model.clearance.classify(lon, lat, alt), circles: model.circlesAt(lon, lat).map((c) => c.id) }, null, 2)}\n`);
        return 0;
      }
      default:
        err.write(`unknown command "site ${command}"\n${USAGE}\n`);
        return 2;
    }
  } catch (e) {
    if (e instanceof SiteError) {
      err.write(`${e.problems.join('\n')}\n`);
      return 1;
    }
    throw e;
  }
}

function option(args: string[], name: string): string | undefined {
  const i = args.indexOf(name);
  if (i >= 0) return args[i + 1];
  return args.find((a) => a.startsWith(`${name}=`))?.slice(name.length + 1);
}

// Run directly (`node --import tsx src/cli/main.ts …`) as well as through bin/skyfence.js.
if (process.argv[1] && import.meta.url === pathToFileURL(process.argv[1]).href) {
  process.exitCode = await main(process.argv.slice(2));
}
