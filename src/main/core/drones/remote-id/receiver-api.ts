// The Remote ID receiver's answer to GET /api/drones?max_age=<s>, shaped like the open Sparrow DroneID receiver:
// the receiver, every drone heard within max_age with its decoded fields, and the raw broadcast as hex. The
// console checks every answer against this before it reads a field; the simulator's receiver writes it.
import { z } from 'zod';

/** A drone is active 0–30 s after it was last heard, aging 30–90 s, stale 90–180 s; then it is not listed. */
export const RECEIVER_ACTIVE_S = 30;
export const RECEIVER_AGING_S = 90;
export const RECEIVER_FORGET_S = 180;
export const RECEIVER_STATES = ['active', 'aging', 'stale'] as const;
export type ReceiverDroneState = (typeof RECEIVER_STATES)[number];

export function receiverState(ageS: number): ReceiverDroneState | null {
  if (ageS < 0 || ageS > RECEIVER_FORGET_S) return null;
  return ageS <= RECEIVER_ACTIVE_S ? 'active' : ageS <= RECEIVER_AGING_S ? 'aging' : 'stale';
}

/** One message (25 bytes) or a pack of at most 9: at most 228 bytes. */
const MAX_MESSAGE_HEX = 2 * (3 + 9 * 25);

const lat = z.number().min(-90).max(90);
const lon = z.number().min(-180).max(180);
const alt = z.number().min(-1000).max(31767.5);
const text = (max: number) => z.string().max(max);

export const receiverDroneSchema = z.object({
  serial_number: text(20).nullable(),
  registration_id: text(20).nullable(),
  ua_type: text(40).nullable(),
  lat: lat.nullable(),
  lon: lon.nullable(),
  alt_geo: alt.nullable(),
  alt_baro: alt.nullable(),
  height_agl: alt.nullable(),
  speed: z.number().min(0).max(255).nullable(),
  direction: z.number().min(0).max(360).nullable(),
  vertical_speed: z.number().min(-64).max(64).nullable(),
  operator_lat: lat.nullable(),
  operator_lon: lon.nullable(),
  operator_alt: alt.nullable(),
  operator_id: text(20).nullable(),
  self_id_text: text(23).nullable(),
  /** dBm of the last broadcast heard. */
  rssi: z.number().min(-150).max(0).nullable(),
  /** How it was heard: 'astm-f3411-bt4', 'astm-f3411-bt5', 'astm-f3411-wifi-nan', 'astm-f3411-wifi-beacon'… */
  protocol: z.string().min(1).max(40),
  first_seen: z.iso.datetime({ offset: true }),
  last_seen: z.iso.datetime({ offset: true }),
  state: z.enum(RECEIVER_STATES),
  /** The raw broadcast: single messages or message packs, as hex. */
  messages: z.array(z.string().regex(/^[0-9A-Fa-f]+$/, 'must be hex').max(MAX_MESSAGE_HEX)).min(1).max(32),
});

export const receiverAnswerSchema = z.object({
  receiver: z.object({
    id: z.string().min(1).max(64),
    lat, lon,
    alt: alt.nullable().optional(),
    range_m: z.number().min(0).max(100_000).optional(),
  }),
  drones: z.array(receiverDroneSchema).max(2000),
  counts: z.object({ active: z.number().int().min(0), aging: z.number().int().min(0), stale: z.number().int().min(0) }),
  timestamp: z.iso.datetime({ offset: true }),
});

export type ReceiverDrone = z.infer<typeof receiverDroneSchema>;
export type ReceiverAnswer = z.infer<typeof receiverAnswerSchema>;
