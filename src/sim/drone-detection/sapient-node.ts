// A simulated SAPIENT (BSI Flex 335 v2.0) radar node over TCP. The node is the server: in SAPIENT the fusion
// node (here, the console) connects to each sensor node it fuses, and the node answers every connection with
// its Registration. It waits for a RegistrationAck that accepts it (closing after 10 s without one), then sends
// a StatusReport heartbeat every `heartbeatMs` and a DetectionReport for every object of the simulated sky that
// the radar sees, every `reportEveryMs`: one message per object, a new report_id each time, the same object_id
// for an object as long as the node runs. A radar reads no serial: a report says where, how fast and what
// kind ('Air Vehicle' › 'UAV', 'Animal' › 'Bird'), never who.
//
// Faults, for the console's recovery to be shown and tested:
//   silent            stays connected and sends nothing (not even a Registration) until the fault is cleared;
//   garbage           once: a frame of random bytes behind a valid length prefix, then nothing on that connection;
//   drop-mid-message  once: the first half of a detection frame, then the connection is destroyed;
//   oversize-prefix   once: a length prefix of 0x7fffffff, then nothing on that connection.
// A one-shot fault fires on the next report tick of a registered connection and clears itself, so that the
// console's reconnection finds a healthy node.
import { createServer, type AddressInfo, type Server, type Socket } from 'node:net';
import { decodeSapient, timestampOf } from '../../main/core/drones/sapient/codec.ts';
import { frame, frameSapient, MessageReader } from '../../main/core/drones/sapient/framing.ts';
import { SAPIENT_ICD_VERSION, type DetectionReport, type SapientContent, type SapientMessage } from '../../main/core/drones/sapient/schema.ts';
import { ulid } from '../../main/core/drones/sapient/ulid.ts';
import type { SkyObject } from './sky-types.ts';
import { seededRandom } from './scenario.ts';

export type SapientFault = 'none' | 'silent' | 'garbage' | 'drop-mid-message' | 'oversize-prefix';
export const SAPIENT_FAULTS: readonly SapientFault[] = ['none', 'silent', 'garbage', 'drop-mid-message', 'oversize-prefix'];

export interface SapientNodeOptions {
  port: number;
  host?: string;
  /** The node's UUID. */
  nodeId?: string;
  sky: (nowMs: number) => SkyObject[];
  /** Where the radar stands (reported in its StatusReports). */
  location: { lat: number; lon: number };
  reportEveryMs?: number;
  heartbeatMs?: number;
  seed?: number;
  /** The node's clock (the simulator's, for drills at speed); default Date.now. */
  now?: () => number;
  /** How long a connection may stay unacknowledged after the Registration. */
  ackTimeoutMs?: number;
  /** Called once each whole message has been handed to the network (tests count what was sent whole). */
  onSent?: (msg: SapientMessage) => void;
  log?: (line: string) => void;
}

export interface SapientNode {
  port: number;
  close(): Promise<void>;
  setFault(f: SapientFault): void;
  /** Connections open now. */
  connections(): number;
}

export const DEFAULT_SAPIENT_NODE_ID = '5a9e0c1e-7d2b-4c55-9a51-3f0e2b6d7a10';
const RADAR_ALT_MSL = 290;
const MAX_INBOUND_FRAME = 65_536;


interface Connection {
  socket: Socket;
  registered: boolean;
  accepted: boolean;
  /** After a garbage or oversize fault: the stream is broken, nothing more is sent on it. */
  wedged: boolean;
  fusionNodeId: string | null;
  timers: NodeJS.Timeout[];
}

