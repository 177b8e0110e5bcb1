// The ASTM F3411 codec against the reference implementation's bytes, field by field, and against bad input.
import { describe, expect, it } from 'vitest';
import {
  decodeBytes, decodeHex, decodeMessage, encodeMessage, encodePack, RemoteIdError,
  type AuthenticationMessage, type BasicIdMessage, type LocationMessage, type OperatorIdMessage, type RemoteIdMessage,
  type SelfIdMessage, type SystemMessage,
} from '../../src/main/core/drones/remote-id/codec.ts';
import { bytesToHex, hexToBytes } from '../../src/main/core/drones/remote-id/hex.ts';

// Encoded by opendroneid-core-c (the reference vectors).
const BASIC_ID_HEX = '02223132333435363738393031323334353637383930000000';
const LOCATION_HEX = '122624160A42BF241B6ED1B4B69808AC0870086B53150E0200';

const basicId: BasicIdMessage = { type: 'basic-id', idType: 'caa-registration', uaType: 'helicopter-or-multirotor', uasId: '12345678901234567890' };
const location: LocationMessage = {
  type: 'location', status: 'airborne', heightType: 'above-ground', directionDeg: 215.7, speedMps: 5.4, verticalSpeedMps: 5.25,
  lat: 45.539309, lon: -122.966389, altitudeBaroM: 100, altitudeGeoM: 110, heightM: 80,
  horizontalAccuracy: '<3m', verticalAccuracy: '<1m', baroAccuracy: '<3m', speedAccuracy: '<1m/s', timestampAccuracyS: 0.2, timestampS: 360.52,
};
const hex = (m: RemoteIdMessage) => bytesToHex(encodeMessage(m));
const roundTrip = <T extends RemoteIdMessage>(m: T) => decodeMessage(encodeMessage(m)) as T;
const reason = (f: () => unknown) => {
  try {
    f();
  } catch (err) {
    expect(err).toBeInstanceOf(RemoteIdError);
    return (err as Error).message;
  }
  throw new Error('expected a RemoteIdError');
};

describe('Remote ID reference vectors', () => {
  it('encodes BasicID and Location byte for byte as the reference implementation', () => {
    expect(hex(basicId)).toBe(BASIC_ID_HEX);
    expect(hex(location)).toBe(LOCATION_HEX);
  });

  it('decodes the Location vector with the reference quantisation: direction 216, speed 5.5 / 5.0, timestamp 360.5', () => {
    const [m] = decodeHex(LOCATION_HEX) as LocationMessage[];
    expect(m).toEqual({
      type: 'location', protocolVersion: 2, status: 'airborne', heightType: 'above-ground',
      directionDeg: 216, speedMps: 5.5, verticalSpeedMps: 5, lat: 45.539309, lon: -122.966389,
      altitudeBaroM: 100, altitudeGeoM: 110, heightM: 80,
      horizontalAccuracy: '<3m', verticalAccuracy: '<1m', baroAccuracy: '<3m', speedAccuracy: '<1m/s',
      timestampAccuracyS: 0.2, timestampS: 360.5,
    });
    expect(decodeHex(BASIC_ID_HEX)).toEqual([{ ...basicId, protocolVersion: 2 }]);
  });

  it('packs the two as F2 19 02 followed by both, and decodes the pack to both messages', () => {
    const pack = `F21902${BASIC_ID_HEX}${LOCATION_HEX}`;
    expect(bytesToHex(encodePack([basicId, location]))).toBe(pack);
    expect(decodeHex(pack).map((m) => m.type)).toEqual(['basic-id', 'location']);
    expect((decodeHex(pack.toLowerCase())[1] as LocationMessage).directionDeg).toBe(216);
    // Re-encoding what was decoded gives the same bytes.
    expect(bytesToHex(encodePack(decodeHex(pack)))).toBe(pack);
  });
});

