// ASTM F3411-22a / ASD-STAN prEN 4709-002 broadcast Remote ID messages (protocol version 2): 25-byte messages,
// type in the high nibble of byte 0, version in the low one, little-endian fields; a message pack is
// F2 19 N followed by N messages. Fields are in engineering units (degrees, metres, m/s, seconds, text), enums
// as names, and "unknown" as null. Quantisation follows the reference implementation (opendroneid-core-c),
// including its float32 arithmetic, so that our bytes equal a real transmitter's. Pure TypeScript on
// Uint8Array/DataView: the simulator encodes with it, the console decodes with it.
import { RemoteIdError } from './errors.ts';
import { bytesToHex, hexToBytes } from './hex.ts';

export { RemoteIdError } from './errors.ts';

export const MESSAGE_SIZE = 25;
export const PROTOCOL_VERSION = 2;
export const PACK_MAX_MESSAGES = 9;
/** System and Authentication timestamps count seconds from here. */
export const REMOTE_ID_EPOCH_MS = Date.UTC(2019, 0, 1);

/** A value outside an enum's names: reserved by the standard, or left to private use. */
export type OtherValue = `reserved-${number}` | `private-${number}`;

export const ID_TYPES = ['none', 'serial-number', 'caa-registration', 'utm-assigned', 'specific-session'] as const;
export const UA_TYPES = [
  'none', 'aeroplane', 'helicopter-or-multirotor', 'gyroplane', 'hybrid-lift', 'ornithopter', 'glider', 'kite',
  'free-balloon', 'captive-balloon', 'airship', 'free-fall-parachute', 'rocket', 'tethered-powered-aircraft',
  'ground-obstacle', 'other',
] as const;
export const STATUSES = ['undeclared', 'ground', 'airborne', 'emergency', 'remote-id-system-failure'] as const;
export const HEIGHT_TYPES = ['above-takeoff', 'above-ground'] as const;
/** Horizontal accuracy bounds: nautical miles, then metres. */
export const HORIZONTAL_ACCURACIES = [
  'unknown', '<10nm', '<4nm', '<2nm', '<1nm', '<0.5nm', '<0.3nm', '<0.1nm', '<0.05nm', '<30m', '<10m', '<3m', '<1m',
] as const;
/** Vertical (geodetic) and barometric altitude accuracy bounds. */
export const VERTICAL_ACCURACIES = ['unknown', '<150m', '<45m', '<25m', '<10m', '<3m', '<1m'] as const;
export const SPEED_ACCURACIES = ['unknown', '<10m/s', '<3m/s', '<1m/s', '<0.3m/s'] as const;
export const AUTH_TYPES = [
  'none', 'uas-id-signature', 'operator-id-signature', 'message-set-signature', 'network-remote-id', 'specific-authentication',
] as const;
export const DESCRIPTION_TYPES = ['text', 'emergency', 'extended-status'] as const;
export const OPERATOR_LOCATION_TYPES = ['takeoff', 'live-gnss', 'fixed'] as const;
export const CLASSIFICATION_TYPES = ['undeclared', 'eu'] as const;
export const EU_CATEGORIES = ['undeclared', 'open', 'specific', 'certified'] as const;
export const EU_CLASSES = ['undeclared', 'class-0', 'class-1', 'class-2', 'class-3', 'class-4', 'class-5', 'class-6'] as const;
export const OPERATOR_ID_TYPES = ['operator-id'] as const;

type Enum<T extends readonly string[]> = T[number] | OtherValue;
export type IdType = Enum<typeof ID_TYPES>;
export type UaType = Enum<typeof UA_TYPES>;
export type Status = Enum<typeof STATUSES>;
export type HorizontalAccuracy = Enum<typeof HORIZONTAL_ACCURACIES>;
export type VerticalAccuracy = Enum<typeof VERTICAL_ACCURACIES>;
export type SpeedAccuracy = Enum<typeof SPEED_ACCURACIES>;
export type AuthType = Enum<typeof AUTH_TYPES>;
export type DescriptionType = Enum<typeof DESCRIPTION_TYPES>;
export type OperatorLocationType = Enum<typeof OPERATOR_LOCATION_TYPES>;
export type ClassificationType = Enum<typeof CLASSIFICATION_TYPES>;
export type EuCategory = Enum<typeof EU_CATEGORIES>;
export type EuClass = Enum<typeof EU_CLASSES>;
export type OperatorIdType = Enum<typeof OPERATOR_ID_TYPES>;

