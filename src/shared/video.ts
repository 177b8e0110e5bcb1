// Video: the cameras of every video source (a VMS/NVR, ONVIF cameras), their health, analytic events,
// checkpoint plate reads, the video wall's layouts and video patrol inspection (视频巡检). Shared by the core
// and the renderer; everything is data the renderer words in the operator's language.
import { z } from 'zod';
import type { GeoPoint, LocalText, Person } from './domain.ts';

export const CAMERA_KINDS = ['fixed', 'ptz', 'checkpoint', 'face'] as const;
export type CameraKind = (typeof CAMERA_KINDS)[number];

/** A PTZ preset and the direction it looks, so that "who can see this" can recall the right one. */
export interface CameraPreset {
  id: string;
  name: string;
  headingDeg: number;
  tiltDeg: number;
}

export interface Camera {
  /** Unique across sources: `<sourceId>/<the source's camera id>`. */
  id: string;
  sourceId: string;
  /** The source's own id for it. */
  cameraId: string;
  name: LocalText;
  kind: CameraKind;
  /** Where it is mounted: lon/lat, and `altM` the mounting point's height above mean sea level. */
  position: GeoPoint & { altM: number };
  /** Above the ground it stands on. */
  mountHeightM: number;
  /** Where it looks: degrees clockwise from true north, and down from the horizontal (positive = down). */
  headingDeg: number;
  tiltDeg: number;
  /** Horizontal field of view, degrees; a PTZ camera's is that of its current zoom. */
  fovDeg: number;
  /** How far it usefully sees (recognises a person), metres. */
  rangeM: number;
  presets: CameraPreset[];
  /** The network group (the access switch) it hangs off: cameras behind one dead switch are one alarm. */
  group: string | null;
  /** The area it covers (T2 出发层, 停车场 P3 …), as the VMS names it. */
  area: LocalText | null;
  gridCellId: string | null;
  /** A checkpoint (卡口) camera: the checkpoint it reads plates for. */
  checkpointId: string | null;
}

/** `unknown` until the first poll; `frozen`: online but the picture does not change. */
export const CAMERA_HEALTHS = ['online', 'offline', 'frozen', 'unknown'] as const;
export type CameraHealth = (typeof CAMERA_HEALTHS)[number];

export interface CameraState {
  id: string;
  health: CameraHealth;
  /** Since when (core clock, ms). */
  since: number;
  /** The preset a PTZ camera was last sent to. */
  presetId?: string | null;
}

export const ANALYTIC_KINDS = ['motion', 'line-crossing', 'intrusion', 'loitering', 'unattended-object', 'face-watchlist', 'tamper'] as const;
export type AnalyticKind = (typeof ANALYTIC_KINDS)[number];

/** A checkpoint plate read (过车记录). */
export interface PlateRead {
  id: string;
  sourceId: string;
  cameraId: string;
  checkpointId: string;
  plate: string;
  direction: 'in' | 'out';
  lane: number;
  at: number;
  /** Set when the plate was on the watch list when it was read. */
  watchHit: boolean;
}

/** The watch list (布控名单). */
export interface WatchEntry {
  plate: string;
  reason: string;
  addedBy: Person;
  addedAt: number;
}

/** A camera that covers a point: nearest first. */
export interface CameraCoverage {
  cameraId: string;
  distanceM: number;
  /** Bearing from the camera to the point, degrees from north. */
  bearingDeg: number;
  /** For a PTZ camera: the preset that looks there (null when none does; then it is turned by hand). */
  presetId: string | null;
}

export const WALL_SIZES = [1, 4, 9, 16] as const;
export type WallSize = (typeof WALL_SIZES)[number];

/** A named layout of the video wall: `tiles[i]` is the camera in tile i (row by row), or null. */
export interface WallLayout {
  name: string;
  size: WallSize;
  tiles: Array<string | null>;
  savedBy: Person;
  savedAt: number;
}

/** A video patrol route (巡检路线): cameras in order, each shown for `dwellS`. */
export interface PatrolRoute {
  id: string;
  name: string;
  cameraIds: string[];
  dwellS: number;
  /** Shift start times (HH:MM, local) at which it must be run; a run not started within 30 min is missed. */
  schedule: string[];
}

export const PATROL_VERDICTS = ['normal', 'picture-fault', 'abnormal'] as const;
export type PatrolVerdict = (typeof PATROL_VERDICTS)[number];

export interface PatrolCheck {
  cameraId: string;
  verdict: PatrolVerdict;
  note: string;
  at: number;
  /** The snapshot kept as evidence (a media id, served like other snapshots). */
  snapshotId: string | null;
}

/** One run of a route by an operator (a 巡检记录), and its report once finished. */
export interface PatrolRun {
  id: string;
  routeId: string;
  routeName: string;
  by: Person;
  startedAt: number;
  finishedAt: number | null;
  checks: PatrolCheck[];
  /** Cameras of the route without a verdict when it was finished. */
  missed: string[];
}

export const patrolRouteInput = z.object({
  id: z.string().regex(/^[a-z0-9][a-z0-9-]{0,39}$/).optional(),
  name: z.string().trim().min(1).max(60),
  cameraIds: z.array(z.string().min(1).max(120)).min(1).max(200),
  dwellS: z.number().int().min(3).max(600),
  schedule: z.array(z.string().regex(/^([01]\d|2[0-3]):[0-5]\d$/, 'HH:MM')).max(12),
});

/** What a media URL is for. */
export type MediaKind = 'snapshot' | 'live' | 'evidence';
