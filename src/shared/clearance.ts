// Clearance surfaces and point classification: the names used in exports, the UI and the contract.
export const CLEARANCE_SURFACES = [
  'inner-horizontal', 'conical', 'approach', 'approach-section-2', 'approach-horizontal', 'transitional',
  'take-off-climb', 'uav-inspection-area', 'protection-radius',
] as const;
export type ClearanceSurfaceName = (typeof CLEARANCE_SURFACES)[number];

export interface PointClearance {
  /** Every surface or area containing the point; surfaces carry their height (m MSL) above it. */
  zones: Array<{ surface: ClearanceSurfaceName; runway?: string; heightM?: number }>;
  /** The lowest obstacle limitation surface above the point, if any. */
  lowestSurface: { surface: ClearanceSurfaceName; runway?: string; heightM: number } | null;
  /** Lowest surface height minus the point's altitude (negative when it penetrates). */
  clearanceM: number | null;
  /** How far the point rises through the lowest surface (0 when below it). */
  penetrationM: number;
}

/** A GeoJSON Feature of a clearance surface: 3D coordinates [lon, lat, metres MSL]. */
export interface ClearanceFeature {
  type: 'Feature';
  geometry: { type: 'Polygon'; coordinates: number[][][] } | { type: 'MultiPolygon'; coordinates: number[][][][] };
  properties: { surface: ClearanceSurfaceName; runway?: string; slope: number };
}
