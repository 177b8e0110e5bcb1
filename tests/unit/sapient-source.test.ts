// The SAPIENT adapter against the simulated radar node over real loopback TCP, with a fake drone intake: the
// node registers, the console acknowledges (addressed to the node) and detections flow, batched, with a stable
// object_id per sky object; each fault the node can play (garbage, a connection dropped mid-message, an
// over-long length prefix, silence) closes the connection with a logged reason, the adapter reconnects and
// detections flow again, and every detection the node sent whole reaches the intake. A fusion that cannot
// store keeps its batch and gets it again first; stop() leaves no socket and no timer.
import { createServer, type AddressInfo, type Socket } from 'node:net';
import { afterEach, describe, expect, it, vi } from 'vitest';
import type { Clock, Timer } from '../../src/main/core/clock.ts';
import { ManualClock, systemClock } from '../../src/main/core/clock.ts';
import { frameSapient } from '../../src/main/core/drones/sapient/framing.ts';
import { printable } from '../../src/main/core/sources/printable.ts';
import { DEFAULT_FUSION_NODE_ID, SapientClient, sapientKind, type SapientSourceConfig } from '../../src/main/core/drones/sapient/sapient-source.ts';
import type { SapientMessage } from '../../src/main/core/drones/sapient/schema.ts';
import type { SourceDeps } from '../../src/main/core/sources/adapter-kind.ts';
import { SourceRegistry } from '../../src/main/core/sources/source-registry.ts';
import type { DroneDetection } from '../../src/shared/drones.ts';
import { DEFAULT_SAPIENT_NODE_ID, startSapientNode, type SapientNode } from '../../src/sim/drone-detection/sapient-node.ts';
import type { SkyObject } from '../../src/sim/drone-detection/sky-types.ts';

const ORIGIN = { lat: 29.7193, lon: 106.6412 };
const T0 = Date.now();

/** A few objects moving east: drones and a bird the radar sees, and a drone it does not. */
function sky(count = 3): (nowMs: number) => SkyObject[] {
  return (nowMs) => {
    const s = (nowMs - T0) / 1000;
    const objects: SkyObject[] = Array.from({ length: count }, (_, i) => ({
      id: `obj-${i}`, kind: i === 2 ? 'bird' : 'drone', scenario: 'test',
      lat: ORIGIN.lat + i * 0.001, lon: ORIGIN.lon + s * 10 / 96_700, altMsl: 350 + i * 10, heightAgl: 100,
      speed: 10, heading: 90, verticalSpeed: 0.5, remoteId: null, seenBy: { detection: true, sapient: true },
    }));
    objects.push({ ...objects[0], id: 'unseen', seenBy: { detection: true, sapient: false } });
    return objects;
  };
}

/** The system clock, counting the timers it holds, so that a test can check a stopped adapter left none. */
function countingClock(): Clock & { pending(): number } {
  const live = new Set<NodeJS.Timeout>();
  return {
    now: () => Date.now(),
    setTimeout(fn, ms): Timer {
      const t = setTimeout(() => {
        live.delete(t);
        fn();
      }, Math.max(0, ms));
      live.add(t);
      return { cancel: () => (clearTimeout(t), live.delete(t)) };
    },
    pending: () => live.size,
  };
}

interface Rig {
  node: SapientNode;
  client: SapientClient;
  clock: ReturnType<typeof countingClock>;
  registry: SourceRegistry;
  batches: { at: number; detections: DroneDetection[] }[];
  sent: SapientMessage[];
  logs: string[];
  /** Make the intake throw (storage full) while on; it takes delayMs for each batch, stored or not. */
  failStorage: { on: boolean; delayMs: number };
}

let rig: Rig | null = null;

