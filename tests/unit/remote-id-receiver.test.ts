// The simulated Remote ID receiver on a loopback server, and the console's `remote-id` source polling it: real
// HTTP, the real codec on both sides, a real source registry, a fake fusion that collects what it is handed.
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { ManualClock } from '../../src/main/core/clock.ts';
import type { AlarmService } from '../../src/main/core/alarms/alarm-service.ts';
import { decodeHex, type LocationMessage, type SystemMessage } from '../../src/main/core/drones/remote-id/codec.ts';
import { receiverAnswerSchema, type ReceiverAnswer } from '../../src/main/core/drones/remote-id/receiver-api.ts';
import { remoteIdKind } from '../../src/main/core/drones/remote-id/remote-id-source.ts';
import { locationTimeMs } from '../../src/main/core/drones/remote-id/summary.ts';
import { fetchJsonClient } from '../../src/main/core/sources/http-json.ts';
import { SourceRegistry } from '../../src/main/core/sources/source-registry.ts';
import type { SourceDeps } from '../../src/main/core/sources/adapter-kind.ts';
import type { DroneDetection } from '../../src/shared/drones.ts';
import { remoteIdReceiver, rssiAt } from '../../src/sim/drone-detection/remote-id-receiver.ts';
import type { SkyObject } from '../../src/sim/drone-detection/sky-types.ts';

const RECEIVER = { id: 'rid-1', lat: 29.7192, lon: 106.6416 };
const T0 = Date.UTC(2026, 10, 24, 8, 15, 30, 250);

function drone(id: string, lat: number, lon: number, rid: Partial<NonNullable<SkyObject['remoteId']>> | null = {}): SkyObject {
  return {
    id, kind: 'drone', scenario: 'test', lat, lon, altMsl: 512.3, heightAgl: 96.8, speed: 7.4, heading: 241.6, verticalSpeed: -1.2,
    remoteId: rid && {
      serial: `1581F${id}`, registrationId: `UAS-CN-${id}`, uaType: 2, operatorId: `OP-${id}`, selfIdText: `photo ${id}`,
      operator: { lat: lat - 0.002, lon: lon + 0.001, altMsl: 418.4 }, ...rid,
    },
    seenBy: { detection: true, sapient: true },
  };
}

let server: Server;
let base: string;
let sky: SkyObject[];
let now: number;
let requests: URL[];
/** When set, the answer is changed on its way out (a receiver with a fault). */
let tamper: ((answer: ReceiverAnswer) => unknown) | null;
let receiver: ReturnType<typeof remoteIdReceiver>;

function answerOf(req: IncomingMessage, url: URL): ReceiverAnswer {
  let body = '';
  const capture = { writeHead: () => capture, setHeader: () => capture, end: (b: string) => (body = b) };
  receiver.handle(req, capture as unknown as ServerResponse, url, sky, now);
  return JSON.parse(body) as ReceiverAnswer;
}

