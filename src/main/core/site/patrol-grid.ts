// The patrol grid (网格化巡控): square cells over the airport area, each with an id and the nearest police
// post or station as its responsible unit. Cells are aligned east/north in the site's local frame.
import type { GridCell, SitePack } from '../../../shared/site.ts';
import type { LocalFrame, XY } from '../geo/local-frame.ts';
import { length, sub } from '../geo/planar.ts';

export interface PatrolGrid {
  cells: GridCell[];
  /** The cell containing a local point, or null outside the grid. */
  cellAt(p: XY): GridCell | null;
}

export function buildPatrolGrid(site: SitePack, frame: LocalFrame): PatrolGrid {
  const { cellSizeM, marginM } = site.grid;
  const fence = site.features.features.filter((f) => f.properties.kind === 'fence');
  const outline = fence.length
    ? fence.flatMap((f) => (f.geometry.type === 'Polygon' ? f.geometry.coordinates[0] : f.geometry.type === 'LineString' ? f.geometry.coordinates : [f.geometry.coordinates]))
    : site.runways.flatMap((r) => r.ends.map((e) => e.position));
  const pts = outline.map((p) => frame.toLocal(p));
  const minX = Math.floor((Math.min(...pts.map((p) => p.x)) - marginM) / cellSizeM) * cellSizeM;
  const minY = Math.floor((Math.min(...pts.map((p) => p.y)) - marginM) / cellSizeM) * cellSizeM;
  const maxX = Math.max(...pts.map((p) => p.x)) + marginM;
  const maxY = Math.max(...pts.map((p) => p.y)) + marginM;

  const units = site.features.features
    .filter((f) => (f.properties.kind === 'police-post' || f.properties.kind === 'police-station') && f.geometry.type === 'Point')
    .map((f) => ({ id: f.id, at: frame.toLocal(f.geometry.coordinates as [number, number]) }));
  const nearestUnit = (p: XY) =>
    units.reduce<{ id: string; d: number } | null>((best, u) => {
      const d = length(sub(p, u.at));
      return !best || d < best.d ? { id: u.id, d } : best;
    }, null)?.id ?? null;

  const cells: GridCell[] = [];
  const rows = Math.ceil((maxY - minY) / cellSizeM);
  const cols = Math.ceil((maxX - minX) / cellSizeM);
  const pad = (n: number) => String(n).padStart(2, '0');
  for (let row = 0; row < rows; row++) {
    for (let col = 0; col < cols; col++) {
      const x0 = minX + col * cellSizeM;
      const y0 = minY + row * cellSizeM;
      const corners: XY[] = [
        { x: x0, y: y0 }, { x: x0 + cellSizeM, y: y0 }, { x: x0 + cellSizeM, y: y0 + cellSizeM }, { x: x0, y: y0 + cellSizeM },
      ];
      const ring = [...corners, corners[0]].map((c) => frame.toLonLat(c));
      const centre = { x: x0 + cellSizeM / 2, y: y0 + cellSizeM / 2 };
      cells.push({ id: `G${pad(row)}-${pad(col)}`, row, col, ring, center: frame.toLonLat(centre), unitId: nearestUnit(centre) });
    }
  }
  const cellAt = (p: XY) => {
    const row = Math.floor((p.y - minY) / cellSizeM);
    const col = Math.floor((p.x - minX) / cellSizeM);
    return row >= 0 && row < rows && col >= 0 && col < cols ? cells[row * cols + col] : null;
  };
  return { cells, cellAt };
}