async function start(config: Partial<SapientSourceConfig> = {}, objects = 3, nodeOpts: { reportEveryMs?: number } = {}): Promise<Rig> {
  const sent: SapientMessage[] = [];
  const node = await startSapientNode({
    port: 0, sky: sky(objects), location: ORIGIN, reportEveryMs: nodeOpts.reportEveryMs ?? 100, heartbeatMs: 300, seed: 7,
    onSent: (m) => sent.push(m),
  });
  const clock = countingClock();
  const logs: string[] = [];
  const registry = new SourceRegistry(systemClock, { raise: async () => undefined } as never, { changed: () => undefined });
  registry.register({ id: 'radar', kind: 'sapient', name: { zh: '雷达', en: 'Radar' }, silentAfterMs: config.silentAfterMs ?? 60_000 });
  const batches: Rig['batches'] = [];
  const failStorage = { on: false, delayMs: 0 };
  const deps = {
    clock, sources: registry, log: (l: string) => logs.push(l), random: () => 0.5,
    drones: {
      async reportDetections(sensorId: string, detections: DroneDetection[]) {
        expect(sensorId).toBe('radar');
        if (failStorage.delayMs) await new Promise((res) => setTimeout(res, failStorage.delayMs));
        if (failStorage.on) throw new Error('SQLITE_FULL: database or disk is full');
        batches.push({ at: Date.now(), detections: [...detections] });
      },
    },
  } as unknown as SourceDeps;
  const parsed = sapientKind.configSchema.parse({ id: 'radar', kind: 'sapient', port: node.port, reconnectMinMs: 100, reconnectMaxMs: 400, ...config });
  const client = sapientKind.create(parsed, deps) as SapientClient;
  rig = { node, client, clock, registry, batches, sent, logs, failStorage };
  return rig;
}

afterEach(async () => {
  if (!rig) return;
  await rig.client.stop();
  rig.registry.stop();
  await rig.node.close();
  rig = null;
});

const delivered = (r: Rig) => r.batches.flatMap((b) => b.detections);
const key = (objectId: string, at: number) => `${objectId}@${at}`;
const sentWhole = (r: Rig) =>
  r.sent.flatMap((m) => (m.content === 'detectionReport' ? [key(m.detectionReport.objectId, m.timestamp.seconds * 1000 + Math.floor((m.timestamp.nanos ?? 0) / 1e6))] : []));

/** Every detection the node sent whole has reached the intake (after the node is closed, so that the list is final). */
async function expectNothingLost(r: Rig): Promise<void> {
  await r.node.close();
  const whole = sentWhole(r);
  expect(whole.length).toBeGreaterThan(0);
  await vi.waitFor(() => {
    const got = new Set(delivered(r).map((d) => key(d.objectId, d.at)));
    expect(whole.filter((k) => !got.has(k))).toEqual([]);
  }, { timeout: 5_000 });
}