describe('Remote ID round trips', () => {
  it('BasicID: every id type and UA type, text and binary ids', () => {
    const serial: BasicIdMessage = { type: 'basic-id', protocolVersion: 2, idType: 'serial-number', uaType: 'hybrid-lift', uasId: '1581F4XFB2210A0B0C0D' };
    expect(roundTrip(serial)).toEqual(serial);
    const utm: BasicIdMessage = { type: 'basic-id', protocolVersion: 2, idType: 'utm-assigned', uaType: 'aeroplane', uasId: '0123456789ABCDEF0123456789ABCDEF' };
    expect(roundTrip(utm)).toEqual(utm);
    expect(roundTrip({ ...serial, uaType: 'other', idType: 'reserved-9' as const, uasId: 'AB' })).toMatchObject({ uaType: 'other', idType: 'reserved-9', uasId: 'AB' });
    expect(roundTrip({ ...serial, uasId: 'short' }).uasId).toBe('short');
  });

  it('Location: every field within its quantisation, and unknowns as null', () => {
    const cases: Array<[Partial<LocationMessage>, Partial<LocationMessage>]> = [
      [{ directionDeg: 0 }, { directionDeg: 0 }],
      [{ directionDeg: 179.4 }, { directionDeg: 179 }],
      [{ directionDeg: 179.5 }, { directionDeg: 180 }],
      [{ directionDeg: 359.6 }, { directionDeg: 0 }],
      [{ directionDeg: null }, { directionDeg: null }],
      [{ speedMps: 0.12 }, { speedMps: 0 }],
      [{ speedMps: 0.13 }, { speedMps: 0.25 }],
      [{ speedMps: 63.75 }, { speedMps: 63.75 }],
      // Above 63.75 m/s the multiplier flag gives 0.75 m/s steps.
      [{ speedMps: 64.2 }, { speedMps: 64.5 }],
      [{ speedMps: 200 }, { speedMps: 200.25 }],
      [{ speedMps: 400 }, { speedMps: 254.25 }],
      [{ speedMps: null }, { speedMps: null }],
      [{ verticalSpeedMps: -3.7 }, { verticalSpeedMps: -3.5 }],
      [{ verticalSpeedMps: 61.9 }, { verticalSpeedMps: 61.5 }],
      [{ verticalSpeedMps: -80 }, { verticalSpeedMps: -62 }],
      [{ verticalSpeedMps: null }, { verticalSpeedMps: null }],
      [{ lat: -33.86785, lon: 151.20732 }, { lat: -33.86785, lon: 151.20732 }],
      [{ lat: 29.71924449, lon: 106.64163251 }, { lat: 29.7192445, lon: 106.6416325 }],
      [{ lat: null, lon: null }, { lat: null, lon: null }],
      [{ altitudeBaroM: -999.5, altitudeGeoM: 31767.5, heightM: 12.3 }, { altitudeBaroM: -999.5, altitudeGeoM: 31767.5, heightM: 12 }],
      [{ altitudeBaroM: null, altitudeGeoM: null, heightM: null }, { altitudeBaroM: null, altitudeGeoM: null, heightM: null }],
      [{ heightType: 'above-takeoff', status: 'emergency' }, { heightType: 'above-takeoff', status: 'emergency' }],
      [{ status: 'remote-id-system-failure' }, { status: 'remote-id-system-failure' }],
      [{ horizontalAccuracy: '<10nm', verticalAccuracy: '<150m', baroAccuracy: 'unknown', speedAccuracy: '<0.3m/s' },
        { horizontalAccuracy: '<10nm', verticalAccuracy: '<150m', baroAccuracy: 'unknown', speedAccuracy: '<0.3m/s' }],
      [{ timestampS: 0, timestampAccuracyS: 1.5 }, { timestampS: 0, timestampAccuracyS: 1.5 }],
      [{ timestampS: 3599.96 }, { timestampS: 3600 }],
      [{ timestampS: null, timestampAccuracyS: null }, { timestampS: null, timestampAccuracyS: null }],
    ];
    for (const [given, expected] of cases) {
      expect([given, roundTrip({ ...location, ...given } as LocationMessage)]).toEqual([given, expect.objectContaining(expected)]);
    }
  });

  it('Authentication: page 0 with its length and time, and a later page', () => {
    const page0: AuthenticationMessage = {
      type: 'authentication', protocolVersion: 2, authType: 'message-set-signature', page: 0, lastPageIndex: 2, length: 63,
      timestampS: 250_000_000, timestampUtc: '2026-12-03T12:26:40.000Z', data: '00112233445566778899AABBCCDDEEFF10',
    };
    expect(roundTrip(page0)).toEqual(page0);
    const page2: AuthenticationMessage = {
      type: 'authentication', protocolVersion: 2, authType: 'private-12', page: 2, lastPageIndex: null, length: null,
      timestampS: null, timestampUtc: null, data: 'FF'.repeat(23),
    };
    expect(roundTrip(page2)).toEqual(page2);
    expect(roundTrip({ ...page0, data: 'ABCD' }).data).toBe(`ABCD${'00'.repeat(15)}`);
  });

  it('SelfID and OperatorID: their types and text', () => {
    const self: SelfIdMessage = { type: 'self-id', protocolVersion: 2, descriptionType: 'emergency', description: 'Survey 02L, CAAC permit' };
    expect(roundTrip(self)).toEqual(self);
    expect(roundTrip({ ...self, descriptionType: 'private-210' }).descriptionType).toBe('private-210');
    const op: OperatorIdMessage = { type: 'operator-id', protocolVersion: 2, operatorIdType: 'operator-id', operatorId: 'CHN-OP-000123456' };
    expect(roundTrip(op)).toEqual(op);
  });

  it('System: operator location, area, classification and its time since 2019', () => {
    const sys: SystemMessage = {
      type: 'system', protocolVersion: 2, operatorLocationType: 'live-gnss', classificationType: 'eu',
      operatorLat: 29.7021, operatorLon: 106.6311, areaCount: 50, areaRadiusM: 250, areaCeilingM: 420.5, areaFloorM: 300,
      categoryEu: 'specific', classEu: 'class-2', operatorAltitudeGeoM: 415, timestampS: 250_000_000, timestampUtc: '2026-12-03T12:26:40.000Z',
    };
    expect(roundTrip(sys)).toEqual(sys);
    expect(roundTrip({ ...sys, areaRadiusM: 2549 }).areaRadiusM).toBe(2540);
    const unknown = roundTrip({ ...sys, operatorLat: null, operatorLon: null, areaCeilingM: null, areaFloorM: null, operatorAltitudeGeoM: null, timestampS: null });
    expect(unknown).toMatchObject({ operatorLat: null, operatorLon: null, areaCeilingM: null, areaFloorM: null, operatorAltitudeGeoM: null, timestampS: null, timestampUtc: null });
    expect(roundTrip({ ...sys, operatorLocationType: 'takeoff', classificationType: 'undeclared', categoryEu: 'undeclared', classEu: 'undeclared' }))
      .toMatchObject({ operatorLocationType: 'takeoff', classificationType: 'undeclared', categoryEu: 'undeclared', classEu: 'undeclared' });
    // Before protocol version 2 those bytes were reserved: no time.
    expect(roundTrip({ ...sys, protocolVersion: 1 })).toMatchObject({ protocolVersion: 1, timestampS: null });
  });

  it('a full pack of one drone: two BasicIDs, Location, SelfID, System, OperatorID', () => {
    const all: RemoteIdMessage[] = [
      { ...basicId, idType: 'serial-number', uasId: '1581F5FHD2280T0A' }, basicId, location,
      { type: 'self-id', descriptionType: 'text', description: 'hello' },
      { type: 'system', operatorLocationType: 'takeoff', classificationType: 'undeclared', operatorLat: 1, operatorLon: 2, areaCount: 1, areaRadiusM: 0,
        areaCeilingM: null, areaFloorM: null, categoryEu: 'undeclared', classEu: 'undeclared', operatorAltitudeGeoM: 3, timestampS: 1 },
      { type: 'operator-id', operatorIdType: 'operator-id', operatorId: 'OP' },
    ];
    const decoded = decodeBytes(encodePack(all));
    expect(decoded.map((m) => m.type)).toEqual(['basic-id', 'basic-id', 'location', 'self-id', 'system', 'operator-id']);
    expect(decoded.map(encodeMessage)).toEqual(all.map(encodeMessage));
  });
});

