// Domain types shared by the core and the renderer.
import { z } from 'zod';
import type { CircleRing } from './site.ts';

export const ROLES = ['operator', 'coordinator', 'commander', 'admin'] as const;
export type Role = (typeof ROLES)[number];

export interface User {
  username: string;
  displayName: string;
  role: Role;
}

export const geoPoint = z.object({
  lon: z.number().min(-180).max(180),
  lat: z.number().min(-90).max(90),
  altM: z.number().min(-1000).max(30000).optional(),
});
export type GeoPoint = z.infer<typeof geoPoint>;

export const ALARM_SOURCES = ['manual', 'perception', 'video', 'drone', 'drill', 'system'] as const;
export type AlarmSource = (typeof ALARM_SOURCES)[number];
export const ALARM_TYPES = ['manual', 'touch-circle', 'camera-offline', 'drone-intrusion', 'source-silent'] as const;
export type AlarmType = (typeof ALARM_TYPES)[number];
export const ALARM_STATES = ['new', 'acknowledged', 'closed'] as const;
export type AlarmState = (typeof ALARM_STATES)[number];
/** 1 info (提示), 2 minor (一般), 3 major (重要), 4 critical (紧急). */
export type Severity = 1 | 2 | 3 | 4;

/** One alarm model for every source, live or drill. */
export interface Alarm {
  id: string;
  source: AlarmSource;
  type: AlarmType;
  severity: Severity;
  title: string;
  position: GeoPoint | null;
  /** The perception circle the alarm is in (innermost), and its ring. */
  circleId: string | null;
  circleRing: CircleRing | null;
  gridCellId: string | null;
  raisedAt: number;
  state: AlarmState;
  drill: boolean;
  acknowledgedAt: number | null;
  acknowledgedBy: string | null;
  closedAt: number | null;
  closedBy: string | null;
  resolution: string | null;
  details: Record<string, unknown>;
}

/** Queue order: open before closed, most severe first, newest first. */
export function compareAlarms(a: Alarm, b: Alarm): number {
  const closed = (x: Alarm) => (x.state === 'closed' ? 1 : 0);
  return closed(a) - closed(b) || b.severity - a.severity || b.raisedAt - a.raisedAt;
}

export interface Track {
  id: string;
  source: string;
  position: GeoPoint;
  /** What the source says the target is, and how it moves, where it says so. */
  classification?: 'drone' | 'bird' | 'unknown';
  speedMps?: number;
  headingDeg?: number;
  remoteId?: { serial: string; operator: string } | null;
  at: number;
  circleId: string | null;
  circleRing: CircleRing | null;
}

export type SourceHealth = 'ok' | 'degraded' | 'down' | 'idle';

export interface SystemStatus {
  mode: 'live' | 'drill';
  now: number;
  sources: Array<{ id: string; name: { zh: string; en: string }; health: SourceHealth; lastSeen: number | null; detail?: string }>;
  site: { icao: string; name: { zh: string; en: string } };
  dataDir?: string;
}