describe('SAPIENT source over loopback TCP', () => {
  it('registers, acknowledges to the node, and drains batched detections with a stable object_id per object', async () => {
    const r = await start();
    await vi.waitFor(() => expect(delivered(r).length).toBeGreaterThanOrEqual(30), { timeout: 5_000 });
    expect(r.logs.some((l) => /^sapient radar: node Skyfence simulated counter-UAS radar \(.+, BSI Flex 335 v2\.0\) registered; acknowledged$/.test(l))).toBe(true);
    // The ack went to the node by its id: the node sends nothing else before an ack addressed to it.
    const reports = r.sent.filter((m) => m.content === 'detectionReport');
    expect(reports.every((m) => m.nodeId === DEFAULT_SAPIENT_NODE_ID && m.destinationId === DEFAULT_FUSION_NODE_ID)).toBe(true);
    expect(r.sent[0].content).toBe('registration');
    expect(r.sent[0].destinationId).toBeUndefined();
    // A new report_id each message, the same object_id for an object; the unseen drone never reported.
    const ids = reports.map((m) => (m.content === 'detectionReport' ? m.detectionReport : null)!);
    expect(new Set(ids.map((d) => d.reportId)).size).toBe(ids.length);
    expect(new Set(ids.map((d) => d.objectId)).size).toBe(3);
    const got = delivered(r);
    expect(new Set(got.map((d) => d.objectId))).toEqual(new Set(ids.map((d) => d.objectId)));
    const first = got[0];
    expect(first).toMatchObject({ sensorId: 'radar', sensorKind: 'sapient', identity: null, headingDeg: expect.closeTo(90, 3), speedMps: expect.closeTo(10, 3), verticalSpeedMps: 0.5 });
    expect(Math.abs(first.position.lat - ORIGIN.lat) * 111_320).toBeLessThan(60);
    const classes = new Map(got.map((d) => [d.objectId, d.classification]));
    expect([...classes.values()].sort()).toEqual(['bird', 'drone', 'drone']);
    // Batched: several detections per call, and calls at most every batchMs (200 ms).
    expect(got.length / r.batches.length).toBeGreaterThan(1);
    for (let i = 1; i < r.batches.length; i++) expect(r.batches[i].at - r.batches[i - 1].at).toBeGreaterThanOrEqual(190);
    expect(r.registry.get('radar')).toMatchObject({ health: 'ok', counts: { objects: 3 } });
    await expectNothingLost(r);
  });

  it.each([
    ['garbage', /^sapient radar: message \d+ \(\d+ bytes\) does not decode: .+; reconnecting in 0\.\d s$/, 'malformed'],
    ['drop-mid-message', /^sapient radar: tcp:\/\/127\.0\.0\.1:\d+: connection closed mid-message \(got \d+ of \d+ bytes\); reconnecting in 0\.\d s$/, 'unreachable'],
    ['oversize-prefix', /^sapient radar: length prefix 2147483647 exceeds the maximum 1048576; reconnecting in 0\.\d s$/, 'malformed'],
  ] as const)('after %s: closes with the reason logged, reconnects, detections flow again, none sent whole is lost', async (fault, logged, code) => {
    const r = await start();
    await vi.waitFor(() => expect(delivered(r).length).toBeGreaterThan(5), { timeout: 5_000 });
    const problems: string[] = [];
    const watch = setInterval(() => { const p = r.registry.get('radar')?.problem; if (p) problems.push(p.code); }, 5);
    r.node.setFault(fault);
    await vi.waitFor(() => expect(r.logs.filter((l) => logged.test(l))).toHaveLength(1), { timeout: 5_000 });
    await vi.waitFor(() => expect(r.client.counters.registrations).toBe(2), { timeout: 5_000 });
    const before = delivered(r).length;
    await vi.waitFor(() => expect(delivered(r).length).toBeGreaterThan(before + 5), { timeout: 5_000 });
    clearInterval(watch);
    expect(problems).toContain(code);
    expect(r.registry.get('radar')?.health).toBe('ok'); // recovered
    await expectNothingLost(r);
  });

  it('a silent node: the source turns down, the connection is closed as idle and made again, and detections flow once it talks', async () => {
    const r = await start({ idleTimeoutMs: 1_000, silentAfterMs: 1_000 });
    await vi.waitFor(() => expect(delivered(r).length).toBeGreaterThan(5), { timeout: 5_000 });
    r.node.setFault('silent');
    await vi.waitFor(() => expect(r.registry.get('radar')?.health).toBe('down'), { timeout: 5_000 });
    await vi.waitFor(() => expect(r.logs.some((l) => /^sapient radar: nothing from tcp:\/\/127\.0\.0\.1:\d+ for 1 s; reconnecting in/.test(l))).toBe(true), { timeout: 5_000 });
    await vi.waitFor(() => expect(r.client.counters.connections).toBeGreaterThanOrEqual(2), { timeout: 5_000 });
    const before = delivered(r).length;
    r.node.setFault('none');
    await vi.waitFor(() => expect(delivered(r).length).toBeGreaterThan(before + 5), { timeout: 5_000 });
    await vi.waitFor(() => expect(r.registry.get('radar')?.health).toBe('ok'), { timeout: 5_000 });
  });

  it('keeps a batch the fusion could not store and hands it again before newer detections', async () => {
    const r = await start();
    await vi.waitFor(() => expect(delivered(r).length).toBeGreaterThan(3), { timeout: 5_000 });
    // A slow disk: detections keep arriving while a batch is being refused.
    r.failStorage.delayMs = 150;
    r.failStorage.on = true;
    await vi.waitFor(() => expect(r.registry.get('radar')?.problem?.code).toBe('storage'), { timeout: 5_000 });
    expect(r.logs.some((l) => /^sapient radar: could not store \d+ detection\(s\): SQLITE_FULL: database or disk is full; kept, trying again in \d+\.\d s$/.test(l))).toBe(true);
    await new Promise((res) => setTimeout(res, 400));
    const upTo = r.batches.length;
    r.failStorage.on = false;
    await vi.waitFor(() => expect(r.batches.length).toBeGreaterThan(upTo), { timeout: 5_000 });
    // The kept batch came back in one call, oldest first, and nothing newer went ahead of it.
    const after = r.batches[upTo].detections.map((d) => d.at);
    expect(after).toEqual([...after].sort((a, b) => a - b));
    const lastBefore = Math.max(...r.batches.slice(0, upTo).flatMap((b) => b.detections.map((d) => d.at)));
    expect(after[0]).toBeGreaterThan(lastBefore);
    expect(r.client.counters.dropped).toBe(0);
    await vi.waitFor(() => expect(r.registry.get('radar')?.health).toBe('ok'), { timeout: 5_000 });
    await expectNothingLost(r);
  });

  it('drops the oldest beyond maxPending while storage is failing, counting and logging them', async () => {
    const r = await start({ maxPending: 100 }, 30, { reportEveryMs: 50 });
    r.failStorage.on = true;
    await vi.waitFor(() => expect(r.client.counters.dropped).toBeGreaterThan(0), { timeout: 5_000 });
    expect(r.logs.some((l) => /^sapient radar: \d+ detection\(s\) dropped: more than 100 waiting for storage \(\d+ dropped so far\)$/.test(l))).toBe(true);
    r.failStorage.on = false;
    await vi.waitFor(() => expect(r.batches.length).toBeGreaterThan(0), { timeout: 5_000 });
    expect(r.batches[0].detections.length).toBeLessThanOrEqual(100);
  });

  it('stop() closes the connection and leaves no timer', async () => {
    const r = await start();
    await vi.waitFor(() => expect(delivered(r).length).toBeGreaterThan(3), { timeout: 5_000 });
    expect(r.node.connections()).toBe(1);
    await r.client.stop();
    expect(r.clock.pending()).toBe(0);
    await vi.waitFor(() => expect(r.node.connections()).toBe(0));
    const count = r.batches.length;
    await new Promise((res) => setTimeout(res, 300));
    expect(r.batches.length).toBe(count); // nothing delivered after stop
  });

  it('stop() while the node is unreachable cancels the reconnect', async () => {
    const r = await start();
    await r.node.close();
    await vi.waitFor(() => expect(r.logs.some((l) => /reconnecting in/.test(l))).toBe(true));
    await vi.waitFor(() => expect(r.logs.some((l) => /cannot reach tcp:\/\/127\.0\.0\.1:\d+ \(ECONNREFUSED\)/.test(l))).toBe(true), { timeout: 5_000 });
    await r.client.stop();
    expect(r.clock.pending()).toBe(0);
  });

  it('checks its entry: a bad node id, a misspelt field and a backoff that cannot grow are refused with the field named', () => {
    const bad = (entry: object) => {
      const res = sapientKind.configSchema.safeParse({ id: 'radar', kind: 'sapient', port: 4100, ...entry });
      return res.success ? null : res.error.issues.map((i) => `${i.path.join('.')}: ${i.message}`);
    };
    expect(bad({})).toBeNull();
    expect(bad({ nodeId: 'console' })).toEqual(['nodeId: a UUID, e.g. 7c1f3e2a-5b8d-4f60-9e17-2d4a6b8c0e31']);
    expect(bad({ prot: 4100 })?.[0]).toMatch(/prot/);
    expect(bad({ reconnectMinMs: 5_000, reconnectMaxMs: 1_000 })).toEqual(['reconnectMaxMs: reconnectMaxMs must be at least reconnectMinMs']);
    expect(bad({ port: 70_000 })?.[0]).toMatch(/^port: /);
  });
});

