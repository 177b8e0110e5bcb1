// The SAPIENT codec and framing: every message type the console speaks survives encode → decode with every
// field it sets; the wire form uses the standard's field numbers (checked byte by byte on a small message);
// bad bytes are refused with a reason; frames come out whole however the stream is split, and a stream that
// ends mid-frame or announces an over-long frame says so.
import { describe, expect, it } from 'vitest';
import { decodeSapient, encodeSapient, msOf, SapientError, timestampOf } from '../../src/main/core/drones/sapient/codec.ts';
import { classOf, detectionOf } from '../../src/main/core/drones/sapient/detections.ts';
import { frame, frameSapient, FrameReader, MessageReader } from '../../src/main/core/drones/sapient/framing.ts';
import { SapientMessageType, type SapientMessage } from '../../src/main/core/drones/sapient/schema.ts';
import { ulid, ULID } from '../../src/main/core/drones/sapient/ulid.ts';

const NODE = '5a9e0c1e-7d2b-4c55-9a51-3f0e2b6d7a10';
const FUSION = '0f5c2a8e-1b3d-4e6f-8a9b-c0d1e2f3a4b5';
const ts = { seconds: 1_795_939_200, nanos: 250_000_000 };
const loc = {
  x: 106.6412, y: 29.7193, z: 412.5, xError: 0.00005, yError: 0.00004, zError: 8,
  coordinateSystem: 'LOCATION_COORDINATE_SYSTEM_LAT_LNG_DEG_M', datum: 'LOCATION_DATUM_WGS84_G',
} as const;

const messages: SapientMessage[] = [
  {
    timestamp: ts, nodeId: NODE, content: 'registration',
    registration: {
      nodeDefinition: [{ nodeType: 'NODE_TYPE_RADAR', nodeSubType: ['Counter-UAS surveillance radar'] }],
      icdVersion: 'BSI Flex 335 v2.0', name: 'Radar 1', shortName: 'R1',
      capabilities: [{ category: 'Radar', type: 'Instrumented Range', value: '5000', units: 'm' }],
      statusDefinition: {
        statusInterval: { units: 'TIME_UNITS_SECONDS', value: 5 },
        locationDefinition: { locationUnits: 'LOCATION_COORDINATE_SYSTEM_LAT_LNG_DEG_M', locationDatum: 'LOCATION_DATUM_WGS84_E' },
      },
      modeDefinition: [{
        modeName: 'Default', modeType: 'MODE_TYPE_DEFAULT', modeDescription: 'surveillance', settleTime: { units: 'TIME_UNITS_SECONDS', value: 1.5 },
        maximumLatency: { units: 'TIME_UNITS_MILLISECONDS', value: 250 }, scanType: 'SCAN_TYPE_SCANNING', trackingType: 'TRACKING_TYPE_TRACK',
        detectionDefinition: [{
          locationType: { locationUnits: 'LOCATION_COORDINATE_SYSTEM_LAT_LNG_DEG_M', locationDatum: 'LOCATION_DATUM_WGS84_G' },
          detectionClassDefinition: [{ classDefinition: [{ type: 'Air Vehicle', units: 'probability' }] }],
        }],
      }],
      configData: [{ manufacturer: 'Acme', model: 'R-1', serialNumber: 'SN1', hardwareVersion: 'A', softwareVersion: '2.1' }],
    },
  },
  { timestamp: ts, nodeId: FUSION, destinationId: NODE, content: 'registrationAck', registrationAck: { acceptance: true } },
  { timestamp: ts, nodeId: FUSION, destinationId: NODE, content: 'registrationAck', registrationAck: { acceptance: false, ackResponseReason: ['unknown node', 'wrong ICD'] } },
  {
    timestamp: ts, nodeId: NODE, destinationId: FUSION, content: 'statusReport',
    statusReport: {
      reportId: '01JD0000000000000000000000', system: 'SYSTEM_WARNING', info: 'INFO_NEW', activeTaskId: '01JD0000000000000000000001', mode: 'Default',
      power: { level: 80, source: 'POWERSOURCE_MAINS', status: 'POWERSTATUS_OK' }, nodeLocation: loc,
      status: [{ statusLevel: 'STATUS_LEVEL_WARNING_STATUS', statusType: 'STATUS_TYPE_WEATHER', statusValue: 'Heavy rain' }],
    },
  },
  {
    timestamp: ts, nodeId: NODE, destinationId: FUSION, additionalInformation: 'sim', content: 'detectionReport',
    detectionReport: {
      reportId: '01JD0000000000000000000002', objectId: '01JD0000000000000000000003', taskId: '01JD0000000000000000000004', state: 'tracked',
      location: loc, detectionConfidence: 0.875,
      classification: [{ type: 'Air Vehicle', confidence: 0.75, subClass: [{ type: 'UAV', confidence: 0.5, level: 1, subClass: [{ type: 'Rotary Wing', level: 2 }] }] }],
      enuVelocity: { eastRate: 3.5, northRate: -4.25, upRate: 0.5, eastRateError: 0.25, northRateError: 0.25, upRateError: 0.5 },
      colour: 'white', id: 'N12345',
    },
  },
  {
    timestamp: ts, nodeId: NODE, content: 'detectionReport',
    detectionReport: {
      reportId: '01JD0000000000000000000005', objectId: '01JD0000000000000000000006',
      rangeBearing: { elevation: 2.5, azimuth: 45, range: 1200, elevationError: 0.5, azimuthError: 1, rangeError: 10, coordinateSystem: 'RANGE_BEARING_COORDINATE_SYSTEM_DEGREES_M', datum: 'RANGE_BEARING_DATUM_TRUE' },
    },
  },
  {
    timestamp: ts, nodeId: NODE, content: 'alert',
    alert: {
      alertId: '01JD0000000000000000000007', alertType: 'ALERT_TYPE_WARNING', status: 'ALERT_STATUS_ACTIVE', description: 'UAV in zone A',
      location: loc, priority: 'DISCRETE_PRIORITY_HIGH', ranking: 0.5, confidence: 0.75, additionalInformation: 'zone A',
    },
  },
  { timestamp: ts, nodeId: FUSION, destinationId: NODE, content: 'error', error: { packet: Uint8Array.from([1, 2, 3, 250]), errorMessage: ['bad report_id'] } },
];

