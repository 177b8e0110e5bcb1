// Reading the site's units file (`<site folder>/response/units.json`): the schema (src/shared/units-file.ts),
// then what a schema cannot see: a `home` must name a post, station or checkpoint of the site, every position
// lies within 30 km of the aerodrome, ids and accounts are unique. Every problem at once, as
// `units.json: json-path: what is wrong`, never a stack.
import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { unitsFileSchema, type UnitsFile } from '../../../shared/units-file.ts';
import { geodesicInverse, type LonLat } from '../geo/local-frame.ts';
import { jsonPath } from '../site/load-site.ts';
import type { SiteModel } from '../site/site-model.ts';

export const UNITS_FILE = join('response', 'units.json');
const MAX_DISTANCE_FROM_ARP_M = 30_000;
const HOME_KINDS = new Set(['police-post', 'police-station', 'checkpoint']);

export class UnitsFileError extends Error {
  constructor(readonly problems: string[]) {
    super(problems.join('\n'));
    this.name = 'UnitsFileError';
  }
}

/** The file, validated; null when there is none (a site without units). */
export async function loadUnitsFile(siteDir: string, site: SiteModel): Promise<UnitsFile | null> {
  let raw: string;
  try {
    raw = await readFile(join(siteDir, UNITS_FILE), 'utf8');
  } catch (err) {
    const code = (err as NodeJS.ErrnoException).code;
    if (code === 'ENOENT') return null;
    throw new UnitsFileError([`units.json: cannot read the file (${code ?? 'error'})`]);
  }
  return parseUnitsFile(raw, site);
}

export function parseUnitsFile(raw: string, site: SiteModel, name = 'units.json'): UnitsFile {
  let json: unknown;
  try {
    json = JSON.parse(raw);
  } catch (err) {
    throw new UnitsFileError([`${name}: $: not valid JSON (${(err as Error).message})`]);
  }
  const parsed = unitsFileSchema.safeParse(json);
  if (!parsed.success) {
    const arp = site.pack.aerodrome.referencePoint;
    throw new UnitsFileError(parsed.error.issues.map((i) => `${name}: ${jsonPath(i.path)}: ${i.message}${swappedHint(json, i.path, arp)}`));
  }
  const problems = crossCheck(parsed.data, site).map((p) => `${name}: ${p}`);
  if (problems.length) throw new UnitsFileError(problems);
  return parsed.data;
}

function crossCheck(file: UnitsFile, site: SiteModel): string[] {
  const problems: string[] = [];
  const arp = site.pack.aerodrome.referencePoint;
  const far = (path: Array<string | number>, p: LonLat) => {
    const d = geodesicInverse(arp, p).distanceM;
    if (d <= MAX_DISTANCE_FROM_ARP_M) return;
    const swapped = geodesicInverse(arp, [p[1], p[0]]).distanceM <= MAX_DISTANCE_FROM_ARP_M ? '; are longitude and latitude swapped?' : '';
    problems.push(`${jsonPath(path)}: [${p.join(', ')}] is ${(d / 1000).toFixed(1)} km from the aerodrome (at most ${MAX_DISTANCE_FROM_ARP_M / 1000} km${swapped})`);
  };
  const features = new Map(site.pack.features.features.map((f) => [f.id, f]));
  const ids = new Set<string>();
  const accounts = new Set<string>();
  file.units.forEach((u, i) => {
    const at = ['units', i];
    if (ids.has(u.id)) problems.push(`${jsonPath([...at, 'id'])}: the id ${u.id} is used twice`);
    ids.add(u.id);
    if (accounts.has(u.account)) problems.push(`${jsonPath([...at, 'account'])}: the account ${u.account} is used twice`);
    accounts.add(u.account);
    if (u.home !== undefined) {
      const f = features.get(u.home);
      if (!f) problems.push(`${jsonPath([...at, 'home'])}: the site has no feature ${u.home}`);
      else if (!HOME_KINDS.has(f.properties.kind) || f.geometry.type !== 'Point') {
        problems.push(`${jsonPath([...at, 'home'])}: ${u.home} is a ${f.properties.kind}, not a police post, police station or checkpoint`);
      }
    }
    if (u.position) far([...at, 'position'], u.position);
    u.route?.forEach((p, j) => far([...at, 'route', j], p));
  });
  file.routes?.forEach((line, i) => line.forEach((p, j) => far(['routes', i, j], p)));
  return problems;
}

/** A coordinate out of range whose pair, read the other way round, lies near the aerodrome: say so. */
function swappedHint(json: unknown, path: ReadonlyArray<PropertyKey>, arp: LonLat): string {
  if (typeof path.at(-1) !== 'number') return '';
  let pair: unknown = json;
  for (const k of path.slice(0, -1)) pair = (pair as Record<PropertyKey, unknown> | undefined)?.[k as string];
  if (!Array.isArray(pair) || pair.length !== 2 || !pair.every((v) => typeof v === 'number')) return '';
  return geodesicInverse(arp, [pair[1], pair[0]]).distanceM <= MAX_DISTANCE_FROM_ARP_M ? ' (are longitude and latitude swapped?)' : '';
}

/** Where a unit starts before any fix: its home feature, its position, or the start of its route. */
export function homePosition(entry: UnitsFile['units'][number], site: SiteModel): [number, number] {
  if (entry.home !== undefined) {
    const f = site.pack.features.features.find((x) => x.id === entry.home);
    if (f?.geometry.type === 'Point') return [f.geometry.coordinates[0], f.geometry.coordinates[1]];
  }
  if (entry.position) return [entry.position[0], entry.position[1]];
  return [entry.route![0][0], entry.route![0][1]];
}