describe('Remote ID bad input', () => {
  const pack = (n: number, body: string) => `F219${n.toString(16).padStart(2, '0')}${body}`;
  it('names why it cannot decode', () => {
    expect(reason(() => decodeHex('12A'))).toBe('odd length: 3 hex digits do not make whole bytes');
    expect(reason(() => decodeHex('12zz'))).toBe('not hex: "z" at character 3');
    expect(reason(() => decodeHex(''))).toBe('no hex given');
    expect(reason(() => decodeHex(`72${'00'.repeat(24)}`))).toBe('unknown message type 7');
    expect(reason(() => decodeHex(`13${LOCATION_HEX.slice(2)}`))).toBe('wrong protocol version 3 in a location message (this codec reads 0–2)');
    expect(reason(() => decodeHex(LOCATION_HEX.slice(0, 40)))).toBe('truncated message (20 of 25 bytes)');
    expect(reason(() => decodeHex(`${LOCATION_HEX}00`))).toBe('1 bytes after the 25-byte message');
    expect(reason(() => decodeHex(pack(2, BASIC_ID_HEX)))).toBe('pack claims 2 messages but has 28 bytes (53 expected)');
    expect(reason(() => decodeHex(`F21802${BASIC_ID_HEX}${LOCATION_HEX}`))).toBe('pack size byte is 24, not 25');
    expect(reason(() => decodeHex(pack(10, BASIC_ID_HEX.repeat(10))))).toBe('over-long pack: 10 messages (at most 9)');
    expect(reason(() => decodeHex(pack(0, '')))).toBe('empty pack (0 messages)');
    expect(reason(() => decodeHex('F219'))).toBe('truncated pack (2 of at least 3 bytes)');
    expect(reason(() => decodeHex(pack(1, `F2${'00'.repeat(24)}`)))).toBe('nested pack: message 1 of 1 is itself a pack');
    expect(reason(() => decodeHex(pack(2, LOCATION_HEX + LOCATION_HEX)))).toBe('pack holds 2 location messages (at most 1)');
    expect(reason(() => decodeHex(pack(2, `${BASIC_ID_HEX}92${'00'.repeat(24)}`)))).toBe('pack message 2 of 2: unknown message type 9');
    // A latitude off the globe is a garbled message.
    const offGlobe = encodeMessage(location);
    new DataView(offGlobe.buffer).setInt32(5, 1_000_000_000, true);
    expect(reason(() => decodeBytes(offGlobe))).toBe('location latitude 100 is outside −90…90°');
  });

  it('names the field it cannot encode', () => {
    expect(reason(() => encodeMessage({ ...location, directionDeg: 400 }))).toBe('directionDeg 400 is outside 0…360°');
    expect(reason(() => encodeMessage({ ...location, lat: 91 }))).toBe('location latitude 91 is outside -90…90°');
    expect(reason(() => encodeMessage({ ...location, lat: null }))).toBe('location: give both latitude and longitude, or neither');
    expect(reason(() => encodeMessage({ ...location, speedMps: Number.NaN }))).toBe('speedMps must be a number, not NaN');
    expect(reason(() => encodeMessage({ ...location, speedMps: -1 }))).toBe('speedMps -1 is below 0 m/s');
    expect(reason(() => encodeMessage({ ...location, altitudeGeoM: -1200 }))).toBe('altitudeGeoM -1200 is outside -1000…31767.5 m');
    expect(reason(() => encodeMessage({ ...location, timestampS: 3601 }))).toBe('timestampS 3601 is outside 0…3600 s after the hour');
    expect(reason(() => encodeMessage({ ...location, status: 'flying' as never }))).toMatch(/^status "flying" is not one of undeclared, ground/);
    expect(reason(() => encodeMessage({ ...basicId, uasId: 'X'.repeat(21) }))).toBe('uasId is 21 characters, at most 20');
    expect(reason(() => encodeMessage({ ...basicId, uasId: '无人机' }))).toBe('uasId must be ASCII: character 1 is not');
    expect(reason(() => encodePack(Array(10).fill(basicId)))).toBe('over-long pack: 10 messages (at most 9)');
    expect(reason(() => encodePack([hexToBytes(`F21901${BASIC_ID_HEX.slice(0, 44)}`)]))).toBe('nested pack: message 1 is itself a pack');
    expect(reason(() => encodePack([basicId, basicId, basicId]))).toBe('pack holds 3 basic-id messages (at most 2)');
  });
});