/** `protocolVersion` is always set by decoding; encoding writes 2 when it is left out. */
interface Versioned {
  protocolVersion?: number;
}

export interface BasicIdMessage extends Versioned {
  type: 'basic-id';
  idType: IdType;
  uaType: UaType;
  /** Text for a serial number or CAA registration; the 20 bytes as hex (trailing zeros dropped) for binary ids. */
  uasId: string;
}

export interface LocationMessage extends Versioned {
  type: 'location';
  status: Status;
  heightType: (typeof HEIGHT_TYPES)[number];
  /** Track over ground, degrees from true north, whole degrees. */
  directionDeg: number | null;
  speedMps: number | null;
  /** Up is positive. */
  verticalSpeedMps: number | null;
  lat: number | null;
  lon: number | null;
  /** Pressure altitude (standard atmosphere). */
  altitudeBaroM: number | null;
  /** WGS84 ellipsoid height. */
  altitudeGeoM: number | null;
  /** Above the take-off point or the ground, as `heightType` says. */
  heightM: number | null;
  horizontalAccuracy: HorizontalAccuracy;
  verticalAccuracy: VerticalAccuracy;
  baroAccuracy: VerticalAccuracy;
  speedAccuracy: SpeedAccuracy;
  /** 0.1–1.5 s; null: unknown. */
  timestampAccuracyS: number | null;
  /** Seconds after the full hour (UTC), in tenths. */
  timestampS: number | null;
}

export interface AuthenticationMessage extends Versioned {
  type: 'authentication';
  authType: AuthType;
  page: number;
  /** Page 0 only (null on other pages). */
  lastPageIndex: number | null;
  /** Page 0 only: bytes of authentication data over all pages. */
  length: number | null;
  /** Page 0 only: seconds since 2019-01-01 00:00 UTC. */
  timestampS: number | null;
  /** The same instant as ISO text (decoding fills it; encoding ignores it). */
  timestampUtc?: string | null;
  /** The page's data bytes as hex: 17 on page 0, 23 on the others (shorter input is padded with zeros). */
  data: string;
}

export interface SelfIdMessage extends Versioned {
  type: 'self-id';
  descriptionType: DescriptionType;
  /** Up to 23 ASCII characters. */
  description: string;
}

export interface SystemMessage extends Versioned {
  type: 'system';
  operatorLocationType: OperatorLocationType;
  classificationType: ClassificationType;
  operatorLat: number | null;
  operatorLon: number | null;
  /** How many aircraft the area holds (a group or swarm). */
  areaCount: number;
  /** In 10 m steps, up to 2550 m. */
  areaRadiusM: number;
  areaCeilingM: number | null;
  areaFloorM: number | null;
  categoryEu: EuCategory;
  classEu: EuClass;
  operatorAltitudeGeoM: number | null;
  /** Seconds since 2019-01-01 00:00 UTC; null: not given (0, or a message older than protocol version 2). */
  timestampS: number | null;
  timestampUtc?: string | null;
}

export interface OperatorIdMessage extends Versioned {
  type: 'operator-id';
  operatorIdType: OperatorIdType;
  /** Up to 20 ASCII characters. */
  operatorId: string;
}

export type RemoteIdMessage = BasicIdMessage | LocationMessage | AuthenticationMessage | SelfIdMessage | SystemMessage | OperatorIdMessage;
export type RemoteIdMessageType = RemoteIdMessage['type'];