describe('SAPIENT codec', () => {
  it.each(messages.map((m, i) => [`${i} ${m.content}`, m] as const))('round-trips %s with every field', (_name, msg) => {
    const back = decodeSapient(encodeSapient(msg));
    if (msg.content === 'error' && back.content === 'error') {
      expect(Uint8Array.from(back.error.packet)).toEqual(msg.error.packet);
      expect(back.error.errorMessage).toEqual(msg.error.errorMessage);
    } else {
      expect(back).toEqual(msg);
    }
  });

  it('puts the fields on the wire under the standard numbers (envelope 1–3, ack 5 › acceptance 1)', () => {
    const bytes = encodeSapient({ timestamp: { seconds: 1, nanos: 0 }, nodeId: FUSION, destinationId: NODE, content: 'registrationAck', registrationAck: { acceptance: true } });
    const hex = Buffer.from(bytes).toString('hex');
    const str = (tag: number, s: string) => tag.toString(16).padStart(2, '0') + s.length.toString(16).padStart(2, '0') + Buffer.from(s).toString('hex');
    // 0a: field 1 (timestamp) › 08 01 seconds = 1 (nanos 0 is written, being set); 12: node_id; 1a: destination_id; 2a: field 5 › 08 01.
    expect(hex).toBe('0a0408011000' + str(0x12, FUSION) + str(0x1a, NODE) + '2a020801');
  });

  it('refuses what is not a SAPIENT message, saying why', () => {
    const bad = (bytes: Uint8Array) => {
      try {
        decodeSapient(bytes);
      } catch (err) {
        expect(err).toBeInstanceOf(SapientError);
        return (err as SapientError).reason;
      }
      throw new Error('decoded');
    };
    expect(bad(Uint8Array.from([0xff, 0xff, 0xff, 0xff]))).toMatch(/^not a SAPIENT message/);
    expect(bad(new Uint8Array())).toBe('no timestamp (field 1)');
    const ok = messages[1];
    expect(bad(encodeRaw({ ...ok, nodeId: 'radar-1' }))).toBe('node_id (field 2) "radar-1" is not a UUID');
    const { registrationAck: _ack, ...noContent } = ok as Extract<SapientMessage, { content: 'registrationAck' }>;
    expect(bad(encodeRaw(noContent))).toBe('no content message (fields 4–12)');
    expect(() => encodeSapient({ ...ok, destinationId: 'console' })).toThrow('destination_id (field 3) "console" is not a UUID');
  });

  it('converts times to and from the protobuf Timestamp', () => {
    const ms = Date.UTC(2026, 10, 24, 8, 0, 0, 123);
    expect(timestampOf(ms)).toEqual({ seconds: ms / 1000 - 0.123, nanos: 123_000_000 });
    expect(msOf(timestampOf(ms))).toBe(ms);
  });

  it('makes ULIDs that sort by time', () => {
    const a = ulid(Date.UTC(2026, 0, 1));
    const b = ulid(Date.UTC(2026, 0, 1) + 1);
    expect(a).toMatch(ULID);
    expect(a < b).toBe(true);
    expect(ulid(0, () => 0)).toBe('0'.repeat(26));
  });
});