// ── a hostile node: loopback TCP, the adapter on a manual clock ────────────────────────────────────────────
const HOSTILE_NODE = '11111111-2222-4333-8444-555555555555';
const stamp = (ms: number) => ({ seconds: Math.floor(ms / 1000), nanos: (ms % 1000) * 1e6 });

interface Hostile {
  client: SapientClient;
  clock: ManualClock;
  logs: string[];
  batches: DroneDetection[][];
  /** Sockets the node accepted, newest last. */
  sockets: Socket[];
  send(socket: Socket, content: Record<string, unknown>): void;
  stop(): Promise<void>;
}

let hostile: Hostile | null = null;

/** A node that says what each test makes it say; `onConnect` runs for every connection the adapter makes. */
async function hostileNode(onConnect: (s: Socket, h: Hostile) => void, config: Partial<SapientSourceConfig> = {}): Promise<Hostile> {
  const clock = new ManualClock(Date.now());
  const sockets: Socket[] = [];
  const logs: string[] = [];
  const batches: DroneDetection[][] = [];
  let h!: Hostile;
  const server = createServer((s) => {
    s.on('error', () => undefined);
    sockets.push(s);
    onConnect(s, h);
  });
  await new Promise<void>((res) => server.listen(0, '127.0.0.1', () => res()));
  const registry = new SourceRegistry(clock, { raise: async () => undefined } as never, { changed: () => undefined });
  registry.register({ id: 'radar', kind: 'sapient', name: { zh: '雷达', en: 'Radar' }, silentAfterMs: 3_600_000 });
  const deps = {
    clock, sources: registry, log: (l: string) => logs.push(l), random: () => 0.5,
    drones: { reportDetections: async (_id: string, d: DroneDetection[]) => void batches.push([...d]) },
  } as unknown as SourceDeps;
  const port = (server.address() as AddressInfo).port;
  const parsed = sapientKind.configSchema.parse({ id: 'radar', kind: 'sapient', port, reconnectMinMs: 1_000, reconnectMaxMs: 60_000, idleTimeoutMs: 3_600_000, ...config });
  const client = sapientKind.create(parsed, deps) as SapientClient;
  h = {
    client, clock, logs, batches, sockets,
    send: (s, content) => void s.write(frameSapient({ timestamp: stamp(clock.now()), nodeId: HOSTILE_NODE, ...content } as SapientMessage)),
    async stop() {
      await client.stop();
      registry.stop();
      for (const s of sockets) s.destroy();
      await new Promise((res) => server.close(res));
    },
  };
  hostile = h;
  return h;
}