const TYPE_CODES: Record<RemoteIdMessageType, number> = {
  'basic-id': 0, location: 1, authentication: 2, 'self-id': 3, system: 4, 'operator-id': 5,
};
const TYPE_NAMES: readonly RemoteIdMessageType[] = ['basic-id', 'location', 'authentication', 'self-id', 'system', 'operator-id'];
const PACK_TYPE = 0xf;
/** At most this many of each type in one pack (the reference implementation's rule). */
const PACK_LIMITS: Record<RemoteIdMessageType, number> = {
  'basic-id': 2, location: 1, authentication: 16, 'self-id': 1, system: 1, 'operator-id': 1,
};

const MIN_ALT = -1000;
const MAX_ALT = 31767.5;
const MAX_SPEED_H = 254.25;
const UNKNOWN_SPEED_H = 255;
const MAX_SPEED_V = 62;
const UNKNOWN_SPEED_V = 63;
const UNKNOWN_DIRECTION = 361;
const UNKNOWN_TIMESTAMP = 0xffff;
const MAX_AREA_RADIUS = 2550;
const AUTH_PAGE0_DATA = 17;
const AUTH_PAGE_DATA = 23;
const AUTH_MAX_PAGES = 16;

// ── enums ─────────────────────────────────────────────────────────────────────────────────────────────────

function enumName<T extends readonly string[]>(names: T, value: number, privateFrom = Infinity): Enum<T> {
  if (value < names.length) return names[value] as T[number];
  return value >= privateFrom ? `private-${value}` : `reserved-${value}`;
}

function enumValue(names: readonly string[], name: string, field: string, max: number): number {
  const i = names.indexOf(name);
  if (i >= 0) return i;
  const other = /^(?:reserved|private)-(\d+)$/.exec(String(name));
  if (other && Number(other[1]) >= names.length && Number(other[1]) <= max) return Number(other[1]);
  throw new RemoteIdError(`${field} "${name}" is not one of ${names.join(', ')} (or reserved-N/private-N up to ${max})`);
}

// ── quantisation, as the reference implementation does it (float32 where it uses float) ───────────────────

const f32 = Math.fround;
/** C's round(): halves away from zero. */
const roundAway = (x: number) => Math.sign(x) * Math.round(Math.abs(x));

function checkNumber(value: number, field: string, min: number, max: number, unit: string): void {
  if (typeof value !== 'number' || Number.isNaN(value)) throw new RemoteIdError(`${field} must be a number, not ${String(value)}`);
  if (value < min || value > max) {
    const u = unit === '°' || !unit ? unit : ` ${unit}`;
    throw new RemoteIdError(max === Infinity ? `${field} ${value} is below ${min}${u}` : `${field} ${value} is outside ${min}…${max}${u}`);
  }
}

function encodeDirection(deg: number | null): { value: number; eastWest: number } {
  if (deg === null) return { value: UNKNOWN_DIRECTION - 180, eastWest: 1 };
  checkNumber(deg, 'directionDeg', 0, 360, '°');
  let d = roundAway(f32(deg));
  if (d === 360) d = 0;
  return d < 180 ? { value: d, eastWest: 0 } : { value: d - 180, eastWest: 1 };
}

function encodeSpeed(mps: number | null): { value: number; multiplier: number } {
  if (mps === null) mps = UNKNOWN_SPEED_H;
  else {
    checkNumber(mps, 'speedMps', 0, Infinity, 'm/s');
    mps = Math.min(mps, MAX_SPEED_H); // the standard's rule: faster is sent as the maximum
  }
  const s = f32(mps);
  if (s <= 255 * 0.25) return { value: Math.trunc(f32(f32(s / 0.25) + 0.5)), multiplier: 0 };
  return { value: Math.min(255, Math.trunc(f32(f32(f32(s - 63.75) / 0.75) + 0.5))), multiplier: 1 };
}

function encodeVerticalSpeed(mps: number | null): number {
  if (mps === null) mps = UNKNOWN_SPEED_V;
  else {
    checkNumber(mps, 'verticalSpeedMps', -Infinity, Infinity, 'm/s');
    mps = Math.max(-MAX_SPEED_V, Math.min(MAX_SPEED_V, mps));
  }
  return Math.trunc(f32(f32(mps) / 0.5)); // truncates, as the reference does
}

