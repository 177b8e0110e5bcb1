// The simulated SAPIENT node as a fusion node sees it over a raw TCP client: Registration first and nothing
// else until an acknowledgement addressed to this node accepts it; closed when none comes in time; a refusal
// closes it at once; reports only for what the radar sees.
import { connect, type Socket } from 'node:net';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { timestampOf } from '../../src/main/core/drones/sapient/codec.ts';
import { frameSapient, MessageReader } from '../../src/main/core/drones/sapient/framing.ts';
import type { SapientMessage } from '../../src/main/core/drones/sapient/schema.ts';
import { DEFAULT_SAPIENT_NODE_ID, startSapientNode, type SapientNode } from '../../src/sim/drone-detection/sapient-node.ts';
import type { SkyObject } from '../../src/sim/drone-detection/sky-types.ts';

const FUSION = '0f5c2a8e-1b3d-4e6f-8a9b-c0d1e2f3a4b5';
const drone: SkyObject = {
  id: 'd1', kind: 'drone', scenario: 't', lat: 29.72, lon: 106.64, altMsl: 400, heightAgl: 120, speed: 8, heading: 180, verticalSpeed: 0,
  remoteId: null, seenBy: { detection: false, sapient: true },
};

let node: SapientNode | null = null;
const sockets: Socket[] = [];

afterEach(async () => {
  for (const s of sockets.splice(0)) s.destroy();
  await node?.close();
  node = null;
});

async function client(port: number) {
  const socket = connect({ port, host: '127.0.0.1' });
  sockets.push(socket);
  const got: SapientMessage[] = [];
  const reader = new MessageReader();
  let closed = false;
  socket.on('error', () => undefined);
  socket.on('close', () => (closed = true));
  socket.on('data', (c: Buffer) => got.push(...reader.push(c).messages));
  await new Promise((r) => socket.once('connect', r));
  const ack = (acceptance: boolean, to: string) =>
    socket.write(frameSapient({ timestamp: timestampOf(Date.now()), nodeId: FUSION, destinationId: to, content: 'registrationAck', registrationAck: { acceptance } }));
  return { got, ack, isClosed: () => closed };
}

describe('simulated SAPIENT node', () => {
  it('registers, waits for an ack addressed to it, then heartbeats and reports what the radar sees', async () => {
    node = await startSapientNode({
      port: 0, sky: () => [drone, { ...drone, id: 'd2', seenBy: { detection: true, sapient: false } }], location: { lat: 29.7, lon: 106.6 },
      reportEveryMs: 50, heartbeatMs: 100,
    });
    const c = await client(node.port);
    await vi.waitFor(() => expect(c.got.map((m) => m.content)).toEqual(['registration']));
    expect(c.got[0]).toMatchObject({ nodeId: DEFAULT_SAPIENT_NODE_ID, registration: { icdVersion: 'BSI Flex 335 v2.0', nodeDefinition: [{ nodeType: 'NODE_TYPE_RADAR' }] } });
    c.ack(true, FUSION); // addressed to someone else: ignored
    await new Promise((r) => setTimeout(r, 200));
    expect(c.got).toHaveLength(1);
    c.ack(true, DEFAULT_SAPIENT_NODE_ID);
    await vi.waitFor(() => expect(c.got.filter((m) => m.content === 'detectionReport').length).toBeGreaterThanOrEqual(3));
    await vi.waitFor(() => expect(c.got.filter((m) => m.content === 'statusReport').length).toBeGreaterThanOrEqual(2));
    const status = c.got.find((m) => m.content === 'statusReport')!;
    expect(status).toMatchObject({ destinationId: FUSION, statusReport: { system: 'SYSTEM_OK', info: 'INFO_NEW', nodeLocation: { x: 106.6, y: 29.7 } } });
    const reports = c.got.flatMap((m) => (m.content === 'detectionReport' ? [m.detectionReport] : []));
    expect(new Set(reports.map((r) => r.objectId)).size).toBe(1); // d2 is not seen by the radar
    expect(reports[0]).toMatchObject({
      classification: [{ type: 'Air Vehicle', subClass: [{ type: 'UAV', level: 1 }] }],
      location: { coordinateSystem: 'LOCATION_COORDINATE_SYSTEM_LAT_LNG_DEG_M', datum: 'LOCATION_DATUM_WGS84_G', z: expect.closeTo(400, -1) },
      enuVelocity: { eastRate: expect.closeTo(0, 6), northRate: expect.closeTo(-8, 6), upRate: 0 },
    });
    expect(node.connections()).toBe(1);
  });

  it('closes a connection that does not acknowledge in time, and one that refuses it', async () => {
    node = await startSapientNode({ port: 0, sky: () => [drone], location: { lat: 29.7, lon: 106.6 }, ackTimeoutMs: 300 });
    const quiet = await client(node.port);
    const refusing = await client(node.port);
    await vi.waitFor(() => expect(refusing.got).toHaveLength(1));
    refusing.ack(false, DEFAULT_SAPIENT_NODE_ID);
    await vi.waitFor(() => expect(refusing.isClosed()).toBe(true));
    expect(quiet.isClosed()).toBe(false);
    await vi.waitFor(() => expect(quiet.isClosed()).toBe(true));
    expect(quiet.got.map((m) => m.content)).toEqual(['registration']);
    await vi.waitFor(() => expect(node!.connections()).toBe(0));
  });

  it('silent: sends nothing, not even its registration, until the fault is cleared; refuses an unknown fault', async () => {
    node = await startSapientNode({ port: 0, sky: () => [drone], location: { lat: 29.7, lon: 106.6 }, reportEveryMs: 50 });
    node.setFault('silent');
    const c = await client(node.port);
    await new Promise((r) => setTimeout(r, 300));
    expect(c.got).toEqual([]);
    node.setFault('none');
    await vi.waitFor(() => expect(c.got.map((m) => m.content)).toEqual(['registration']));
    expect(() => node!.setFault('loud' as never)).toThrow('sapient node: unknown fault "loud" (one of none, silent, garbage, drop-mid-message, oversize-prefix)');
  });
});
