// What the GPS simulator knows of the units: the site's units file (<site folder>/response/units.json), each
// unit's home feature resolved against the site pack, all in the site's local metric frame (x east, y north,
// metres about the aerodrome reference point). A unit whose home is not in the site pack is an error naming
// both, not a unit standing at 0,0.
import { readFile } from 'node:fs/promises';
import { basename } from 'node:path';
import { unitsFileSchema, type UnitEntry } from '../../shared/units-file.ts';
import type { SitePack, SiteFeature } from '../../shared/site.ts';
import { LocalFrame, type XY } from '../../main/core/geo/local-frame.ts';

/** One unit as the simulator moves it. */
export interface SimUnit {
  id: string;
  kind: UnitEntry['kind'];
  speedMps: number;
  /** A patrol's route, in the local frame (as the file gives it). */
  route: XY[] | null;
  /** Where a unit without a route stands: its home feature, or its position. */
  home: XY | null;
}

export class UnitsPackError extends Error {}

export async function loadUnitsFile(file: string, site: SitePack, frame: LocalFrame): Promise<SimUnit[]> {
  let raw: string;
  try {
    raw = await readFile(file, 'utf8');
  } catch (err) {
    throw new UnitsPackError(`cannot read the units file ${file}: ${(err as NodeJS.ErrnoException).code ?? (err as Error).message}`);
  }
  return parseUnitsFile(raw, basename(file), site, frame);
}

export function parseUnitsFile(raw: string, name: string, site: SitePack, frame: LocalFrame): SimUnit[] {
  let json: unknown;
  try {
    json = JSON.parse(raw);
  } catch (err) {
    throw new UnitsPackError(`${name}: not valid JSON (${(err as Error).message})`);
  }
  const parsed = unitsFileSchema.safeParse(json);
  if (!parsed.success) {
    throw new UnitsPackError(parsed.error.issues.slice(0, 5).map((i) => `${name}: ${i.path.join('.') || '$'}: ${i.message}`).join('\n'));
  }
  const features = new Map(site.features.features.map((f) => [f.id, f]));
  return parsed.data.units.map((u, i) => {
    let home: XY | null = null;
    if (u.home !== undefined) {
      const feature = features.get(u.home);
      if (!feature) throw new UnitsPackError(`${name}: units.${i}.home: unit ${u.id} stands at "${u.home}", which the site pack ${site.id} has no feature of`);
      home = frame.toLocal(featureCentre(feature));
    } else if (u.position) {
      home = frame.toLocal(u.position);
    }
    return { id: u.id, kind: u.kind, speedMps: u.speedMps, route: u.route ? u.route.map((p) => frame.toLocal(p)) : null, home };
  });
}

/** A point feature's point, a line's middle vertex, a polygon's vertex average (its outer ring, unclosed). */
export function featureCentre(feature: SiteFeature): [number, number] {
  const g = feature.geometry;
  if (g.type === 'Point') return [g.coordinates[0], g.coordinates[1]];
  if (g.type === 'LineString') {
    const p = g.coordinates[Math.floor(g.coordinates.length / 2)];
    return [p[0], p[1]];
  }
  const ring = g.coordinates[0];
  const closed = ring.length > 1 && ring[0][0] === ring.at(-1)![0] && ring[0][1] === ring.at(-1)![1];
  const pts = closed ? ring.slice(0, -1) : ring;
  return [pts.reduce((s, p) => s + p[0], 0) / pts.length, pts.reduce((s, p) => s + p[1], 0) / pts.length];
}