function encodeLatLon(lat: number | null, lon: number | null, field: string): [number, number] {
  if (lat === null && lon === null) return [0, 0];
  if (lat === null || lon === null) throw new RemoteIdError(`${field}: give both latitude and longitude, or neither`);
  checkNumber(lat, `${field} latitude`, -90, 90, '°');
  checkNumber(lon, `${field} longitude`, -180, 180, '°');
  return [roundAway(lat * 1e7), roundAway(lon * 1e7)];
}

function encodeAltitude(m: number | null, field: string): number {
  if (m === null) return 0;
  checkNumber(m, field, MIN_ALT, MAX_ALT, 'm');
  return Math.min(0xffff, Math.trunc(f32(f32(f32(m) + 1000) / 0.5)));
}

function encodeLocationTimestamp(s: number | null): number {
  if (s === null) return UNKNOWN_TIMESTAMP;
  checkNumber(s, 'timestampS', 0, 3600, 's after the hour');
  return roundAway(f32(f32(s) * 10));
}

function encodeTimestampAccuracy(s: number | null): number {
  if (s === null) return 0;
  checkNumber(s, 'timestampAccuracyS', 0.1, 1.5, 's');
  return Math.round(s * 10);
}

const decodeAltitude = (v: number) => (v === 0 ? null : v * 0.5 - 1000);

function decodeLatLon(lat: number, lon: number, field: string): [number | null, number | null] {
  if (lat === 0 && lon === 0) return [null, null];
  const [la, lo] = [lat / 1e7, lon / 1e7];
  // A position off the globe is a garbled message, not a place.
  if (Math.abs(la) > 90) throw new RemoteIdError(`${field} latitude ${la} is outside −90…90°`);
  if (Math.abs(lo) > 180) throw new RemoteIdError(`${field} longitude ${lo} is outside −180…180°`);
  return [la, lo];
}

// ── text and binary fields ────────────────────────────────────────────────────────────────────────────────

function writeText(view: Uint8Array, at: number, size: number, text: string, field: string): void {
  if (typeof text !== 'string') throw new RemoteIdError(`${field} must be text`);
  if (text.length > size) throw new RemoteIdError(`${field} is ${text.length} characters, at most ${size}`);
  for (let i = 0; i < text.length; i++) {
    const c = text.charCodeAt(i);
    if (c === 0 || c > 0x7e) throw new RemoteIdError(`${field} must be ASCII: character ${i + 1} is not`);
    view[at + i] = c;
  }
}

/** ASCII text up to the first NUL (the padding); any other byte outside printable ASCII is dropped. */
function readText(bytes: Uint8Array, at: number, size: number): string {
  let out = '';
  for (let i = at; i < at + size && bytes[i] !== 0; i++) if (bytes[i] >= 0x20 && bytes[i] <= 0x7e) out += String.fromCharCode(bytes[i]);
  return out;
}

function writeHexField(view: Uint8Array, at: number, size: number, hex: string, field: string): void {
  let data: Uint8Array;
  try {
    data = hex ? hexToBytes(hex) : new Uint8Array(0);
  } catch (err) {
    throw new RemoteIdError(`${field}: ${(err as Error).message}`);
  }
  if (data.length > size) throw new RemoteIdError(`${field} is ${data.length} bytes, at most ${size}`);
  view.set(data, at);
}

function trimZeros(bytes: Uint8Array): Uint8Array {
  let end = bytes.length;
  while (end > 0 && bytes[end - 1] === 0) end--;
  return bytes.subarray(0, end);
}

const utc = (s: number | null) => (s === null ? null : new Date(REMOTE_ID_EPOCH_MS + s * 1000).toISOString());

// ── one message ───────────────────────────────────────────────────────────────────────────────────────────