describe('SAPIENT detections into the fusion', () => {
  it('maps a lat/lon detection: position, velocity to speed and heading, classification, no identity', () => {
    const msg = messages[4] as Extract<SapientMessage, { content: 'detectionReport' }>;
    const mapped = detectionOf(msg.detectionReport, msg.timestamp, 'radar-1', null);
    expect(mapped).toEqual({
      detection: {
        sensorId: 'radar-1', sensorKind: 'sapient', objectId: '01JD0000000000000000000003', at: 1_795_939_200_250,
        position: { lon: 106.6412, lat: 29.7193, altM: 412.5 }, classification: 'drone', confidence: 0.875, identity: null,
        speedMps: Math.hypot(3.5, 4.25), headingDeg: expect.closeTo(140.53, 2), verticalSpeedMps: 0.5,
      },
    });
  });

  it('places a range-bearing detection from the node location, and refuses it before the node said where it is', () => {
    const msg = messages[5] as Extract<SapientMessage, { content: 'detectionReport' }>;
    expect(detectionOf(msg.detectionReport, msg.timestamp, 'r', null)).toEqual({
      problem: 'detection report 01JD0000000000000000000005: range_bearing before the node reported its location',
    });
    const placed = detectionOf(msg.detectionReport, msg.timestamp, 'r', { lon: 106.64, lat: 29.72, altM: 300 });
    if (!('detection' in placed)) throw new Error(JSON.stringify(placed));
    const ground = 1200 * Math.cos((2.5 * Math.PI) / 180);
    const north = (placed.detection.position.lat - 29.72) * 111_195;
    expect(north).toBeCloseTo(ground * Math.SQRT1_2, -1);
    expect(placed.detection.position.altM).toBeCloseTo(300 + 1200 * Math.sin((2.5 * Math.PI) / 180), 3);
    expect(placed.detection.classification).toBe('unknown');
  });

  it('skips what cannot be placed with a reason, and a lost object without one', () => {
    const base = { reportId: 'R1', objectId: 'O1' };
    expect(detectionOf({ ...base }, ts, 'r', null)).toEqual({ problem: 'detection report R1: no location or range_bearing (fields 5–6)' });
    expect(detectionOf({ ...base, location: { ...loc, coordinateSystem: 'LOCATION_COORDINATE_SYSTEM_UTM_M' } }, ts, 'r', null)).toEqual({
      problem: 'detection report R1: location in LOCATION_COORDINATE_SYSTEM_UTM_M (only LAT_LNG_DEG_M and LAT_LNG_RAD_M are read)',
    });
    expect(detectionOf({ ...base, location: { ...loc, x: 29.7, y: 106.6 } }, ts, 'r', null)).toMatchObject({ problem: expect.stringMatching(/is not on Earth$/) });
    expect(detectionOf({ reportId: 'R1', objectId: '', location: loc }, ts, 'r', null)).toEqual({ problem: 'detection report R1: no object_id (field 2)' });
    expect(detectionOf({ ...base, state: 'Lost', location: loc }, ts, 'r', null)).toEqual({ skipped: 'lost' });
  });

  it('classifies by the most confident class and its sub-classes; a bare air vehicle stays unknown', () => {
    expect(classOf([{ type: 'UAV', confidence: 0.9 }])).toEqual({ classification: 'drone', confidence: 0.9 });
    expect(classOf([{ type: 'Animal', confidence: 0.3, subClass: [{ type: 'Bird', level: 1 }] }, { type: 'Air Vehicle', confidence: 0.6, subClass: [{ type: 'UAV', level: 1 }] }]))
      .toEqual({ classification: 'drone', confidence: 0.6 });
    expect(classOf([{ type: 'Animal', confidence: 0.8, subClass: [{ type: 'Bird', level: 1 }] }]).classification).toBe('bird');
    expect(classOf([{ type: 'Air Vehicle', confidence: 0.8 }]).classification).toBe('unknown');
    expect(classOf([]).classification).toBe('unknown');
  });
});

