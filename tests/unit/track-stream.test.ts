// The track-stream adapter (a push source) against a loopback TCP server: tracks arrive as newline-delimited
// JSON; bad and oversized lines are reported by line number and skipped; a connection that stays open but
// says nothing turns the source down on the core's clock with one source-silent alarm; a dropped connection
// is reconnected with backoff.
import { SOURCE_RECOVERED_NOTE } from '../../src/main/core/sources/source-registry.ts';
import { createServer, type Server, type Socket } from 'node:net';
import type { AddressInfo } from 'node:net';
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { checkLine } from '../../src/main/core/sources/track-stream.ts';
import type { Alarm } from '../../src/shared/domain.ts';
import { testCore } from '../fixtures/core.ts';

interface LineServer {
  url: string;
  sockets: Socket[];
  send(...lines: string[]): void;
  close(): Promise<void>;
}

async function lineServer(): Promise<LineServer> {
  const sockets: Socket[] = [];
  const server: Server = createServer((socket) => {
    socket.on('error', () => undefined);
    sockets.push(socket);
  });
  server.on('error', (err) => console.error('test server:', err));
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  return {
    url: `tcp://127.0.0.1:${(server.address() as AddressInfo).port}`,
    sockets,
    send: (...lines) => sockets.at(-1)!.write(lines.map((l) => `${l}\n`).join('')),
    async close() {
      for (const s of sockets) s.destroy();
      await new Promise((resolve) => server.close(resolve));
    },
  };
}

const trackLine = (trackId: string, lon: number, lat: number, extra: object = {}) =>
  JSON.stringify({ type: 'track', trackId, position: { lon, lat }, classification: 'drone', speedMps: 12, ...extra });

let server: LineServer;
let t: Awaited<ReturnType<typeof testCore>>;
let alarms: Alarm[];
const health = () => t.core.sources.get('radar')!;
const silentAlarms = () => [...new Map(alarms.filter((a) => a.type === 'source-silent').map((a) => [a.id, a])).values()];