afterEach(async () => {
  await hostile?.stop();
  hostile = null;
});

const registration = (name = 'node', shortName?: string) => ({ content: 'registration', registration: { icdVersion: 'BSI Flex 335 v2.0', name, ...(shortName && { shortName }) } });
const detection = (objectId: string) => ({
  content: 'detectionReport',
  detectionReport: {
    reportId: `R-${objectId}-${Math.random()}`, objectId, classification: [{ type: 'UAV', confidence: 0.9 }],
    location: { x: ORIGIN.lon, y: ORIGIN.lat, z: 400, coordinateSystem: 'LOCATION_COORDINATE_SYSTEM_LAT_LNG_DEG_M', datum: 'LOCATION_DATUM_WGS84_G' },
  },
});
/** A log line is one bounded line of printable text. */
const isClean = (l: string) => l.length < 700 && !/[\u0000-\u001f\u007f-\u009f\u2028\u2029\u202a-\u202e\u2066-\u2069]/.test(l);

describe('printable', () => {
  it('escapes control, bidi and line-separator characters and cuts long text with an ellipsis', () => {
    expect(printable('evil\n2026-01-01 host: admin signed in')).toBe('evil\\n2026-01-01 host: admin signed in');
    expect(printable('a\u0000b\u001b[31mc\u202ed\u2066e\u0085f\u2028g\t')).toBe('a\\u0000b\\u001b[31mc\\u202ed\\u2066e\\u0085f\\u2028g\\t');
    expect(printable('雷达 A-1 (北)')).toBe('雷达 A-1 (北)');
    const long = printable('A'.repeat(200_000));
    expect(long).toBe(`${'A'.repeat(200)}…`);
    expect(printable('\n'.repeat(150), 200)).toBe(`${'\\n'.repeat(100)}…`);
  });
});