export async function startSapientNode(opts: SapientNodeOptions): Promise<SapientNode> {
  const nodeId = opts.nodeId ?? DEFAULT_SAPIENT_NODE_ID;
  // SAPIENT node ids are UUIDs: refuse a wrong one here, not on the first connection.
  if (!/^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i.test(nodeId)) throw new Error(`SAPIENT node id "${nodeId}" is not a UUID`);
  const now = opts.now ?? Date.now;
  const rnd = seededRandom(opts.seed ?? 335);
  const reportEveryMs = opts.reportEveryMs ?? 1_000;
  const heartbeatMs = opts.heartbeatMs ?? 5_000;
  const ackTimeoutMs = opts.ackTimeoutMs ?? 10_000;
  const log = opts.log ?? (() => undefined);
  const open = new Set<Connection>();
  /** Sky object id → the node's object_id (a ULID), kept while the node runs. */
  const objectIds = new Map<string, string>();
  let fault: SapientFault = 'none';

  const envelope = (content: SapientContent, to: string | null): SapientMessage =>
    ({ timestamp: timestampOf(now()), nodeId, ...(to ? { destinationId: to } : {}), ...content }) as SapientMessage;

  const send = (c: Connection, msg: SapientMessage): void => {
    if (c.socket.destroyed) return;
    c.socket.write(frameSapient(msg), (err) => {
      if (!err) opts.onSent?.(msg);
    });
  };

  const registration = (): SapientContent => ({
    content: 'registration',
    registration: {
      nodeDefinition: [{ nodeType: 'NODE_TYPE_RADAR', nodeSubType: ['Counter-UAS surveillance radar'] }],
      icdVersion: SAPIENT_ICD_VERSION,
      name: 'Skyfence simulated counter-UAS radar',
      shortName: 'SIM-RADAR',
      capabilities: [
        { category: 'Radar', type: 'Instrumented Range', value: '5000', units: 'm' },
        { category: 'Radar', type: 'Update Rate', value: String(reportEveryMs / 1000), units: 's' },
      ],
      statusDefinition: {
        statusInterval: { units: 'TIME_UNITS_SECONDS', value: heartbeatMs / 1000 },
        locationDefinition: { locationUnits: 'LOCATION_COORDINATE_SYSTEM_LAT_LNG_DEG_M', locationDatum: 'LOCATION_DATUM_WGS84_G' },
      },
      modeDefinition: [{
        modeName: 'Default',
        modeType: 'MODE_TYPE_DEFAULT',
        settleTime: { units: 'TIME_UNITS_SECONDS', value: 1 },
        scanType: 'SCAN_TYPE_SCANNING',
        trackingType: 'TRACKING_TYPE_TRACK',
        detectionDefinition: [{
          locationType: { locationUnits: 'LOCATION_COORDINATE_SYSTEM_LAT_LNG_DEG_M', locationDatum: 'LOCATION_DATUM_WGS84_G' },
          detectionClassDefinition: [{ classDefinition: [{ type: 'Air Vehicle', units: 'probability' }, { type: 'Animal', units: 'probability' }] }],
        }],
      }],
      configData: [{ manufacturer: 'Skyfence', model: 'SIM-RADAR', serialNumber: nodeId.slice(0, 8), softwareVersion: '1.0' }],
    },
  });

  const statusReport = (info: 'INFO_NEW' | 'INFO_UNCHANGED'): SapientContent => ({
    content: 'statusReport',
    statusReport: {
      reportId: ulid(now(), rnd),
      system: 'SYSTEM_OK',
      info,
      mode: 'Default',
      power: { source: 'POWERSOURCE_MAINS', status: 'POWERSTATUS_OK' },
      nodeLocation: {
        x: opts.location.lon, y: opts.location.lat, z: RADAR_ALT_MSL, xError: 0, yError: 0, zError: 0,
        coordinateSystem: 'LOCATION_COORDINATE_SYSTEM_LAT_LNG_DEG_M', datum: 'LOCATION_DATUM_WGS84_G',
      },
    },
  });

  const detection = (o: SkyObject): SapientContent => {
    let objectId = objectIds.get(o.id);
    if (!objectId) objectIds.set(o.id, (objectId = ulid(now(), rnd)));
    // A few metres of noise, with the errors the radar states (degrees in LAT_LNG_DEG_M).
    const noise = () => (rnd() - 0.5) * 6;
    const degLat = 1 / 111_320;
    const degLon = degLat / Math.cos((o.lat * Math.PI) / 180);
    const h = (o.heading * Math.PI) / 180;
    const drone = o.kind === 'drone';
    const report: DetectionReport = {
      reportId: ulid(now(), rnd),
      objectId,
      location: {
        x: o.lon + noise() * degLon, y: o.lat + noise() * degLat, z: o.altMsl + noise(),
        xError: 5 * degLon, yError: 5 * degLat, zError: 8,
        coordinateSystem: 'LOCATION_COORDINATE_SYSTEM_LAT_LNG_DEG_M', datum: 'LOCATION_DATUM_WGS84_G',
      },
      detectionConfidence: round2(0.8 + rnd() * 0.18),
      classification: drone
        ? [{ type: 'Air Vehicle', confidence: round2(0.85 + rnd() * 0.1), subClass: [{ type: 'UAV', level: 1, confidence: round2(0.75 + rnd() * 0.2), subClass: [{ type: 'Rotary Wing', level: 2 }] }] }]
        : [{ type: 'Animal', confidence: round2(0.7 + rnd() * 0.2), subClass: [{ type: 'Bird', level: 1, confidence: round2(0.7 + rnd() * 0.2) }] }],
      enuVelocity: { eastRate: o.speed * Math.sin(h), northRate: o.speed * Math.cos(h), upRate: o.verticalSpeed },
    };
    return { content: 'detectionReport', detectionReport: report };
  };

  const garbageBody = (): Uint8Array => {
    // Random bytes that are certainly not a SAPIENT message (random bytes nearly never are; make sure).
    for (;;) {
      const body = Uint8Array.from({ length: 24 + Math.floor(rnd() * 200) }, () => Math.floor(rnd() * 256));
      try {
        decodeSapient(body);
      } catch {
        return body;
      }
    }
  };

  /**
   * Fires a one-shot fault on this connection; true when it did (then nothing else is sent this tick). A broken
   * frame follows a whole detection in the same write, as a corrupted buffer would: the reader gets both at once.
   */
  const fireFault = (c: Connection): boolean => {
    if (fault !== 'garbage' && fault !== 'oversize-prefix' && fault !== 'drop-mid-message') return false;
    const seen = opts.sky(now()).filter((o) => o.seenBy.sapient);
    const good = envelope(seen.length ? detection(seen[0]) : statusReport('INFO_UNCHANGED'), c.fusionNodeId);
    const goodFrame = frameSapient(good);
    if (fault === 'drop-mid-message') {
      c.socket.write(goodFrame.subarray(0, Math.max(5, Math.floor(goodFrame.length / 2))), () => c.socket.destroy());
    } else {
      let broken: Uint8Array;
      if (fault === 'garbage') broken = frame(garbageBody());
      else {
        broken = new Uint8Array(4);
        new DataView(broken.buffer).setUint32(0, 0x7fffffff, true);
      }
      c.socket.write(Buffer.concat([goodFrame, broken]), (err) => {
        if (!err) opts.onSent?.(good);
      });
      c.wedged = true;
    }
    log(`sapient node: fault ${fault} fired`);
    fault = 'none';
    return true;
  };

  const silent = (c: Connection) => fault === 'silent' || c.wedged || c.socket.destroyed;

  const tickRegistration = (c: Connection) => {
    if (c.registered || silent(c)) return;
    c.registered = true;
    send(c, envelope(registration(), null));
    c.timers.push(setTimeout(() => {
      if (!c.accepted) {
        log('sapient node: no RegistrationAck within the time allowed; closing');
        c.socket.destroy();
      }
    }, ackTimeoutMs));
  };

  const onAccepted = (c: Connection) => {
    c.accepted = true;
    if (!silent(c)) send(c, envelope(statusReport('INFO_NEW'), c.fusionNodeId));
    c.timers.push(setInterval(() => {
      if (!silent(c)) send(c, envelope(statusReport('INFO_UNCHANGED'), c.fusionNodeId));
    }, heartbeatMs));
    c.timers.push(setInterval(() => {
      if (silent(c) || fireFault(c)) return;
      for (const o of opts.sky(now())) if (o.seenBy.sapient) send(c, envelope(detection(o), c.fusionNodeId));
    }, reportEveryMs));
  };

  const onConnection = (socket: Socket) => {
    const c: Connection = { socket, registered: false, accepted: false, wedged: false, fusionNodeId: null, timers: [] };
    open.add(c);
    socket.setNoDelay(true);
    const reader = new MessageReader(MAX_INBOUND_FRAME);
    socket.on('error', (err) => log(`sapient node: connection error (${err.message})`));
    socket.on('close', () => {
      for (const t of c.timers) clearTimeout(t);
      open.delete(c);
    });
    socket.on('data', (chunk: Buffer) => {
      const { messages, error } = reader.push(chunk);
      for (const m of messages) {
        if (m.content !== 'registrationAck' || c.accepted) continue;
        if (m.destinationId !== nodeId) {
          log(`sapient node: a RegistrationAck addressed to ${m.destinationId ?? 'no node'}, not to this node; ignored`);
          continue;
        }
        if (!m.registrationAck.acceptance) {
          log(`sapient node: registration refused (${(m.registrationAck.ackResponseReason ?? []).join('; ') || 'no reason given'}); closing`);
          socket.destroy();
          return;
        }
        c.fusionNodeId = m.nodeId;
        onAccepted(c);
      }
      if (error) {
        log(`sapient node: ${error.reason}; closing`);
        socket.destroy();
      }
    });
    // Registration now, or once a silent fault is cleared.
    tickRegistration(c);
    c.timers.push(setInterval(() => tickRegistration(c), Math.min(reportEveryMs, 1_000)));
  };

  const server: Server = createServer(onConnection);
  server.on('error', (err) => log(`sapient node: server error (${err.message})`));
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(opts.port, opts.host ?? '127.0.0.1', () => {
      server.off('error', reject);
      resolve();
    });
  });

  return {
    port: (server.address() as AddressInfo).port,
    setFault(f) {
      if (!SAPIENT_FAULTS.includes(f)) throw new Error(`sapient node: unknown fault ${JSON.stringify(f)} (one of ${SAPIENT_FAULTS.join(', ')})`);
      fault = f;
      log(`sapient node: fault set to ${f}`);
    },
    connections: () => open.size,
    async close() {
      for (const c of open) {
        for (const t of c.timers) clearTimeout(t);
        c.socket.destroy();
      }
      await new Promise<void>((resolve) => server.close(() => resolve()));
    },
  };
}

function round2(v: number): number {
  return Math.round(v * 100) / 100;
}
