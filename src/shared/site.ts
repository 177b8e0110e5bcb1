// The site pack: one JSON file describing an airport (format "skyfence-site", version 1).
// Coordinates are GeoJSON order [longitude, latitude] in WGS84 degrees; heights in metres.
// docs/site-pack.md documents every field.
import { z } from 'zod';

export const CODE_NUMBERS = [1, 2, 3, 4] as const;
export type CodeNumber = (typeof CODE_NUMBERS)[number];
export const APPROACH_TYPES = ['non-instrument', 'non-precision', 'precision-cat-i', 'precision-cat-ii-iii'] as const;
export type ApproachType = (typeof APPROACH_TYPES)[number];
export const CIRCLE_RINGS = ['remote', 'outer', 'inner', 'core'] as const;
export type CircleRing = (typeof CIRCLE_RINGS)[number];

const lon = z.number().min(-180, 'longitude must be within [-180, 180]').max(180, 'longitude must be within [-180, 180]');
const lat = z.number().min(-90, 'latitude must be within [-90, 90]').max(90, 'latitude must be within [-90, 90]');
export const position = z.tuple([lon, lat]);
const text = z.object({ zh: z.string().min(1), en: z.string().min(1) });
const ring = z.array(position).min(4, 'a ring needs at least 4 positions (closed)');

export const runwayEndSchema = z.object({
  designator: z.string().regex(/^(0[1-9]|[12][0-9]|3[0-6])[LCR]?$/, 'designator must look like 02L, 20R or 36'),
  /** The physical end of the runway pavement. */
  position,
  /** Threshold elevation (metres MSL). */
  elevationM: z.number().min(-500).max(9000),
  /** How far the threshold is displaced inward from the runway end. */
  displacedThresholdM: z.number().min(0).default(0),
  /** Clearway beyond this end, used for the take-off climb surface of the opposite direction. */
  clearwayM: z.number().min(0).default(0),
  approach: z.enum(APPROACH_TYPES),
});

export const runwaySchema = z.object({
  id: z.string().min(1),
  widthM: z.number().positive().max(200),
  codeNumber: z.union([z.literal(1), z.literal(2), z.literal(3), z.literal(4)]),
  ends: z.tuple([runwayEndSchema, runwayEndSchema], { error: 'a runway needs exactly two ends' }),
});

export const FEATURE_KINDS = [
  'terminal', 'building', 'apron', 'taxiway', 'fence', 'road', 'checkpoint', 'police-post', 'police-station',
] as const;
export type FeatureKind = (typeof FEATURE_KINDS)[number];

const geometry = z.discriminatedUnion('type', [
  z.object({ type: z.literal('Point'), coordinates: position }),
  z.object({ type: z.literal('LineString'), coordinates: z.array(position).min(2) }),
  z.object({ type: z.literal('Polygon'), coordinates: z.array(ring).min(1) }),
]);

export const siteFeatureSchema = z.object({
  type: z.literal('Feature'),
  id: z.string().min(1),
  geometry,
  properties: z.object({
    kind: z.enum(FEATURE_KINDS),
    name: text,
    heightM: z.number().min(0).max(500).optional(),
    floors: z.number().int().min(1).max(100).optional(),
    /** For roads: width in metres. */
    widthM: z.number().positive().optional(),
    illustrative: z.boolean().optional(),
  }),
});

export const perceptionCircleSchema = z.object({
  id: z.string().min(1),
  ring: z.enum(CIRCLE_RINGS),
  name: text,
  geometry: z.discriminatedUnion('type', [
    z.object({ type: z.literal('Circle'), center: position, radiusM: z.number().positive().max(200000) }),
    z.object({ type: z.literal('Polygon'), coordinates: z.array(ring).min(1) }),
  ]),
  /** Alarm severity raised when a track enters this circle (1 = info … 4 = critical). */
  alarmSeverity: z.number().int().min(1).max(4),
});

/**
 * An internal map server (PGIS) drawn over the bundled NaturalEarthII imagery. `xyz`: a URL template with
 * {z}/{x}/{y}; `tms`: a TMS root (tilemapresource.xml) or a template with {reverseY}; `wmts`: a RESTful or KVP
 * WMTS endpoint with its layer, style and tile matrix set.
 */
export const imagerySourceSchema = z.object({
  url: z.string().url(),
  kind: z.enum(['xyz', 'tms', 'wmts']).default('xyz'),
  layer: z.string().optional(),
  style: z.string().optional(),
  tileMatrixSetId: z.string().optional(),
});
export type ImagerySource = z.infer<typeof imagerySourceSchema>;

export const siteSchema = z.object({
  format: z.literal('skyfence-site'),
  version: z.literal(1),
  id: z.string().min(1),
  icao: z.string().regex(/^[A-Z]{4}$/),
  iata: z.string().regex(/^[A-Z]{3}$/).optional(),
  name: text,
  notice: text.optional(),
  sources: z.array(z.string()).default([]),
  aerodrome: z.object({
    referencePoint: position,
    elevationM: z.number().min(-500).max(9000),
  }),
  clearance: z
    .object({
      /** CAAC clearance inspection area: runway centreline ± this, and this far beyond each end. */
      uavInspectionLateralM: z.number().positive().default(10000),
      uavInspectionBeyondEndM: z.number().positive().default(20000),
      /** Clearance protection area radius around the aerodrome reference point. */
      protectionRadiusM: z.number().positive().default(55000),
    })
    .default({ uavInspectionLateralM: 10000, uavInspectionBeyondEndM: 20000, protectionRadiusM: 55000 }),
  runways: z.array(runwaySchema).min(1, 'an airport needs at least one runway'),
  features: z.object({ type: z.literal('FeatureCollection'), features: z.array(siteFeatureSchema) }),
  perceptionCircles: z.array(perceptionCircleSchema),
  grid: z.object({
    cellSizeM: z.number().min(50).max(2000).default(200),
    /** Margin around the perimeter fence (or the runways when there is no fence) that the grid covers. */
    marginM: z.number().min(0).max(5000).default(400),
  }),
  imagery: imagerySourceSchema.optional(),
});

export type SitePack = z.infer<typeof siteSchema>;
export type Runway = z.infer<typeof runwaySchema>;
export type RunwayEnd = z.infer<typeof runwayEndSchema>;
export type SiteFeature = z.infer<typeof siteFeatureSchema>;
export type PerceptionCircle = z.infer<typeof perceptionCircleSchema>;

/** A patrol grid cell (网格), generated from the site. */
export interface GridCell {
  id: string;
  row: number;
  col: number;
  /** Closed ring, [lon, lat]. */
  ring: Array<[number, number]>;
  center: [number, number];
  /** The responsible unit: id of the nearest police post or station. */
  unitId: string | null;
}
