// The simulated Remote ID receiver: what a ground receiver (Sparrow DroneID-like) placed on the airfield hears
// of the simulated sky. Every drone with Remote ID within range broadcasts real ASTM F3411 messages (a pack of
// BasicID(s), Location, SelfID, System, OperatorID, encoded by the core's codec); the receiver remembers when
// it first and last heard each one, and keeps listing a drone that went quiet as aging, then stale, until 180 s.
// Like a real receiver, its JSON fields are what it decoded of the broadcast (quantised), not the sky's truth.
import type { IncomingMessage, ServerResponse } from 'node:http';
import { decodeBytes, encodePack, UA_TYPES, type LocationMessage, type RemoteIdMessage } from '../../main/core/drones/remote-id/codec.ts';
import { summarise } from '../../main/core/drones/remote-id/summary.ts';
import { bytesToHex } from '../../main/core/drones/remote-id/hex.ts';
import {
  RECEIVER_FORGET_S, receiverState, type ReceiverAnswer, type ReceiverDrone,
} from '../../main/core/drones/remote-id/receiver-api.ts';
import type { SkyObject } from './sky-types.ts';

export interface RemoteIdReceiverOptions {
  receiver: { id: string; lat: number; lon: number };
  /** How far it hears a broadcast (Bluetooth 5 long range with a good antenna): default 5 km. */
  rangeM?: number;
}

export const DEFAULT_RANGE_M = 5_000;
/** The most drones it remembers: a receiver's memory is finite, a runaway scenario must not be. */
const MAX_REMEMBERED = 2_000;

interface Heard {
  firstSeen: number;
  lastSeen: number;
  /** Its fields and messages as last heard, listed unchanged while it is quiet. */
  last: Omit<ReceiverDrone, 'first_seen' | 'last_seen' | 'state'>;
}

/** Ground distance (equirectangular: exact enough within a receiver's range). */
function groundDistanceM(aLat: number, aLon: number, bLat: number, bLon: number): number {
  const r = 6_371_000;
  const x = ((bLon - aLon) * Math.PI) / 180 * Math.cos((((aLat + bLat) / 2) * Math.PI) / 180);
  const y = ((bLat - aLat) * Math.PI) / 180;
  return Math.hypot(x, y) * r;
}

/**
 * Free-space path loss from −26 dBm at 1 m: about −66 dBm at 100 m and −100 dBm at 5 km, the edge of
 * Bluetooth 5 long range reception.
 */
export function rssiAt(distanceM: number): number {
  return Math.round(-26 - 20 * Math.log10(Math.max(1, distanceM)));
}

/** F3411 text is ASCII of a fixed size: what a transmitter would make of a scenario's text. */
export const asciiField = (text: string, max: number) => text.replace(/[^\x20-\x7e]/g, '?').slice(0, max);

/** The identity a sky object's transmitter is configured with, as it fits the messages. */
function broadcastIdentity(o: SkyObject) {
  const rid = o.remoteId!;
  return {
    serial: asciiField(rid.serial, 20),
    registrationId: rid.registrationId === null ? null : asciiField(rid.registrationId, 20),
    operatorId: asciiField(rid.operatorId, 20),
    selfIdText: asciiField(rid.selfIdText, 23),
  };
}

/** The messages a sky object broadcasts at `nowMs`, as its transmitter would encode them. */
export function broadcastOf(o: SkyObject, nowMs: number): RemoteIdMessage[] {
  const rid = { ...o.remoteId!, ...broadcastIdentity(o) };
  const uaType = UA_TYPES[rid.uaType];
  const messages: RemoteIdMessage[] = [{ type: 'basic-id', idType: 'serial-number', uaType, uasId: rid.serial }];
  if (rid.registrationId) messages.push({ type: 'basic-id', idType: 'caa-registration', uaType, uasId: rid.registrationId });
  messages.push(
    {
      type: 'location', status: 'airborne', heightType: 'above-ground',
      directionDeg: o.heading >= 0 && o.heading < 360 ? o.heading : ((o.heading % 360) + 360) % 360, speedMps: Math.max(0, o.speed), verticalSpeedMps: o.verticalSpeed,
      lat: o.lat, lon: o.lon,
      // The simulated sky has one altitude; the geoid separation and the pressure altitude's offset are left out.
      altitudeGeoM: o.altMsl, altitudeBaroM: o.altMsl, heightM: o.heightAgl,
      horizontalAccuracy: '<3m', verticalAccuracy: '<10m', baroAccuracy: '<3m', speedAccuracy: '<1m/s',
      timestampAccuracyS: 0.1, timestampS: (nowMs % 3_600_000) / 1000,
    },
    { type: 'self-id', descriptionType: 'text', description: rid.selfIdText },
    {
      type: 'system', operatorLocationType: 'live-gnss', classificationType: 'undeclared',
      operatorLat: rid.operator.lat, operatorLon: rid.operator.lon, operatorAltitudeGeoM: rid.operator.altMsl,
      areaCount: 1, areaRadiusM: 0, areaCeilingM: null, areaFloorM: null, categoryEu: 'undeclared', classEu: 'undeclared',
      timestampS: Math.floor((nowMs - Date.UTC(2019, 0, 1)) / 1000),
    },
    { type: 'operator-id', operatorIdType: 'operator-id', operatorId: rid.operatorId },
  );
  return messages;
}