describe('Remote ID text fields', () => {
  /** A message of this type with these bytes from offset 2 (the text field), the rest zero. */
  const withText = (m: RemoteIdMessage, text: number[]) => {
    const bytes = encodeMessage(m);
    bytes.fill(0, 2);
    bytes.set(text, 2);
    return decodeMessage(bytes);
  };
  const ascii = (s: string) => [...s].map((c) => c.charCodeAt(0));
  const selfId: SelfIdMessage = { type: 'self-id', descriptionType: 'text', description: 'x' };
  const operatorId: OperatorIdMessage = { type: 'operator-id', operatorIdType: 'operator-id', operatorId: 'x' };

  it('stops at the first NUL and drops control, DEL and non-ASCII bytes from the ID, description and operator id', () => {
    const hostile = [...ascii('AB'), 0x1b, ...ascii('[31m'), 0x0a, 0x7f, 0xe2, 0x80, 0xae, ...ascii('C'), 0x00, ...ascii('HIDDEN')];
    expect((withText(basicId, hostile) as BasicIdMessage).uasId).toBe('AB[31mC');
    expect((withText(selfId, hostile) as SelfIdMessage).description).toBe('AB[31mC');
    expect((withText(operatorId, hostile) as OperatorIdMessage).operatorId).toBe('AB[31mC');
    expect((withText(basicId, ascii('1581F5FKD22A')) as BasicIdMessage).uasId).toBe('1581F5FKD22A');
  });
});