beforeEach(async () => {
  sky = [];
  now = T0;
  requests = [];
  tamper = null;
  receiver = remoteIdReceiver({ receiver: RECEIVER, rangeM: 5_000 });
  server = createServer((req, res) => {
    const url = new URL(req.url ?? '/', 'http://127.0.0.1');
    requests.push(url);
    if (tamper && url.pathname === '/api/drones') {
      res.writeHead(200, { 'Content-Type': 'application/json' }).end(JSON.stringify(tamper(answerOf(req, url))));
      return;
    }
    if (!receiver.handle(req, res, url, sky, now)) res.writeHead(404).end();
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
});
afterEach(async () => {
  server.closeAllConnections();
  await new Promise((resolve) => server.close(resolve));
});

const get = async (path: string) => {
  const res = await fetch(`${base}${path}`);
  return { status: res.status, body: (await res.json().catch(() => null)) as ReceiverAnswer & { error?: string } };
};

describe('simulated Remote ID receiver', () => {
  it('lists the drones that broadcast within range, with their raw messages encoded by the codec', async () => {
    sky = [
      drone('A', 29.7300, 106.6500),
      drone('FAR', 29.8500, 106.6416), // 14 km north: out of range
      drone('DARK', 29.7200, 106.6420, null), // no Remote ID
      { ...drone('BIRD', 29.7210, 106.6410, null), kind: 'bird' },
    ];
    const { status, body } = await get('/api/drones?max_age=30');
    expect(status).toBe(200);
    const answer = receiverAnswerSchema.parse(body);
    expect(answer.receiver).toEqual({ ...RECEIVER, range_m: 5_000 });
    expect(answer.counts).toEqual({ active: 1, aging: 0, stale: 0 });
    expect(answer.timestamp).toBe(new Date(T0).toISOString());
    const [a] = answer.drones;
    expect(a).toMatchObject({
      // As decoded from the broadcast, quantised: 0.5 m altitudes, 0.25 m/s speeds, whole degrees.
      serial_number: '1581FA', registration_id: 'UAS-CN-A', ua_type: 'helicopter-or-multirotor', lat: 29.73, lon: 106.65,
      alt_geo: 512, alt_baro: 512, height_agl: 96.5, speed: 7.5, direction: 242, vertical_speed: -1,
      operator_lat: 29.728, operator_lon: 106.651, operator_alt: 418, operator_id: 'OP-A', self_id_text: 'photo A',
      protocol: 'astm-f3411-bt5', state: 'active', first_seen: new Date(T0).toISOString(), last_seen: new Date(T0).toISOString(),
    });
    // About 1.4 km away: a plausible Bluetooth 5 long-range level, weaker than at 100 m.
    expect(a.rssi).toBeLessThan(-80);
    expect(a.rssi).toBeGreaterThan(-100);
    expect(rssiAt(100)).toBeGreaterThan(a.rssi!);
    const messages = decodeHex(a.messages[0]);
    expect(messages.map((m) => m.type)).toEqual(['basic-id', 'basic-id', 'location', 'self-id', 'system', 'operator-id']);
    const loc = messages[2] as LocationMessage;
    expect(loc).toMatchObject({ lat: 29.73, lon: 106.65, altitudeGeoM: 512, heightM: 96.5, speedMps: 7.5, verticalSpeedMps: -1, directionDeg: 242, heightType: 'above-ground', status: 'airborne' });
    expect(locationTimeMs(loc.timestampS, T0)).toBe(Date.UTC(2026, 10, 24, 8, 15, 30, 300)); // tenths of a second, rounded
    const sys = messages[4] as SystemMessage;
    expect(sys).toMatchObject({ operatorLat: 29.728, operatorLon: 106.651, operatorAltitudeGeoM: 418, timestampUtc: '2026-11-24T08:15:30.000Z' });
  });

  it('remembers when it first and last heard a drone: active, aging after 30 s, stale after 90 s, gone after 180 s', async () => {
    sky = [drone('A', 29.7300, 106.6500)];
    await get('/api/drones');
    now += 20_000;
    await get('/api/drones');
    sky = []; // the drone lands, or leaves
    const at = async (s: number, query = '') => {
      now = T0 + 20_000 + s * 1000;
      const { body } = await get(`/api/drones${query}`);
      return [body.drones.map((d) => [d.state, d.first_seen, d.last_seen]), body.counts];
    };
    const seen = [new Date(T0).toISOString(), new Date(T0 + 20_000).toISOString()];
    expect(await at(30)).toEqual([[['active', ...seen]], { active: 1, aging: 0, stale: 0 }]);
    expect(await at(31)).toEqual([[['aging', ...seen]], { active: 0, aging: 1, stale: 0 }]);
    expect(await at(31, '?max_age=30')).toEqual([[], { active: 0, aging: 0, stale: 0 }]);
    expect(await at(91)).toEqual([[['stale', ...seen]], { active: 0, aging: 0, stale: 1 }]);
    expect(await at(181)).toEqual([[], { active: 0, aging: 0, stale: 0 }]);
    // Heard again: a new first sighting.
    sky = [drone('A', 29.7300, 106.6500)];
    const { body } = await get('/api/drones');
    expect(body.drones[0].first_seen).toBe(new Date(now).toISOString());
  });

  it('refuses a bad max_age and other methods, and leaves other paths to its server', async () => {
    expect(await get('/api/drones?max_age=soon')).toEqual({ status: 400, body: { error: 'max_age must be a number of seconds ≥ 0, not "soon"' } });
    expect((await fetch(`${base}/api/drones`, { method: 'POST' })).status).toBe(405);
    expect((await get('/api/v1/tracks')).status).toBe(404);
  });

  it('sends only ASCII in the messages, as a transmitter would', async () => {
    sky = [drone('C', 29.7300, 106.6500, { selfIdText: '航拍 survey of 02L approach path' })];
    const { body } = await get('/api/drones');
    expect(body.drones[0].self_id_text).toBe('?? survey of 02L approa');
    expect(decodeHex(body.drones[0].messages[0]).find((m) => m.type === 'self-id')).toMatchObject({ description: '?? survey of 02L approa' });
  });
});

describe('remote-id source', () => {
  let registry: SourceRegistry;
  let reported: Array<{ sensorId: string; detections: DroneDetection[] }>;
  let failStore: boolean;
  let logs: string[];
  let poll: () => Promise<boolean>;
  const health = () => registry.get('rid')!;

  beforeEach(() => {
    reported = [];
    logs = [];
    failStore = false;
    const clock = new ManualClock(T0);
    registry = new SourceRegistry(clock, {} as AlarmService, { changed: () => undefined });
    registry.register({ id: 'rid', kind: 'remote-id', name: remoteIdKind.defaultName, silentAfterMs: remoteIdKind.defaultSilentAfterMs });
    const config = remoteIdKind.configSchema.parse({ id: 'rid', kind: 'remote-id', url: `${base}/`, timeoutMs: 2_000 });
    const deps = {
      clock, sources: registry, http: fetchJsonClient, log: (line: string) => logs.push(line), random: () => 0.5,
      drones: {
        async reportDetections(sensorId: string, detections: DroneDetection[]) {
          if (failStore) throw new Error('SQLITE_FULL: database or disk is full');
          reported.push({ sensorId, detections });
        },
      },
    } as unknown as SourceDeps;
    const adapter = remoteIdKind.create({ ...config, apiKey: 'rid-key' }, deps);
    expect([adapter.intervalMs, adapter.backoffMaxMs]).toEqual([1_000, 5_000]);
    poll = () => adapter.pollOnce();
  });
  afterEach(() => registry.stop());

  it('decodes each drone\'s broadcast into a detection for the fusion, with identity, pilot and signal', async () => {
    sky = [drone('A', 29.7300, 106.6500), drone('B', 29.7100, 106.6300, { registrationId: null, uaType: 4 })];
    expect(await poll()).toBe(true);
    expect(requests.at(-1)!.search).toBe('?max_age=30');
    expect(reported).toHaveLength(1);
    const [a, b] = reported[0].detections;
    expect(reported[0].sensorId).toBe('rid');
    expect(a).toEqual({
      sensorId: 'rid', sensorKind: 'remote-id', objectId: '1581FA', at: Date.UTC(2026, 10, 24, 8, 15, 30, 300),
      position: { lat: 29.73, lon: 106.65, altM: 512 }, heightAglM: 96.5, speedMps: 7.5, headingDeg: 242, verticalSpeedMps: -1,
      classification: 'drone', rssiDbm: expect.any(Number),
      identity: { serial: '1581FA', registrationId: 'UAS-CN-A', uaType: 'helicopter-or-multirotor', selfIdText: 'photo A', operatorId: 'OP-A' },
      pilot: { lat: 29.728, lon: 106.651, altM: 418 },
    });
    expect(b).toMatchObject({ objectId: '1581FB', identity: { serial: '1581FB', uaType: 'hybrid-lift' } });
    expect(b.identity).not.toHaveProperty('registrationId');
    expect(health()).toMatchObject({ health: 'ok', counts: { drones: 2 } });
    expect(logs).toEqual([]);
  });

  it('skips a drone whose messages do not decode, logs why once, and still hands the others', async () => {
    sky = [drone('A', 29.7300, 106.6500), drone('B', 29.7100, 106.6300), drone('C', 29.7200, 106.6400)];
    tamper = (answer) => {
      answer.drones[1].messages = [answer.drones[1].messages[0].slice(0, 100)]; // cut off mid-pack
      return answer;
    };
    expect(await poll()).toBe(true);
    expect(await poll()).toBe(true);
    expect(reported.map((r) => r.detections.map((d) => d.objectId))).toEqual([['1581FA', '1581FC'], ['1581FA', '1581FC']]);
    expect(logs).toEqual(['remote id rid: drone 1581FB skipped: message 1: pack claims 6 messages but has 50 bytes (153 expected)']);
    expect(health()).toMatchObject({
      health: 'degraded', counts: { drones: 2 },
      problem: { code: 'malformed', path: 'drones.1.messages', more: 0, message: 'drone 1581FB skipped: message 1: pack claims 6 messages but has 50 bytes (153 expected)' },
    });
    tamper = null;
    expect(await poll()).toBe(true);
    expect(reported.at(-1)!.detections).toHaveLength(3);
    expect(health()).toMatchObject({ health: 'ok', counts: { drones: 3 } });
    expect(health().problem).toBeUndefined();
  });

  it('trusts the decoded broadcast over the receiver\'s JSON when they disagree by more than 50 m, and says so once', async () => {
    sky = [drone('A', 29.7300, 106.6500)];
    tamper = (answer) => ((answer.drones[0].lat = 29.7310), answer); // 111 m north
    await poll();
    await poll();
    expect(reported.map((r) => r.detections[0].position.lat)).toEqual([29.73, 29.73]);
    expect(logs).toEqual(["remote id rid: drone 1581FA: the receiver's position is 111 m from its decoded broadcast; the broadcast is used"]);
    expect(health().health).toBe('ok');
  });

  it('reports a malformed answer with where it is wrong, and hands nothing', async () => {
    sky = [drone('A', 29.7300, 106.6500)];
    tamper = (answer) => ((answer.drones[0] as unknown as { lat: string }).lat = 'N29.73', answer);
    expect(await poll()).toBe(false);
    expect(reported).toEqual([]);
    expect(health()).toMatchObject({
      health: 'degraded',
      problem: { code: 'malformed', path: 'drones.0.lat', more: 0, message: 'malformed answer: drones.0.lat: Invalid input: expected number, received string' },
    });
    tamper = () => ({ drones: 'none' });
    expect(await poll()).toBe(false);
    expect(health().problem).toMatchObject({ code: 'malformed', path: 'receiver' });
  });

  it('refuses hostile answers: more drones than a receiver hears, a pack inside a pack, a position off the globe', async () => {
    sky = [drone('A', 29.7300, 106.6500), drone('B', 29.7100, 106.6300)];
    // 2,001 drones: over the schema's cap, refused whole (a broken or hostile receiver), nothing handed on.
    tamper = (answer) => ({ ...answer, drones: Array.from({ length: 2001 }, () => answer.drones[0]) });
    expect(await poll()).toBe(false);
    expect(reported).toEqual([]);
    expect(health().problem).toMatchObject({ code: 'malformed', path: 'drones' });
    // A pack wrapped in a pack, and a Location whose latitude is 214°: each drone is skipped with its reason.
    tamper = (answer) => {
      const pack = answer.drones[0].messages[0];
      answer.drones[0].messages = [`F21901${pack.slice(6, 56)}`.replace(/^F21901(.{2})/, 'F21901F2')];
      const loc = Buffer.alloc(25);
      loc[0] = 0x12; // Location, protocol version 2
      loc.writeInt32LE(2_140_000_000, 5); // 214.0000000°
      answer.drones[1].messages = [loc.toString('hex').toUpperCase()];
      return answer;
    };
    expect(await poll()).toBe(true);
    expect(reported.at(-1)!.detections).toEqual([]);
    expect(logs.slice(-2)).toEqual([
      'remote id rid: drone 1581FA skipped: message 1: nested pack: message 1 of 1 is itself a pack',
      'remote id rid: drone 1581FB skipped: message 1: location latitude 214 is outside −90…90°',
    ]);
    expect(health().health).toBe('degraded');
  });

  it('counts a poll whose detections could not be stored as failed', async () => {
    sky = [drone('A', 29.7300, 106.6500)];
    failStore = true;
    expect(await poll()).toBe(false);
    expect(health()).toMatchObject({ health: 'degraded', problem: { code: 'storage', message: 'could not store the detections of this answer: SQLITE_FULL: database or disk is full' } });
  });

  it('is configured strictly: a misspelt field is an error, max_age is at most 180 s', () => {
    const parse = (entry: object) => remoteIdKind.configSchema.safeParse({ id: 'rid', kind: 'remote-id', url: 'http://rid.local/', ...entry });
    expect(parse({ maxAgeS: 90 }).success).toBe(true);
    expect(parse({ maxAge: 90 }).success).toBe(false);
    expect(parse({ maxAgeS: 600 }).success).toBe(false);
    expect(parse({ url: 'ftp://rid.local/' }).success).toBe(false);
  });
});