/** The 25 bytes of one message. Throws RemoteIdError naming the field that cannot be encoded. */
export function encodeMessage(msg: RemoteIdMessage): Uint8Array {
  const out = new Uint8Array(MESSAGE_SIZE);
  const view = new DataView(out.buffer);
  const code = TYPE_CODES[msg?.type];
  if (code === undefined) throw new RemoteIdError(`unknown message type "${(msg as { type?: unknown })?.type}"`);
  const version = msg.protocolVersion ?? PROTOCOL_VERSION;
  checkNumber(version, 'protocolVersion', 0, PROTOCOL_VERSION, '');
  out[0] = (code << 4) | version;
  switch (msg.type) {
    case 'basic-id': {
      const idType = enumValue(ID_TYPES, msg.idType, 'idType', 15);
      out[1] = (idType << 4) | enumValue(UA_TYPES, msg.uaType, 'uaType', 15);
      if (idType === 1 || idType === 2) writeText(out, 2, 20, msg.uasId, 'uasId');
      else writeHexField(out, 2, 20, msg.uasId, 'uasId (hex for this id type)');
      break;
    }
    case 'location': {
      const status = enumValue(STATUSES, msg.status, 'status', 15);
      const heightType = enumValue(HEIGHT_TYPES, msg.heightType, 'heightType', 1);
      const direction = encodeDirection(msg.directionDeg);
      const speed = encodeSpeed(msg.speedMps);
      out[1] = (status << 4) | (heightType << 2) | (direction.eastWest << 1) | speed.multiplier;
      out[2] = direction.value;
      out[3] = speed.value;
      view.setInt8(4, encodeVerticalSpeed(msg.verticalSpeedMps));
      const [lat, lon] = encodeLatLon(msg.lat, msg.lon, 'location');
      view.setInt32(5, lat, true);
      view.setInt32(9, lon, true);
      view.setUint16(13, encodeAltitude(msg.altitudeBaroM, 'altitudeBaroM'), true);
      view.setUint16(15, encodeAltitude(msg.altitudeGeoM, 'altitudeGeoM'), true);
      view.setUint16(17, encodeAltitude(msg.heightM, 'heightM'), true);
      out[19] = (enumValue(VERTICAL_ACCURACIES, msg.verticalAccuracy, 'verticalAccuracy', 15) << 4) |
        enumValue(HORIZONTAL_ACCURACIES, msg.horizontalAccuracy, 'horizontalAccuracy', 15);
      out[20] = (enumValue(VERTICAL_ACCURACIES, msg.baroAccuracy, 'baroAccuracy', 15) << 4) |
        enumValue(SPEED_ACCURACIES, msg.speedAccuracy, 'speedAccuracy', 15);
      view.setUint16(21, encodeLocationTimestamp(msg.timestampS), true);
      out[23] = encodeTimestampAccuracy(msg.timestampAccuracyS);
      break;
    }
    case 'authentication': {
      checkNumber(msg.page, 'page', 0, AUTH_MAX_PAGES - 1, '');
      out[1] = (enumValue(AUTH_TYPES, msg.authType, 'authType', 15) << 4) | Math.trunc(msg.page);
      if (msg.page === 0) {
        const last = msg.lastPageIndex ?? 0;
        checkNumber(last, 'lastPageIndex', 0, AUTH_MAX_PAGES - 1, '');
        const length = msg.length ?? 0;
        const room = AUTH_PAGE0_DATA + last * AUTH_PAGE_DATA;
        checkNumber(length, 'length', 0, Math.min(255, room), 'bytes');
        out[2] = last;
        out[3] = length;
        const ts = msg.timestampS ?? 0;
        checkNumber(ts, 'timestampS', 0, 0xffffffff, 's since 2019-01-01');
        view.setUint32(4, Math.trunc(ts), true);
        writeHexField(out, 8, AUTH_PAGE0_DATA, msg.data, 'data');
      } else {
        writeHexField(out, 2, AUTH_PAGE_DATA, msg.data, 'data');
      }
      break;
    }
    case 'self-id':
      out[1] = enumValue(DESCRIPTION_TYPES, msg.descriptionType, 'descriptionType', 255);
      writeText(out, 2, 23, msg.description, 'description');
      break;
    case 'system': {
      out[1] = (enumValue(CLASSIFICATION_TYPES, msg.classificationType, 'classificationType', 7) << 2) |
        enumValue(OPERATOR_LOCATION_TYPES, msg.operatorLocationType, 'operatorLocationType', 3);
      const [lat, lon] = encodeLatLon(msg.operatorLat, msg.operatorLon, 'operator');
      view.setInt32(2, lat, true);
      view.setInt32(6, lon, true);
      checkNumber(msg.areaCount, 'areaCount', 0, 0xffff, '');
      view.setUint16(10, Math.trunc(msg.areaCount), true);
      checkNumber(msg.areaRadiusM, 'areaRadiusM', 0, MAX_AREA_RADIUS, 'm');
      out[12] = Math.trunc(Math.trunc(msg.areaRadiusM) / 10);
      view.setUint16(13, encodeAltitude(msg.areaCeilingM, 'areaCeilingM'), true);
      view.setUint16(15, encodeAltitude(msg.areaFloorM, 'areaFloorM'), true);
      out[17] = (enumValue(EU_CATEGORIES, msg.categoryEu, 'categoryEu', 15) << 4) | enumValue(EU_CLASSES, msg.classEu, 'classEu', 15);
      view.setUint16(18, encodeAltitude(msg.operatorAltitudeGeoM, 'operatorAltitudeGeoM'), true);
      const ts = msg.timestampS ?? 0;
      checkNumber(ts, 'timestampS', 0, 0xffffffff, 's since 2019-01-01');
      view.setUint32(20, Math.trunc(ts), true);
      break;
    }
    case 'operator-id':
      out[1] = enumValue(OPERATOR_ID_TYPES, msg.operatorIdType, 'operatorIdType', 255);
      writeText(out, 2, 20, msg.operatorId, 'operatorId');
      break;
  }
  return out;
}

