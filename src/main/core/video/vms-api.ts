// The VMS/NVR HTTP API the `vms` source kind polls: the simulator serves it, and a real VMS is reached through
// it (directly, or through a small integration service that maps a vendor API to it). Shaped like the APIs of
// MediaMTX (a list of paths with their state) and Frigate (an event list read with a cursor, a snapshot per
// event). Every request carries `X-Api-Key`. Times are ISO 8601 strings; positions WGS-84.
//
//   GET  /api/cameras                         → VmsCameraList          the inventory (read at start, then every few minutes)
//   GET  /api/cameras/status                  → VmsStatusList          every camera's state, in one answer
//   GET  /api/events?after=<cursor>&limit=N   → VmsEventPage           analytic events and plate reads after a cursor
//   GET  /api/events/<eventId>/snapshot.jpg   → image/jpeg             the event's picture
//   GET  /api/cameras/<id>/snapshot.jpg       → image/jpeg             the picture now
//   GET  /api/cameras/<id>/live.mjpeg         → multipart/x-mixed-replace; boundary=frame
//                                               each part: Content-Type image/jpeg, Content-Length, X-Timestamp (ms
//                                               since the epoch when the frame was taken) — the console's tiles
//                                               show how far behind live a picture is from it
//   POST /api/cameras/<id>/ptz/presets/<presetId>  → { ok: true, presetId }   PTZ: go to a preset
//
// The cursor is opaque to the console: it stores what `next` said and sends it back. An empty `after` reads
// from the oldest event the VMS still holds.
import { z } from 'zod';
import { ANALYTIC_KINDS, CAMERA_KINDS } from '../../../shared/video.ts';

const text = z.object({ zh: z.string().min(1).max(80), en: z.string().min(1).max(80) });
const iso = z.string().min(10).max(40).refine((s) => Number.isFinite(Date.parse(s)), 'an ISO 8601 time');

export const vmsCameraSchema = z.object({
  id: z.string().min(1).max(64).regex(/^[\w.:-]+$/, 'letters, digits, . _ : -'),
  name: text,
  kind: z.enum(CAMERA_KINDS),
  lat: z.number().min(-90).max(90),
  lon: z.number().min(-180).max(180),
  /** The ground's height above mean sea level where it stands. */
  groundAltM: z.number().min(-500).max(9000),
  mountHeightM: z.number().min(0).max(300),
  headingDeg: z.number().min(0).max(360),
  tiltDeg: z.number().min(-90).max(90),
  fovDeg: z.number().gt(0).max(360),
  rangeM: z.number().gt(0).max(20_000),
  presets: z.array(z.object({ id: z.string().min(1).max(64), name: z.string().max(80), headingDeg: z.number().min(0).max(360), tiltDeg: z.number().min(-90).max(90) })).max(256),
  /** The access switch it hangs off. */
  group: z.string().max(64).nullable(),
  area: text.nullable(),
  /** For a checkpoint camera: the checkpoint's id at the VMS. */
  checkpoint: z.string().max(80).nullable(),
});
export type VmsCamera = z.infer<typeof vmsCameraSchema>;

export const vmsCameraListSchema = z.object({ cameras: z.array(vmsCameraSchema).max(20_000) });
export type VmsCameraList = z.infer<typeof vmsCameraListSchema>;

export const vmsStatusListSchema = z.object({
  serverTime: iso,
  cameras: z.array(z.object({
    id: z.string().min(1).max(64),
    online: z.boolean(),
    /** When the VMS last received a frame from it (null: never). A frozen encoder still sends frames. */
    lastFrameAt: iso.nullable(),
  })).max(20_000),
});
export type VmsStatusList = z.infer<typeof vmsStatusListSchema>;

export const vmsEventSchema = z.object({
  id: z.string().min(1).max(64).regex(/^[\w.:-]+$/),
  camera: z.string().min(1).max(64),
  at: iso,
  type: z.enum([...ANALYTIC_KINDS, 'plate']),
  /** Face watch-list hits: the list entry's label. */
  label: z.string().max(80).optional(),
  /** Plate reads. */
  plate: z.object({ text: z.string().min(1).max(16), direction: z.enum(['in', 'out']), lane: z.number().int().min(1).max(32) }).optional(),
  hasSnapshot: z.boolean(),
});
export type VmsEvent = z.infer<typeof vmsEventSchema>;

export const vmsEventPageSchema = z.object({
  events: z.array(vmsEventSchema).max(1000),
  /** Where to read on from; send it back as `after`. */
  next: z.string().max(200),
  /** True when more events wait after `next`. */
  more: z.boolean(),
});
export type VmsEventPage = z.infer<typeof vmsEventPageSchema>;

/** The multipart boundary of live.mjpeg. */
export const MJPEG_BOUNDARY = 'frame';
