// The contract between the core and the renderer: every call with its input schema, result type and
// the roles allowed to make it, and every event stream. Served by Electron IPC and by the browser host's
// WebSocket alike; the renderer sees one `SkyfenceApi` either way.
import { z } from 'zod';
import type { PointClearance, ClearanceFeature } from './clearance.ts';
import { geoPoint, ROLES, type Alarm, type Role, type SystemStatus, type Track, type User } from './domain.ts';
import type { GridCell, ImagerySource, SitePack } from './site.ts';
import type { EventName } from './events.ts';

const empty = z.object({}).strict();
const id = z.string().min(1).max(100);
const ANY_ROLE: readonly Role[] = ['operator', 'coordinator', 'commander', 'admin'];

export interface SiteView {
  pack: SitePack;
  grid: GridCell[];
  clearance: ClearanceFeature[];
  /** An internal map server, when configured. */
  imagery?: ImagerySource;
}

/** A call: its input schema, its result type (phantom) and who may make it (null: before login). */
export interface CallSpec<I extends z.ZodType, O> {
  input: I;
  roles: readonly Role[] | null;
  _output?: O;
}
const call = <I extends z.ZodType, O>(input: I, roles: readonly Role[] | null): CallSpec<I, O> => ({ input, roles });

export const CALLS = {
  /** Signs in; the result carries a resume token for `session.resume` after a lost connection. */
  'session.login': call<z.ZodObject<{ username: z.ZodString; password: z.ZodString }>, User & { resumeToken: string }>(
    z.object({ username: z.string().min(1).max(64), password: z.string().min(1).max(256) }).strict(),
    null,
  ),
  'session.logout': call<typeof empty, { ok: true }>(empty, ANY_ROLE),
  'session.current': call<typeof empty, User | null>(empty, null),
  'session.resume': call<z.ZodObject<{ token: z.ZodString }>, User>(z.object({ token: z.string().min(20).max(100) }).strict(), null),
  'session.changePassword': call<z.ZodObject<{ currentPassword: z.ZodString; newPassword: z.ZodString }>, { ok: true; resumeToken: string }>(
    z.object({ currentPassword: z.string().min(1).max(256), newPassword: z.string().min(10, 'at least 10 characters').max(256) }).strict(),
    ANY_ROLE,
  ),
  'users.list': call<typeof empty, Array<User & { createdAt: number }>>(empty, ['admin']),
  'users.create': call<z.ZodObject<{ username: z.ZodString; displayName: z.ZodString; role: z.ZodEnum<{ [K in Role]: K }>; password: z.ZodString }>, User>(
    z.object({
      username: z.string().regex(/^[a-z][a-z0-9._-]{1,31}$/, 'lower-case letters, digits, . _ -; 2–32 characters'),
      displayName: z.string().trim().min(1).max(40),
      role: z.enum(ROLES),
      password: z.string().min(10, 'at least 10 characters').max(256),
    }).strict(),
    ['admin'],
  ),
  'system.status': call<typeof empty, SystemStatus>(empty, ANY_ROLE),
  'site.get': call<typeof empty, SiteView>(empty, ANY_ROLE),
  'clearance.classify': call<typeof geoPoint, PointClearance & { circles: string[]; gridCellId: string | null }>(geoPoint, ANY_ROLE),
  'alarms.list': call<z.ZodObject<{ includeClosed: z.ZodOptional<z.ZodBoolean> }>, Alarm[]>(
    z.object({ includeClosed: z.boolean().optional() }).strict(),
    ANY_ROLE,
  ),
  'alarms.raiseManual': call<z.ZodObject<{ position: typeof geoPoint; severity: z.ZodNumber; note: z.ZodString }>, Alarm>(
    z.object({ position: geoPoint, severity: z.number().int().min(1).max(4), note: z.string().max(500) }).strict(),
    ['operator', 'commander', 'admin'],
  ),
  'alarms.acknowledge': call<z.ZodObject<{ id: typeof id }>, Alarm>(z.object({ id }).strict(), ['operator', 'commander', 'admin']),
  'alarms.close': call<z.ZodObject<{ id: typeof id; resolution: z.ZodString }>, Alarm>(
    z.object({ id, resolution: z.string().min(1).max(500) }).strict(),
    ['operator', 'commander', 'admin'],
  ),
  'tracks.list': call<typeof empty, Track[]>(empty, ANY_ROLE),
  /** The manual position feed: one position of a track from an integration or an operator. */
  'tracks.report': call<z.ZodObject<{ trackId: typeof id; source: z.ZodString; position: typeof geoPoint }>, Track>(
    z.object({ trackId: id, source: z.string().min(1).max(40), position: geoPoint }).strict(),
    ['operator', 'coordinator', 'admin'],
  ),
} as const;

export type CallName = keyof typeof CALLS;
export type CallInput<N extends CallName> = z.input<(typeof CALLS)[N]['input']>;
export type CallOutput<N extends CallName> = (typeof CALLS)[N] extends CallSpec<z.ZodType, infer O> ? O : never;

export interface EventPayloads extends Record<EventName, unknown> {
  'alarm.changed': Alarm;
  'track.updated': Track;
  'track.removed': { id: string };
  'status.changed': SystemStatus;
}
export { EVENT_NAMES, type EventName } from './events.ts';

/** What the renderer holds: the same over IPC and over the browser host's WebSocket. */
export interface SkyfenceApi {
  call<N extends CallName>(name: N, input: CallInput<N>): Promise<CallOutput<N>>;
  on<E extends EventName>(event: E, listener: (payload: EventPayloads[E]) => void): () => void;
}

/** Errors that cross the boundary carry a stable code the UI can translate. */
export type ApiErrorCode = 'bad-request' | 'unauthenticated' | 'forbidden' | 'not-found' | 'conflict' | 'rate-limited' | 'internal';
export interface ApiErrorBody {
  code: ApiErrorCode;
  message: string;
}

/** WebSocket frames of the browser host. */
export type ClientFrame = { kind: 'call'; id: number; name: string; input: unknown };
export type ServerFrame =
  | { kind: 'result'; id: number; result: unknown }
  | { kind: 'error'; id: number; error: ApiErrorBody }
  | { kind: 'event'; event: EventName; payload: unknown };