/** One 25-byte message (not a pack). */
export function decodeMessage(bytes: Uint8Array): RemoteIdMessage {
  if (bytes.length < MESSAGE_SIZE) throw new RemoteIdError(`truncated message (${bytes.length} of ${MESSAGE_SIZE} bytes)`);
  if (bytes.length > MESSAGE_SIZE) throw new RemoteIdError(`${bytes.length - MESSAGE_SIZE} bytes after the ${MESSAGE_SIZE}-byte message`);
  const code = bytes[0] >> 4;
  const protocolVersion = bytes[0] & 0x0f;
  if (code === PACK_TYPE) throw new RemoteIdError('a message pack is not a single message');
  const type = TYPE_NAMES[code];
  if (!type) throw new RemoteIdError(`unknown message type ${code}`);
  if (protocolVersion > PROTOCOL_VERSION) {
    throw new RemoteIdError(`wrong protocol version ${protocolVersion} in a ${type} message (this codec reads 0–${PROTOCOL_VERSION})`);
  }
  const view = new DataView(bytes.buffer, bytes.byteOffset, MESSAGE_SIZE);
  switch (type) {
    case 'basic-id': {
      const idType = bytes[1] >> 4;
      const textual = idType === 1 || idType === 2;
      return {
        type, protocolVersion,
        idType: enumName(ID_TYPES, idType), uaType: enumName(UA_TYPES, bytes[1] & 0x0f),
        uasId: textual ? readText(bytes, 2, 20) : bytesToHex(trimZeros(bytes.subarray(2, 22))),
      };
    }
    case 'location': {
      const flags = bytes[1];
      const dirByte = bytes[2] + ((flags & 0b10) ? 180 : 0);
      const speedByte = bytes[3];
      const speed = flags & 0b1 ? speedByte * 0.75 + 63.75 : speedByte * 0.25;
      const vspeed = view.getInt8(4) * 0.5;
      const [lat, lon] = decodeLatLon(view.getInt32(5, true), view.getInt32(9, true), 'location');
      const ts = view.getUint16(21, true);
      const tsAcc = bytes[23] & 0x0f;
      return {
        type, protocolVersion,
        status: enumName(STATUSES, flags >> 4),
        heightType: HEIGHT_TYPES[(flags >> 2) & 1],
        directionDeg: dirByte > 360 ? null : dirByte,
        speedMps: speed >= UNKNOWN_SPEED_H ? null : speed,
        verticalSpeedMps: vspeed === UNKNOWN_SPEED_V ? null : vspeed,
        lat, lon,
        altitudeBaroM: decodeAltitude(view.getUint16(13, true)),
        altitudeGeoM: decodeAltitude(view.getUint16(15, true)),
        heightM: decodeAltitude(view.getUint16(17, true)),
        horizontalAccuracy: enumName(HORIZONTAL_ACCURACIES, bytes[19] & 0x0f),
        verticalAccuracy: enumName(VERTICAL_ACCURACIES, bytes[19] >> 4),
        baroAccuracy: enumName(VERTICAL_ACCURACIES, bytes[20] >> 4),
        speedAccuracy: enumName(SPEED_ACCURACIES, bytes[20] & 0x0f),
        timestampAccuracyS: tsAcc === 0 ? null : tsAcc / 10,
        timestampS: ts === UNKNOWN_TIMESTAMP ? null : ts / 10,
      };
    }
    case 'authentication': {
      const page = bytes[1] & 0x0f;
      const authType = enumName(AUTH_TYPES, bytes[1] >> 4, 0xa);
      if (page !== 0) {
        return { type, protocolVersion, authType, page, lastPageIndex: null, length: null, timestampS: null, timestampUtc: null, data: bytesToHex(bytes.subarray(2, 25)) };
      }
      const lastPageIndex = bytes[2];
      const length = bytes[3];
      if (lastPageIndex >= AUTH_MAX_PAGES) throw new RemoteIdError(`authentication last page index ${lastPageIndex} is over ${AUTH_MAX_PAGES - 1}`);
      const room = AUTH_PAGE0_DATA + lastPageIndex * AUTH_PAGE_DATA;
      if (length > room) throw new RemoteIdError(`authentication claims ${length} bytes but ${lastPageIndex + 1} pages hold at most ${room}`);
      const timestampS = view.getUint32(4, true);
      return { type, protocolVersion, authType, page, lastPageIndex, length, timestampS, timestampUtc: utc(timestampS), data: bytesToHex(bytes.subarray(8, 25)) };
    }
    case 'self-id':
      return { type, protocolVersion, descriptionType: enumName(DESCRIPTION_TYPES, bytes[1], 201), description: readText(bytes, 2, 23) };
    case 'system': {
      const [operatorLat, operatorLon] = decodeLatLon(view.getInt32(2, true), view.getInt32(6, true), 'operator');
      // The timestamp came with protocol version 2; before, those bytes were reserved.
      const raw = view.getUint32(20, true);
      const timestampS = protocolVersion >= 2 && raw !== 0 ? raw : null;
      return {
        type, protocolVersion,
        operatorLocationType: enumName(OPERATOR_LOCATION_TYPES, bytes[1] & 0b11),
        classificationType: enumName(CLASSIFICATION_TYPES, (bytes[1] >> 2) & 0b111),
        operatorLat, operatorLon,
        areaCount: view.getUint16(10, true),
        areaRadiusM: bytes[12] * 10,
        areaCeilingM: decodeAltitude(view.getUint16(13, true)),
        areaFloorM: decodeAltitude(view.getUint16(15, true)),
        categoryEu: enumName(EU_CATEGORIES, bytes[17] >> 4),
        classEu: enumName(EU_CLASSES, bytes[17] & 0x0f),
        operatorAltitudeGeoM: decodeAltitude(view.getUint16(18, true)),
        timestampS, timestampUtc: utc(timestampS),
      };
    }
    case 'operator-id':
      return { type, protocolVersion, operatorIdType: enumName(OPERATOR_ID_TYPES, bytes[1], 201), operatorId: readText(bytes, 2, 20) };
  }
}