describe('SAPIENT source against a hostile node', () => {
  it('logs what the node sends as printable, bounded text, and its alerts and errors at most once per 10 s with a count', async () => {
    const forged = 'evil\n2026-01-01 host: admin signed in with password hunter2\n' + 'A'.repeat(200_000);
    const h = await hostileNode((s, node) => {
      node.send(s, registration(forged));
      for (let i = 0; i < 100; i++) {
        node.send(s, { content: 'alert', alert: { alertId: 'a', description: 'x\u001b[2J'.repeat(20_000) } });
        node.send(s, { content: 'error', error: { errorMessage: ['line1\nFORGED: sapient sapient-x: connected to tcp://10.0.0.1', 'y'.repeat(50_000)] } });
      }
      node.send(s, detection('first'));
    });
    await vi.waitFor(() => expect(h.batches.flat().map((d) => d.objectId)).toContain('first'), { timeout: 5_000 });
    expect(h.logs.every(isClean)).toBe(true);
    expect(h.logs.some((l) => l.startsWith('sapient radar: node evil\\n2026-01-01 host: admin signed in with password hunter2\\nAAAA') && l.includes('…'))).toBe(true);
    const nodeLines = () => h.logs.filter((l) => /node alert|reports an error/.test(l));
    expect(nodeLines()).toHaveLength(1);
    // Ten seconds on: the next alert goes out, saying how many were held back.
    h.clock.advance(10_000);
    h.send(h.sockets[0], { content: 'alert', alert: { alertId: 'b', description: 'after' } });
    h.send(h.sockets[0], detection('second'));
    await vi.waitFor(() => expect(h.batches.flat().map((d) => d.objectId)).toContain('second'), { timeout: 5_000 });
    expect(nodeLines()).toHaveLength(2);
    expect(nodeLines()[1]).toMatch(/^sapient radar: node alert {2}: after \(199 more like it not logged\)$/);
  });

  it('makes a bad report quoting the node printable in the log', async () => {
    const h = await hostileNode((s, node) => {
      node.send(s, registration());
      node.send(s, { content: 'detectionReport', detectionReport: { reportId: 'R\n1\u202e', objectId: '' } });
      node.send(s, detection('ok'));
    });
    await vi.waitFor(() => expect(h.logs.some((l) => l.includes('no object_id'))).toBe(true), { timeout: 5_000 });
    expect(h.logs.every(isClean)).toBe(true);
    expect(h.logs.find((l) => l.includes('no object_id'))).toContain('R\\n1\\u202e');
  });
});

describe('SAPIENT reconnect backoff against a hostile node', () => {
  it('is not reset by a Registration alone: only by a detection, or by the connection staying up 30 s', async () => {
    let mode: 'register-and-drop' | 'detect-and-drop' | 'stay' = 'register-and-drop';
    const h = await hostileNode((s, node) => {
      node.send(s, registration());
      if (mode === 'detect-and-drop') node.send(s, detection('d'));
      if (mode !== 'stay') s.end();
    });
    const waits: string[] = [];
    /** Waits for the next "reconnecting in" line, then moves the manual clock on by that wait (the redial). */
    const nextWait = async () => {
      await vi.waitFor(() => expect(h.logs.filter((l) => l.includes('reconnecting in')).length).toBeGreaterThan(waits.length), { timeout: 5_000 });
      const line = h.logs.filter((l) => l.includes('reconnecting in'))[waits.length];
      const wait = /reconnecting in (\d+\.\d) s/.exec(line)![1];
      waits.push(wait);
      h.clock.advance(Number(wait) * 1000);
      return wait;
    };
    // Backoff 1–60 s, jitter fixed at 0.5: waits of 1.5, 3, 6, 12 s while each connection only registers.
    expect([await nextWait(), await nextWait(), await nextWait(), await nextWait()]).toEqual(['1.5', '3.0', '6.0', '12.0']);
    expect(h.client.counters.registrations).toBe(4);
    mode = 'detect-and-drop';
    expect(await nextWait()).toBe('1.5'); // the detection reset it: this drop is the first failure again
    mode = 'register-and-drop';
    expect([await nextWait(), await nextWait()]).toEqual(['3.0', '6.0']);
    mode = 'stay';
    await vi.waitFor(() => expect(h.sockets.length).toBe(8), { timeout: 5_000 });
    await vi.waitFor(() => expect(h.client.counters.registrations).toBe(8), { timeout: 5_000 });
    h.clock.advance(29_000);
    h.sockets[7].destroy();
    expect(await nextWait()).toBe('12.0'); // up 29 s: not proven
    await vi.waitFor(() => expect(h.sockets.length).toBe(9), { timeout: 5_000 });
    await vi.waitFor(() => expect(h.client.counters.registrations).toBe(9), { timeout: 5_000 });
    h.clock.advance(30_000);
    h.sockets[8].destroy();
    expect(await nextWait()).toBe('1.5'); // up 30 s: proven
  });
});
