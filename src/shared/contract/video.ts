// Video: cameras and their health, "who can see this", media (snapshots, live pictures) by short-lived ticket,
// PTZ presets, the video wall's named layouts, video patrol inspection (视频巡检) and checkpoints (卡口).
import { z } from 'zod';
import { geoPoint, type Person } from '../domain.ts';
import {
  PATROL_VERDICTS, WALL_SIZES, patrolRouteInput,
  type Camera, type CameraCoverage, type CameraState, type PatrolRoute, type PatrolRun, type PlateRead, type WallLayout, type WatchEntry,
} from '../video.ts';
import { ANY_ROLE, call } from './define.ts';

const cameraId = z.string().min(1).max(120);
const runId = z.string().min(1).max(100);
const ON_DUTY = ['operator', 'commander', 'admin'] as const;
/** 渝B·D1234 → 渝BD1234: upper case, without spaces, dashes or the '·' some systems print after the province. */
export function normalisePlate(text: string): string {
  return text.replace(/[\s·・•-]/g, '').toUpperCase();
}

export const PLATE_TOO_SHORT = 'a plate has at least two letters or digits';

/** A plate worth listing: at least two letters or digits (the province character counts) once normalised. */
export function isListablePlate(text: string): boolean {
  return (normalisePlate(text).match(/[\p{L}\p{N}]/gu)?.length ?? 0) >= 2;
}

/** Plates as read: letters, digits and the province character (川A12345, 渝B·D1234). */
const plate = z.string().trim().min(2).max(16).regex(/^[\p{Script=Han}A-Za-z0-9·-]+$/u, 'a plate: letters, digits, the province character')
  .refine(isListablePlate, PLATE_TOO_SHORT);
const timeMs = z.number().int().min(0).max(8.64e15);

export interface CameraList {
  cameras: Camera[];
  states: CameraState[];
}

/** A URL the renderer can load in <img> or fetch: the console's own origin, a ticket that expires. */
export interface MediaLink {
  url: string;
  expiresAt: number;
}

export interface PlateSearch {
  reads: PlateRead[];
  /** True when more matched than were returned (narrow the search). */
  more: boolean;
}

export interface PatrolDue {
  routeId: string;
  /** The scheduled start (core clock, ms) that has no run yet. */
  dueAt: number;
  missed: boolean;
}

export const videoCalls = {
  'video.cameras': call(z.object({}).strict(), ANY_ROLE).returns<CameraList>(),
  /** The cameras whose field of view and range cover a point: nearest first. */
  'video.whoCanSee': call(
    z.object({ point: geoPoint, limit: z.number().int().min(1).max(50).optional() }).strict(),
    ANY_ROLE,
  ).returns<CameraCoverage[]>(),
  /** A link to a camera's snapshot or live picture, or to kept evidence (an event's snapshot). */
  'video.media': call(
    z.union([
      z.object({ kind: z.enum(['snapshot', 'live']), cameraId }).strict(),
      z.object({ kind: z.literal('evidence'), snapshotId: z.string().regex(/^[a-f0-9-]{8,64}$/) }).strict(),
    ]),
    ANY_ROLE,
  ).returns<MediaLink>(),
  'video.gotoPreset': call(z.object({ cameraId, presetId: z.string().min(1).max(64) }).strict(), ON_DUTY).returns<CameraState>(),

  'wall.layouts': call(z.object({}).strict(), ANY_ROLE).returns<WallLayout[]>(),
  'wall.saveLayout': call(
    z.object({
      name: z.string().trim().min(1).max(40),
      size: z.union(WALL_SIZES.map((n) => z.literal(n)) as [z.ZodLiteral<1>, z.ZodLiteral<4>, z.ZodLiteral<9>, z.ZodLiteral<16>]),
      tiles: z.array(cameraId.nullable()).max(16),
    }).strict().refine((l) => l.tiles.length <= l.size, { message: 'more tiles than the layout has', path: ['tiles'] }),
    ANY_ROLE,
  ).returns<WallLayout>(),
  'wall.deleteLayout': call(z.object({ name: z.string().trim().min(1).max(40) }).strict(), ANY_ROLE).returns<{ deleted: boolean }>(),

  'patrol.routes': call(z.object({}).strict(), ANY_ROLE).returns<PatrolRoute[]>(),
  'patrol.saveRoute': call(patrolRouteInput.strict(), ['commander', 'admin']).returns<PatrolRoute>(),
  /** Scheduled runs of today not yet done: due (within 30 min of their time) or missed. */
  'patrol.due': call(z.object({}).strict(), ANY_ROLE).returns<PatrolDue[]>(),
  'patrol.start': call(z.object({ routeId: z.string().min(1).max(40) }).strict(), ON_DUTY).returns<PatrolRun>(),
  /** A verdict for one camera of a run; an abnormal or a picture fault needs a note. The snapshot is kept. */
  'patrol.check': call(
    z.object({ runId, cameraId, verdict: z.enum(PATROL_VERDICTS), note: z.string().trim().max(500) }).strict()
      .refine((c) => c.verdict === 'normal' || c.note.length > 0, { message: 'say what is wrong', path: ['note'] }),
    ON_DUTY,
  ).returns<PatrolRun>(),
  'patrol.finish': call(z.object({ runId }).strict(), ON_DUTY).returns<PatrolRun>(),
  /** Runs of a period (a shift), newest first. */
  'patrol.runs': call(z.object({ from: timeMs, to: timeMs }).strict(), ANY_ROLE).returns<PatrolRun[]>(),
  /** The report of a period as a file: CSV, or PDF with the Chinese text embedded. */
  'patrol.report': call(z.object({ from: timeMs, to: timeMs, format: z.enum(['csv', 'pdf']) }).strict(), ANY_ROLE).returns<MediaLink>(),

  'plates.search': call(
    z.object({ plate: z.string().trim().max(16).optional(), checkpointId: z.string().max(80).optional(), from: timeMs.optional(), to: timeMs.optional(), limit: z.number().int().min(1).max(1000).optional() }).strict(),
    ANY_ROLE,
  ).returns<PlateSearch>(),
  'watchlist.list': call(z.object({}).strict(), ANY_ROLE).returns<WatchEntry[]>(),
  'watchlist.add': call(z.object({ plate, reason: z.string().trim().min(1).max(200) }).strict(), ['commander', 'admin']).returns<WatchEntry>(),
  'watchlist.remove': call(z.object({ plate }).strict(), ['commander', 'admin']).returns<{ removed: boolean }>(),
};

export interface VideoEvents {
  /** Cameras whose health (or PTZ preset) changed. */
  'cameras.changed': { states: CameraState[] };
  /** A plate read at a checkpoint (the list of reads grows live). */
  'plates.read': PlateRead;
  /** The watch list changed. */
  'watchlist.changed': { entries: WatchEntry[]; by: Person };
}