// ── message packs ─────────────────────────────────────────────────────────────────────────────────────────

function checkPackContent(types: RemoteIdMessageType[]): void {
  const counts = new Map<RemoteIdMessageType, number>();
  for (const t of types) counts.set(t, (counts.get(t) ?? 0) + 1);
  for (const [t, n] of counts) {
    if (n > PACK_LIMITS[t]) throw new RemoteIdError(`pack holds ${n} ${t} messages (at most ${PACK_LIMITS[t]})`);
  }
}

/** F2 19 N followed by the N messages (given as messages or as their 25 bytes). */
export function encodePack(messages: Array<RemoteIdMessage | Uint8Array>): Uint8Array {
  if (messages.length === 0) throw new RemoteIdError('empty pack: give at least one message');
  if (messages.length > PACK_MAX_MESSAGES) throw new RemoteIdError(`over-long pack: ${messages.length} messages (at most ${PACK_MAX_MESSAGES})`);
  const encoded = messages.map((m, i) => {
    if (!(m instanceof Uint8Array)) return encodeMessage(m);
    if (m.length !== MESSAGE_SIZE) throw new RemoteIdError(`pack message ${i + 1} is ${m.length} bytes, not ${MESSAGE_SIZE}`);
    if (m[0] >> 4 === PACK_TYPE) throw new RemoteIdError(`nested pack: message ${i + 1} is itself a pack`);
    return m;
  });
  checkPackContent(encoded.map((m, i) => {
    const t = TYPE_NAMES[m[0] >> 4];
    if (!t) throw new RemoteIdError(`pack message ${i + 1}: unknown message type ${m[0] >> 4}`);
    return t;
  }));
  const out = new Uint8Array(3 + MESSAGE_SIZE * encoded.length);
  out[0] = (PACK_TYPE << 4) | PROTOCOL_VERSION;
  out[1] = MESSAGE_SIZE;
  out[2] = encoded.length;
  encoded.forEach((m, i) => out.set(m, 3 + i * MESSAGE_SIZE));
  return out;
}

