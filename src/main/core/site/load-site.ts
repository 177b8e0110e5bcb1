// Reading and validating a site pack. Every problem is reported at once as `file: json-path: what is wrong`,
// never as a stack trace: the schema first, then what a schema cannot see (distances, reciprocal ends).
import { readFile } from 'node:fs/promises';
import { basename } from 'node:path';
import { siteSchema, type SitePack } from '../../../shared/site.ts';
import { geodesicInverse, type LonLat } from '../geo/local-frame.ts';

export class SiteError extends Error {
  constructor(readonly problems: string[]) {
    super(problems.join('\n'));
    this.name = 'SiteError';
  }
}

/** Everything of a site must lie within this distance of the aerodrome reference point. */
const MAX_DISTANCE_FROM_ARP_M = 30000;

export function jsonPath(path: ReadonlyArray<PropertyKey>): string {
  return '$' + path.map((k) => (typeof k === 'number' ? `[${k}]` : `.${String(k)}`)).join('');
}

export async function loadSiteFile(file: string): Promise<SitePack> {
  const name = basename(file);
  let raw: string;
  try {
    raw = await readFile(file, 'utf8');
  } catch (err) {
    throw new SiteError([`${name}: cannot read the file (${(err as NodeJS.ErrnoException).code ?? 'error'})`]);
  }
  return parseSite(raw, name);
}

export function parseSite(raw: string, name: string): SitePack {
  let json: unknown;
  try {
    json = JSON.parse(raw);
  } catch (err) {
    throw new SiteError([`${name}: $: not valid JSON (${(err as Error).message})`]);
  }
  const parsed = siteSchema.safeParse(json);
  if (!parsed.success) {
    throw new SiteError(parsed.error.issues.map((i) => `${name}: ${jsonPath(i.path)}: ${i.message}`));
  }
  const problems = semanticProblems(parsed.data).map((p) => `${name}: ${p}`);
  if (problems.length) throw new SiteError(problems);
  return parsed.data;
}

function semanticProblems(site: SitePack): string[] {
  const problems: string[] = [];
  const arp = site.aerodrome.referencePoint;
  const far = (where: string, p: LonLat) => {
    const d = geodesicInverse(arp, p).distanceM;
    if (d > MAX_DISTANCE_FROM_ARP_M) {
      problems.push(
        `${where}: [${p.join(', ')}] is ${(d / 1000).toFixed(1)} km from the aerodrome reference point ` +
          `(at most ${MAX_DISTANCE_FROM_ARP_M / 1000} km; are longitude and latitude swapped?)`,
      );
    }
  };

  site.runways.forEach((rwy, r) => {
    rwy.ends.forEach((end, e) => far(`$.runways[${r}].ends[${e}].position`, end.position));
    const [a, b] = rwy.ends;
    const lengthM = geodesicInverse(a.position, b.position).distanceM;
    if (lengthM < 300 || lengthM > 6000) {
      problems.push(`$.runways[${r}]: runway ${rwy.id} is ${Math.round(lengthM)} m long; a runway is 300 to 6000 m`);
    }
    const heading = (d: string) => Number(d.slice(0, 2));
    const diff = Math.abs(heading(a.designator) - heading(b.designator));
    if (diff !== 18) {
      problems.push(`$.runways[${r}].ends: ${a.designator} and ${b.designator} are not reciprocal ends of one runway`);
    }
    rwy.ends.forEach((end, e) => {
      if (end.displacedThresholdM >= lengthM / 2) {
        problems.push(`$.runways[${r}].ends[${e}].displacedThresholdM: ${end.displacedThresholdM} m is more than half the runway`);
      }
    });
  });

  const ids = new Set<string>();
  site.features.features.forEach((f, i) => {
    if (ids.has(f.id)) problems.push(`$.features.features[${i}].id: "${f.id}" is used twice`);
    ids.add(f.id);
    const g = f.geometry;
    const positions = g.type === 'Point' ? [g.coordinates] : g.type === 'LineString' ? g.coordinates : g.coordinates.flat();
    const firstFar = positions.find((p) => geodesicInverse(arp, p).distanceM > MAX_DISTANCE_FROM_ARP_M);
    if (firstFar) far(`$.features.features[${i}].geometry`, firstFar);
  });

  site.perceptionCircles.forEach((c, i) => {
    if (c.geometry.type === 'Circle') far(`$.perceptionCircles[${i}].geometry.center`, c.geometry.center);
  });
  return problems;
}
