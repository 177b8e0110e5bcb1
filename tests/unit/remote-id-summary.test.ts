// A drone's decoded broadcast as the fusion gets it: identity, position, pilot, and the time of the fix.
import { describe, expect, it } from 'vitest';
import {
  AUTH_TYPES, decodeMessage, DESCRIPTION_TYPES, encodeMessage, EU_CATEGORIES, EU_CLASSES, HORIZONTAL_ACCURACIES, ID_TYPES,
  OPERATOR_LOCATION_TYPES, SPEED_ACCURACIES, STATUSES, UA_TYPES, VERTICAL_ACCURACIES,
  type LocationMessage, type RemoteIdMessage, type SystemMessage,
} from '../../src/main/core/drones/remote-id/codec.ts';
import { locationTimeMs, summarise, toDetection } from '../../src/main/core/drones/remote-id/summary.ts';

const location: LocationMessage = {
  type: 'location', status: 'airborne', heightType: 'above-ground', directionDeg: 90, speedMps: 12, verticalSpeedMps: 0.5,
  lat: 29.7, lon: 106.6, altitudeBaroM: 480, altitudeGeoM: 500, heightM: 90,
  horizontalAccuracy: '<3m', verticalAccuracy: '<3m', baroAccuracy: '<3m', speedAccuracy: '<1m/s', timestampAccuracyS: 0.1, timestampS: 3599.5,
};
const system: SystemMessage = {
  type: 'system', operatorLocationType: 'takeoff', classificationType: 'undeclared', operatorLat: 29.69, operatorLon: 106.61, areaCount: 1,
  areaRadiusM: 0, areaCeilingM: null, areaFloorM: null, categoryEu: 'undeclared', classEu: 'undeclared', operatorAltitudeGeoM: null, timestampS: 1,
};
const heard = { sensorId: 'rid', heardAtMs: Date.UTC(2026, 10, 24, 9, 0, 0, 200), rssiDbm: -77 };

describe('Remote ID summary', () => {
  it('makes a detection keyed by serial, else registration, else another id type', () => {
    const serial: RemoteIdMessage = { type: 'basic-id', idType: 'serial-number', uaType: 'aeroplane', uasId: 'SN1' };
    const reg: RemoteIdMessage = { type: 'basic-id', idType: 'caa-registration', uaType: 'aeroplane', uasId: 'REG1' };
    const utm: RemoteIdMessage = { type: 'basic-id', idType: 'utm-assigned', uaType: 'none', uasId: 'ABCD' };
    expect(toDetection(summarise([reg, serial, location]), heard).objectId).toBe('SN1');
    expect(toDetection(summarise([reg, location]), heard).objectId).toBe('REG1');
    expect(toDetection(summarise([utm, location]), heard)).toMatchObject({ objectId: 'utm-assigned:ABCD', identity: {} });
  });

  it('takes the fix time in the hour nearest to when it was heard, across the hour', () => {
    // 59:59.5 heard at 00:00.2 of the next hour: the fix is 0.7 s old, not 59 minutes in the future.
    const d = toDetection(summarise([{ type: 'basic-id', idType: 'serial-number', uaType: 'aeroplane', uasId: 'SN1' }, location, system]), heard);
    expect(d).toMatchObject({ at: Date.UTC(2026, 10, 24, 8, 59, 59, 500), position: { lat: 29.7, lon: 106.6, altM: 500 }, heightAglM: 90, rssiDbm: -77, pilot: { lat: 29.69, lon: 106.61 } });
    // A drone clock minutes off, or no timestamp: the time it was heard.
    expect(locationTimeMs(1800, heard.heardAtMs)).toBeNull();
    expect(locationTimeMs(null, heard.heardAtMs)).toBeNull();
  });

  it('uses the barometric altitude without a geodetic one, and no AGL height for a height above take-off', () => {
    const s = summarise([{ ...location, altitudeGeoM: null, heightType: 'above-takeoff' }]);
    expect([s.position?.altM, s.heightAglM]).toEqual([480, null]);
  });

  it('refuses a broadcast that cannot say who or where', () => {
    expect(() => toDetection(summarise([location]), heard)).toThrow('no BasicID message: nothing to identify the drone by');
    expect(() => toDetection(summarise([{ type: 'basic-id', idType: 'serial-number', uaType: 'aeroplane', uasId: 'SN1' }, { ...location, lat: null, lon: null }]), heard))
      .toThrow('no Location message with a position');
  });
});

describe('Remote ID enums', () => {
  it('round-trips every named value of every enum field', () => {
    const rt = (m: RemoteIdMessage) => decodeMessage(encodeMessage(m));
    for (const idType of ID_TYPES) for (const uaType of UA_TYPES) {
      expect(rt({ type: 'basic-id', idType, uaType, uasId: idType === 'serial-number' || idType === 'caa-registration' ? 'X1' : 'A1' })).toMatchObject({ idType, uaType });
    }
    for (const status of STATUSES) expect(rt({ ...location, status })).toMatchObject({ status });
    for (const horizontalAccuracy of HORIZONTAL_ACCURACIES) expect(rt({ ...location, horizontalAccuracy })).toMatchObject({ horizontalAccuracy });
    for (const a of VERTICAL_ACCURACIES) expect(rt({ ...location, verticalAccuracy: a, baroAccuracy: a })).toMatchObject({ verticalAccuracy: a, baroAccuracy: a });
    for (const speedAccuracy of SPEED_ACCURACIES) expect(rt({ ...location, speedAccuracy })).toMatchObject({ speedAccuracy });
    for (let tenths = 1; tenths <= 15; tenths++) expect(rt({ ...location, timestampAccuracyS: tenths / 10 })).toMatchObject({ timestampAccuracyS: tenths / 10 });
    for (const authType of AUTH_TYPES) expect(rt({ type: 'authentication', authType, page: 1, lastPageIndex: null, length: null, timestampS: null, data: '' })).toMatchObject({ authType });
    for (const descriptionType of DESCRIPTION_TYPES) expect(rt({ type: 'self-id', descriptionType, description: 'x' })).toMatchObject({ descriptionType });
    for (const operatorLocationType of OPERATOR_LOCATION_TYPES) expect(rt({ ...system, operatorLocationType })).toMatchObject({ operatorLocationType });
    for (const categoryEu of EU_CATEGORIES) for (const classEu of EU_CLASSES) {
      expect(rt({ ...system, classificationType: 'eu', categoryEu, classEu })).toMatchObject({ classificationType: 'eu', categoryEu, classEu });
    }
    // Values the standard reserves come back by number.
    expect(rt({ ...system, operatorLocationType: 'reserved-3', classificationType: 'reserved-7' })).toMatchObject({ operatorLocationType: 'reserved-3', classificationType: 'reserved-7' });
  });
});