function decodePack(bytes: Uint8Array): RemoteIdMessage[] {
  if (bytes.length < 3) throw new RemoteIdError(`truncated pack (${bytes.length} of at least 3 bytes)`);
  const version = bytes[0] & 0x0f;
  if (version > PROTOCOL_VERSION) throw new RemoteIdError(`wrong protocol version ${version} in a message pack (this codec reads 0–${PROTOCOL_VERSION})`);
  if (bytes[1] !== MESSAGE_SIZE) throw new RemoteIdError(`pack size byte is ${bytes[1]}, not ${MESSAGE_SIZE}`);
  const n = bytes[2];
  if (n === 0) throw new RemoteIdError('empty pack (0 messages)');
  if (n > PACK_MAX_MESSAGES) throw new RemoteIdError(`over-long pack: ${n} messages (at most ${PACK_MAX_MESSAGES})`);
  const expected = 3 + n * MESSAGE_SIZE;
  if (bytes.length !== expected) throw new RemoteIdError(`pack claims ${n} messages but has ${bytes.length} bytes (${expected} expected)`);
  const messages: RemoteIdMessage[] = [];
  for (let i = 0; i < n; i++) {
    const one = bytes.subarray(3 + i * MESSAGE_SIZE, 3 + (i + 1) * MESSAGE_SIZE);
    if (one[0] >> 4 === PACK_TYPE) throw new RemoteIdError(`nested pack: message ${i + 1} of ${n} is itself a pack`);
    try {
      messages.push(decodeMessage(one));
    } catch (err) {
      throw new RemoteIdError(`pack message ${i + 1} of ${n}: ${(err as Error).message}`);
    }
  }
  checkPackContent(messages.map((m) => m.type));
  return messages;
}

/** A single message or a message pack → its messages. */
export function decodeBytes(bytes: Uint8Array): RemoteIdMessage[] {
  if (bytes.length === 0) throw new RemoteIdError('no bytes');
  return bytes[0] >> 4 === PACK_TYPE ? decodePack(bytes) : [decodeMessage(bytes)];
}

/** Whether these bytes are a message pack (type 0xF). */
export const isPack = (bytes: Uint8Array) => bytes.length > 0 && bytes[0] >> 4 === PACK_TYPE;

/** Hex text of a single message or a pack → its messages. */
export function decodeHex(hex: string): RemoteIdMessage[] {
  return decodeBytes(hexToBytes(hex));
}

/** Seconds since 2019-01-01 (System, Authentication) → epoch milliseconds. */
export const remoteIdTimeMs = (s: number) => REMOTE_ID_EPOCH_MS + s * 1000;