describe('SAPIENT framing', () => {
  const wire = () => {
    const parts = messages.map((m) => frameSapient(m));
    return { parts, all: Buffer.concat(parts) };
  };

  it('hands back whole frames however the stream is split (byte by byte, random cuts, all at once)', () => {
    const { parts, all } = wire();
    const splits: number[][] = [[all.length], Array.from({ length: all.length }, () => 1)];
    let seed = 7;
    const rnd = () => ((seed = (seed * 48271) % 2147483647) / 2147483647);
    for (let k = 0; k < 20; k++) {
      const cuts: number[] = [];
      for (let left = all.length; left > 0;) {
        const n = Math.min(left, 1 + Math.floor(rnd() * 90));
        cuts.push(n);
        left -= n;
      }
      splits.push(cuts);
    }
    for (const cuts of splits) {
      const reader = new FrameReader();
      const got: Uint8Array[] = [];
      let at = 0;
      for (const n of cuts) {
        const { frames, error } = reader.push(all.subarray(at, at + n));
        expect(error).toBeNull();
        got.push(...frames);
        at += n;
      }
      expect(got.map((f) => Buffer.from(f).toString('hex'))).toEqual(parts.map((p) => Buffer.from(p.subarray(4)).toString('hex')));
      expect(reader.end()).toBeNull();
    }
  });

  it('decodes many messages in one chunk, and an empty frame is refused as a message, not as framing', () => {
    const reader = new MessageReader();
    const { all } = wire();
    const { messages: got, error } = reader.push(all);
    expect(error).toBeNull();
    expect(got.map((m) => m.content)).toEqual(messages.map((m) => m.content));
    const bad = reader.push(frame(new Uint8Array()));
    expect(bad.error?.reason).toBe('message 9 (0 bytes) does not decode: no timestamp (field 1)');
  });

  it('refuses an over-long length prefix at once, keeping the frames before it', () => {
    const reader = new FrameReader(1_048_576);
    const big = new Uint8Array(4);
    new DataView(big.buffer).setUint32(0, 0x7fffffff, true);
    const { frames, error } = reader.push(Buffer.concat([frameSapient(messages[1]), big]));
    expect(frames).toHaveLength(1);
    expect(error?.reason).toBe('length prefix 2147483647 exceeds the maximum 1048576');
    expect(reader.pendingBytes).toBe(0); // nothing buffered for it
    expect(reader.push(new Uint8Array(10)).error).toBe(error);
  });

  it('keeps the messages before a garbage frame and then refuses the stream', () => {
    const reader = new MessageReader();
    const garbage = frame(Uint8Array.from([0xde, 0xad, 0xbe, 0xef, 0x07, 0x07]));
    const { messages: got, error } = reader.push(Buffer.concat([frameSapient(messages[1]), garbage, frameSapient(messages[1])]));
    expect(got).toHaveLength(1);
    expect(error?.reason).toMatch(/^message 2 \(6 bytes\) does not decode: not a SAPIENT message/);
    expect(reader.push(frameSapient(messages[1])).messages).toEqual([]);
  });

  it('says how far a frame had got when the stream ends inside it', () => {
    const whole = frameSapient(messages[4]);
    const reader = new FrameReader();
    reader.push(whole.subarray(0, 30));
    expect(reader.end()).toBe(`connection closed mid-message (got 26 of ${whole.length - 4} bytes)`);
    const r2 = new FrameReader();
    r2.push(whole.subarray(0, 2));
    expect(r2.end()).toBe('connection closed mid-message (got 2 of 4 bytes of a length prefix)');
  });
});

/** Encodes without the codec's checks, to make messages the codec would refuse to send. */
function encodeRaw(obj: object): Uint8Array {
  return SapientMessageType.encode(SapientMessageType.fromObject(obj)).finish();
}