/** What the receiver reports of a broadcast it heard: the fields as it decoded them, and the raw pack. */
function heardFields(o: SkyObject, nowMs: number, distanceM: number): Heard['last'] {
  const pack = encodePack(broadcastOf(o, nowMs));
  const decoded = decodeBytes(pack);
  const m = summarise(decoded);
  const loc = decoded.find((x): x is LocationMessage => x.type === 'location')!;
  return {
    serial_number: m.identity.serial ?? null,
    registration_id: m.identity.registrationId ?? null,
    ua_type: m.identity.uaType ?? null,
    lat: loc.lat, lon: loc.lon, alt_geo: loc.altitudeGeoM, alt_baro: loc.altitudeBaroM, height_agl: m.heightAglM,
    speed: m.speedMps, direction: m.headingDeg, vertical_speed: m.verticalSpeedMps,
    operator_lat: m.pilot?.lat ?? null, operator_lon: m.pilot?.lon ?? null, operator_alt: m.pilot?.altM ?? null,
    operator_id: m.identity.operatorId ?? null, self_id_text: m.identity.selfIdText ?? null,
    rssi: rssiAt(Math.hypot(distanceM, o.heightAgl)),
    protocol: 'astm-f3411-bt5',
    messages: [bytesToHex(pack)],
  };
}

export function remoteIdReceiver(opts: RemoteIdReceiverOptions): {
  handle(req: IncomingMessage, res: ServerResponse, url: URL, sky: SkyObject[], nowMs: number): boolean;
} {
  const rangeM = opts.rangeM ?? DEFAULT_RANGE_M;
  const heard = new Map<string, Heard>(); // by serial, as a receiver knows a drone

  const listen = (sky: SkyObject[], nowMs: number) => {
    for (const o of sky) {
      if (!o.remoteId) continue;
      const d = groundDistanceM(opts.receiver.lat, opts.receiver.lon, o.lat, o.lon);
      if (d > rangeM) continue;
      const key = o.remoteId.serial;
      const before = heard.get(key);
      if (!before && heard.size >= MAX_REMEMBERED) continue;
      let last: Heard['last'];
      try {
        last = heardFields(o, nowMs, d);
      } catch {
        continue; // a transmitter cannot send what does not fit its messages (a position off the globe): nothing heard
      }
      heard.set(key, { firstSeen: before?.firstSeen ?? nowMs, lastSeen: nowMs, last });
    }
    for (const [key, h] of heard) if (nowMs - h.lastSeen > RECEIVER_FORGET_S * 1000) heard.delete(key);
  };

  return {
    handle(req, res, url, sky, nowMs) {
      if (url.pathname !== '/api/drones') return false;
      req.on('error', () => res.destroy());
      const json = (status: number, body: unknown) => res.writeHead(status, { 'Content-Type': 'application/json' }).end(JSON.stringify(body));
      if (req.method !== 'GET') {
        res.setHeader('Allow', 'GET');
        json(405, { error: 'GET /api/drones?max_age=<seconds>' });
        return true;
      }
      const given = url.searchParams.get('max_age');
      const maxAgeS = given === null ? RECEIVER_FORGET_S : Number(given);
      if (given !== null && (given.trim() === '' || !Number.isFinite(maxAgeS) || maxAgeS < 0)) {
        json(400, { error: `max_age must be a number of seconds ≥ 0, not "${given}"` });
        return true;
      }
      listen(sky, nowMs);
      const counts = { active: 0, aging: 0, stale: 0 };
      const drones: ReceiverDrone[] = [];
      for (const h of heard.values()) {
        const ageS = (nowMs - h.lastSeen) / 1000;
        const state = receiverState(ageS);
        if (!state || ageS > maxAgeS) continue;
        counts[state]++;
        drones.push({ ...h.last, first_seen: new Date(h.firstSeen).toISOString(), last_seen: new Date(h.lastSeen).toISOString(), state });
      }
      const answer: ReceiverAnswer = {
        receiver: { ...opts.receiver, range_m: rangeM },
        drones, counts, timestamp: new Date(nowMs).toISOString(),
      };
      json(200, answer);
      return true;
    },
  };
}