describe('track stream', () => {
  beforeEach(async () => {
    server = await lineServer();
    t = await testCore([], { configFile: { sources: [{ id: 'radar', kind: 'track-stream', name: { zh: '雷达', en: 'Radar' }, url: server.url, silentAfterMs: 5_000 }] } });
    alarms = [];
    t.core.bus.subscribe((e, p) => e === 'alarm.changed' && alarms.push(p as Alarm));
    await vi.waitFor(() => expect(server.sockets).toHaveLength(1));
  });
  afterEach(async () => {
    await t.dispose();
    expect(t.clock.timersPending).toBe(0); // stopped: no watchdog, retry or connect timer left behind
    await server.close();
  });

  it('is a configured push source: tracks arrive, keyed by source, with their alarms', async () => {
    expect(health()).toMatchObject({ kind: 'track-stream', name: { en: 'Radar' }, health: 'idle' });
    server.send(trackLine('R-1', 106.62, 29.66), trackLine('R-2', 106.90, 29.95, { classification: 'bird' }));
    await vi.waitFor(() => expect(t.core.tracks.list()).toHaveLength(2));
    expect(t.core.tracks.list().map((x) => [x.id, x.source, x.circleRing, x.live])).toEqual([
      ['radar/R-1', 'radar', 'outer', true], ['radar/R-2', 'radar', null, true],
    ]);
    expect(health()).toMatchObject({ health: 'ok', counts: { tracks: 2 } });
    await vi.waitFor(() => expect(alarms.map((a) => a.type)).toEqual(['touch-circle']));
  });

  it('reports a bad line with its line number, refuses an oversized line without keeping it, and reads on', async () => {
    server.send(trackLine('R-1', 106.62, 29.66), '{"type":"track","trackId":"R-2","position":{"lon":29.66,"lat":106.62}}');
    await vi.waitFor(() => expect(health().health).toBe('degraded'));
    expect(health().problem).toMatchObject({
      code: 'malformed', line: 2, path: 'position.lat', target: server.url,
      message: expect.stringMatching(/^line 2: position\.lat: .*\(are longitude and latitude swapped\?\)$/),
    });
    expect(t.core.tracks.list().map((x) => x.id)).toEqual(['radar/R-1']);

    // 80 KiB without a newline, in pieces: refused at the cap, then the next line is read.
    const piece = 'x'.repeat(16 * 1024);
    for (let i = 0; i < 5; i++) server.sockets[0].write(piece);
    server.send('', trackLine('R-3', 106.63, 29.67));
    await vi.waitFor(() => expect(health().problem?.line).toBe(3));
    expect(health()).toMatchObject({ health: 'degraded', problem: { code: 'malformed', message: 'line 3: longer than 65536 bytes, refused' } });
    expect(t.core.tracks.list().map((x) => x.id)).toEqual(['radar/R-1', 'radar/R-3']);

    server.send('not json');
    await vi.waitFor(() => expect(health().problem?.line).toBe(5));
    expect(health().problem).toMatchObject({ code: 'malformed', message: 'line 5: not JSON' });
    server.send(JSON.stringify({ type: 'heartbeat' }));
    await vi.waitFor(() => expect(health().health).toBe('ok'));
  });

  it('turns down when the connection stays open but silent, raises one source-silent alarm, and recovers when it speaks', async () => {
    server.send(trackLine('R-1', 106.62, 29.66));
    await vi.waitFor(() => expect(health().health).toBe('ok'));
    t.clock.advance(4_999);
    expect(health().health).toBe('ok');
    t.clock.advance(1);
    await t.core.sources.settled();
    expect(health()).toMatchObject({ health: 'down', problem: { code: 'silent' } });
    expect(t.core.tracks.list().map((x) => x.live)).toEqual([false]);
    t.clock.advance(30_000); // still silent: still one alarm
    await t.core.sources.settled();
    expect(silentAlarms()).toHaveLength(1);
    expect(silentAlarms()[0]).toMatchObject({ state: 'new', details: { sourceId: 'radar', sourceName: { en: 'Radar' }, silentForS: 5, problem: { code: 'silent' } } });
    expect(server.sockets).toHaveLength(1); // it never hung up

    server.send(JSON.stringify({ type: 'heartbeat' }));
    await vi.waitFor(() => expect(health().health).toBe('ok'));
    expect(t.core.tracks.list().map((x) => x.live)).toEqual([true]);
    // The system closes it once the source is back (as it closes a camera group's), saying so: the queue holds
    // what still needs the operator; the record keeps the outage.
    await vi.waitFor(async () => {
      const all = (await t.core.alarms.list({ includeClosed: true })).alarms.filter((a) => a.type === 'source-silent');
      expect(all.map((a) => [a.state, a.closedBy?.username, a.resolution?.note])).toEqual([['closed', 'system', SOURCE_RECOVERED_NOTE]]);
    });

    // A second outage is a second alarm.
    t.clock.advance(5_000);
    await t.core.sources.settled();
    expect(silentAlarms()).toHaveLength(2);
  });

  it('reconnects with backoff when the connection drops, and drops tracks not reported for their time to live', async () => {
    server.send(trackLine('R-1', 106.62, 29.66), trackLine('R-2', 106.63, 29.67));
    await vi.waitFor(() => expect(t.core.tracks.list()).toHaveLength(2));
    server.sockets[0].destroy();
    await vi.waitFor(() => expect(health()).toMatchObject({ health: 'degraded', problem: { code: 'unreachable' } }));
    expect(health().problem?.message).toMatch(/closed the connection/);
    await new Promise((r) => setTimeout(r, 50));
    expect(server.sockets).toHaveLength(1); // waits on the core's clock
    t.clock.advance(1_000); // the first retry comes within 0.5–1 s
    await vi.waitFor(() => expect(server.sockets).toHaveLength(2));
    t.clock.advance(19_000);
    server.send(trackLine('R-2', 106.64, 29.68));
    await vi.waitFor(() => expect(health().health).toBe('ok'));
    expect(t.core.tracks.list().map((x) => x.id)).toEqual(['radar/R-1', 'radar/R-2']);
    t.clock.advance(10_001); // R-1 last reported 30.001 s ago, while the stream talked
    server.send(trackLine('R-2', 106.65, 29.69));
    await vi.waitFor(() => expect(t.core.tracks.list().map((x) => x.id)).toEqual(['radar/R-2']));
  });
});

describe('track stream lines', () => {
  it('says what is wrong with a line, and where', () => {
    expect(checkLine('{"type":"track","trackId":"A 1","position":{"lon":1,"lat":2}}', 7)).toEqual({
      problem: { code: 'malformed', line: 7, path: 'trackId', more: 0, message: 'line 7: trackId: letters, digits, . _ : -' },
    });
    expect(checkLine('{"type":"nope"}', 1)).toMatchObject({ problem: { path: 'type' } });
    expect(checkLine('{"type":"heartbeat","extra":1}', 1)).toEqual({ message: { type: 'heartbeat' } });
  });
});
