// Media by ticket: signed, short-lived links; snapshot bytes through the real browser host; live streams
// capped and closed upstream when the viewer leaves (browser host and the web Response of the Electron shell).
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { PassThrough } from 'node:stream';
import { get, type IncomingMessage } from 'node:http';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { dispatch, type Session } from '../../src/main/core/api.ts';
import { ManualClock } from '../../src/main/core/clock.ts';
import { HeldFiles, MediaServer, SNAPSHOT_SHARE_MS, toWebResponse } from '../../src/main/core/video/media-server.ts';
import { MediaTickets } from '../../src/main/core/video/media-tickets.ts';
import { serveMedia, videoCore } from '../../src/main/core/video/video-core.ts';
import { startBrowserHost, type BrowserHost } from '../../src/main/host/browser-host.ts';
import type { CameraDirectory } from '../../src/main/core/video/video-ports.ts';
import type { MediaStream, VideoSourceMedia } from '../../src/main/core/video/video-source.ts';
import type { MediaLink } from '../../src/shared/contract/video.ts';
import type { Camera, CameraState } from '../../src/shared/video.ts';
import { testCore } from '../fixtures/core.ts';
import { signedIn } from '../fixtures/sessions.ts';
import { camera, DbEvidence, MemoryCameras, TINY_JPEG } from '../fixtures/video-svc-cameras.ts';

let t: Awaited<ReturnType<typeof testCore>>;
let cams: MemoryCameras;
let host: BrowserHost;
let rendererDir: string;
let duty: Session;
const hostLog: string[] = [];

beforeAll(async () => {
  t = await testCore();
  cams = new MemoryCameras([camera('vms/a', { lon: 104.44, lat: 30.57 }), camera('vms/b', { lon: 104.45, lat: 30.57 }), camera('vms/dead', { lon: 104.46, lat: 30.57 })]);
  cams.broken.add('dead');
  Object.assign(t.core, { cameras: cams, evidence: new DbEvidence(t.core.db) });
  rendererDir = mkdtempSync(join(tmpdir(), 'skyfence-renderer-'));
  writeFileSync(join(rendererDir, 'index.html'), '<!doctype html>');
  host = await startBrowserHost(t.core, { port: 0, rendererDir, log: (l) => hostLog.push(l) });
  duty = await signedIn(t.core, 'duty');
});
afterAll(async () => {
  await host?.close();
  await t?.dispose();
  rmSync(rendererDir, { recursive: true, force: true });
});

const link = async (input: object) => (await dispatch(t.core, duty, 'video.media', input)) as MediaLink;
const fetchHost = (url: string) => fetch(`http://127.0.0.1:${host.port}${url}`);

/** Cameras whose snapshots wait until released (to hold fetches in flight), and whose live picture is bytes
 *  without any multipart boundary. */
class SlowCameras implements CameraDirectory {
  readonly fetches: string[] = [];
  readonly liveUpstreams: Array<{ closed: boolean }> = [];
  private waiting: Array<() => void> = [];
  private readonly cams: Camera[] = Array.from({ length: 20 }, (_, i) => camera(`slow/c${i}`, { lon: 104.4 + i / 1000, lat: 30.5 }));

  list(): Camera[] {
    return this.cams;
  }
  get(id: string): Camera | undefined {
    return this.cams.find((c) => c.id === id);
  }
  states(): CameraState[] {
    return this.cams.map((c) => ({ id: c.id, health: 'online', since: 0 }));
  }
  media(id: string): { media: VideoSourceMedia; cameraId: string } | undefined {
    const cam = this.get(id);
    return cam && { media: this.sourceMedia, cameraId: cam.cameraId };
  }
  async setPreset(id: string): Promise<CameraState> {
    return { id, health: 'online', since: 0 };
  }
  /** Lets every waiting snapshot answer. */
  release(): void {
    for (const go of this.waiting.splice(0)) go();
  }

  private readonly sourceMedia: VideoSourceMedia = {
    snapshot: async (cameraId) => {
      this.fetches.push(cameraId);
      await new Promise<void>((r) => this.waiting.push(r));
      return TINY_JPEG;
    },
    live: async (): Promise<MediaStream> => {
      const body = new PassThrough();
      const up = { closed: false };
      this.liveUpstreams.push(up);
      const timer = setInterval(() => body.write(Buffer.alloc(64 * 1024, 0x20)), 2);
      return { contentType: 'multipart/x-mixed-replace; boundary=frame', body, close: () => ((up.closed = true), clearInterval(timer), body.end()) };
    },
  };
}

/** The ticket with its payload rewritten (the signature kept). */
function tamper(url: string, change: (claims: Record<string, unknown>) => void): string {
  const [payload, sig] = url.slice('/media/'.length).split('.');
  const claims = JSON.parse(Buffer.from(payload, 'base64url').toString());
  change(claims);
  return `/media/${Buffer.from(JSON.stringify(claims)).toString('base64url')}.${sig}`;
}

describe('media tickets', () => {
  it('verifies its own tickets until they expire, and refuses forged ones', () => {
    const clock = new ManualClock();
    const tickets = new MediaTickets(clock);
    const { ticket, expiresAt } = tickets.issue('snapshot', 'vms/a', 'duty');
    expect(expiresAt).toBe(clock.now() + 60_000);
    expect(tickets.verify(ticket)).toEqual({ ok: true, claims: { kind: 'snapshot', id: 'vms/a', user: 'duty', exp: expiresAt, jti: expect.any(String) } });
    const flipped = ticket.slice(0, -2) + (ticket.at(-2) === 'A' ? 'B' : 'A') + ticket.at(-1);
    expect(tickets.verify(flipped)).toEqual({ ok: false, why: 'forged' });
    expect(new MediaTickets(clock).verify(ticket)).toEqual({ ok: false, why: 'forged' }); // another core start's secret
    expect(tickets.verify('no-dot-at-all')).toEqual({ ok: false, why: 'forged' });
    clock.advance(59_999);
    expect(tickets.verify(ticket).ok).toBe(true);
    clock.advance(1);
    expect(tickets.verify(ticket)).toEqual({ ok: false, why: 'expired' });
    const report = tickets.issue('report', 'x', 'duty');
    clock.advance(4 * 60_000);
    expect(tickets.verify(report.ticket).ok).toBe(true);
  });
});

describe('media through the browser host', () => {
  it('serves a camera snapshot by its link, with no-store and nosniff', async () => {
    const l = await link({ kind: 'snapshot', cameraId: 'vms/a' });
    expect(l.url).toMatch(/^\/media\/[\w-]+\.[\w-]+$/);
    expect(l.expiresAt).toBe(t.clock.now() + 60_000);
    const res = await fetchHost(l.url);
    expect(res.status).toBe(200);
    expect(res.headers.get('content-type')).toBe('image/jpeg');
    expect(res.headers.get('cache-control')).toBe('no-store');
    expect(res.headers.get('x-content-type-options')).toBe('nosniff');
    expect(Buffer.from(await res.arrayBuffer()).equals(TINY_JPEG)).toBe(true);
    expect(cams.snapshotsTaken.at(-1)).toBe('a'); // asked of the source by its own id
  });

  it('refuses a link rewritten for another camera, a forged one and an expired one (403)', async () => {
    const l = await link({ kind: 'snapshot', cameraId: 'vms/a' });
    const other = await fetchHost(tamper(l.url, (c) => (c.id = 'vms/b')));
    expect(other.status).toBe(403);
    expect(await other.text()).toContain('not a valid media link');
    expect((await fetchHost(tamper(l.url, (c) => (c.exp = Number(c.exp) + 3_600_000)))).status).toBe(403);
    expect((await fetchHost('/media/garbage')).status).toBe(403);
    t.clock.advance(60_001);
    const expired = await fetchHost(l.url);
    expect(expired.status).toBe(403);
    expect(await expired.text()).toContain('expired');
  });

  it('gives no link for an unknown camera, and 502 when the source gives no picture', async () => {
    await expect(link({ kind: 'snapshot', cameraId: 'vms/nope' })).rejects.toMatchObject({ code: 'not-found' });
    const res = await fetchHost((await link({ kind: 'snapshot', cameraId: 'vms/dead' })).url);
    expect(res.status).toBe(502);
    expect(await res.text()).toContain('answered 503');
  });

  it('serves kept evidence by its id', async () => {
    const id = await videoCore(t.core).evidence.save('vms/b', TINY_JPEG, t.clock.now());
    const res = await fetchHost((await link({ kind: 'evidence', snapshotId: id })).url);
    expect(res.status).toBe(200);
    expect(Buffer.from(await res.arrayBuffer()).equals(TINY_JPEG)).toBe(true);
    const missing = await fetchHost((await link({ kind: 'evidence', snapshotId: '00000000-0000-0000-0000-000000000000' })).url);
    expect(missing.status).toBe(404);
  });

  it('proxies a live stream and closes the upstream when the viewer disconnects', async () => {
    const l = await link({ kind: 'live', cameraId: 'vms/b' });
    const opened = cams.liveOpened.length;
    const res = await new Promise<IncomingMessage>((resolve, reject) => get(`http://127.0.0.1:${host.port}${l.url}`, resolve).on('error', reject));
    expect(res.statusCode).toBe(200);
    expect(res.headers['content-type']).toBe('multipart/x-mixed-replace; boundary=frame');
    const first = await new Promise<Buffer>((resolve) => res.once('data', resolve));
    expect(first.toString('latin1')).toContain('--frame');
    expect(videoCore(t.core).media.liveStreams).toBe(1);
    const upstream = cams.liveOpened[opened];
    expect(upstream.closed).toBe(false);
    res.destroy();
    await expect.poll(() => upstream.closed).toBe(true);
    await expect.poll(() => videoCore(t.core).media.liveStreams).toBe(0);
  });

  it('answers GET only, and leaves other paths to the static files', async () => {
    const l = await link({ kind: 'snapshot', cameraId: 'vms/a' });
    expect((await fetch(`http://127.0.0.1:${host.port}${l.url}`, { method: 'POST' })).status).toBe(405);
    expect((await fetchHost('/index.html')).status).toBe(200);
  });
});

describe('media server', () => {
  it('caps the live streams it proxies (503) and frees a place when one closes', async () => {
    const clock = new ManualClock();
    const tickets = new MediaTickets(clock);
    const server = new MediaServer(tickets, cams, new DbEvidence(t.core.db), new HeldFiles(clock), { maxLive: 2 });
    const open = () => server.serve(`/media/${tickets.issue('live', 'vms/a', 'duty').ticket}`);
    const one = await open();
    const two = await open();
    expect([one.status, two.status]).toEqual([200, 200]);
    const three = await open();
    expect(three.status).toBe(503);
    expect(String(three.body)).toContain('too many live pictures');
    one.close!();
    one.close!(); // idempotent: frees one place, not two
    const four = await open();
    expect(four.status).toBe(200);
    expect((await open()).status).toBe(503);
    two.close!();
    four.close!();
    expect(server.liveStreams).toBe(0);
  });

  it('opens one live stream per link: a second use of the same link is refused, even 40 at once', async () => {
    const clock = new ManualClock();
    const tickets = new MediaTickets(clock);
    const server = new MediaServer(tickets, cams, new DbEvidence(t.core.db), new HeldFiles(clock));
    const url = `/media/${tickets.issue('live', 'vms/a', 'duty').ticket}`;
    const answers = await Promise.all(Array.from({ length: 40 }, () => server.serve(url)));
    expect(answers.filter((a) => a.status === 200)).toHaveLength(1);
    const refused = answers.filter((a) => a.status !== 200);
    expect(refused.every((a) => a.status === 403 && String(a.body) === 'this link was already used: ask for a new one\n')).toBe(true);
    expect(server.liveStreams).toBe(1);
    for (const a of answers) a.close?.();
    expect((await server.serve(url)).status).toBe(403); // closed, it is still used
    // A new link opens again; the memory of used links goes with their expiry.
    const again = await server.serve(`/media/${tickets.issue('live', 'vms/a', 'duty').ticket}`);
    expect(again.status).toBe(200);
    again.close!();
    expect(tickets.spentRemembered).toBe(2);
    clock.advance(60_000);
    expect((await server.serve(`/media/${tickets.issue('snapshot', 'vms/a', 'duty').ticket}`)).status).toBe(200);
    tickets.spend({ kind: 'live', id: 'vms/a', user: 'duty', exp: clock.now() + 60_000, jti: 'x' });
    expect(tickets.spentRemembered).toBe(1);
  });

  it('caps the live streams of one user (503 naming the per-user cap) while others still get theirs, and closes a user’s streams', async () => {
    const clock = new ManualClock();
    const tickets = new MediaTickets(clock);
    const server = new MediaServer(tickets, cams, new DbEvidence(t.core.db), new HeldFiles(clock), { maxLive: 10, maxLivePerUser: 3 });
    const open = (user: string) => server.serve(`/media/${tickets.issue('live', 'vms/b', user).ticket}`);
    const opened = cams.liveOpened.length;
    const mine = await Promise.all([1, 2, 3, 4].map(() => open('duty')));
    expect(mine.map((m) => m.status)).toEqual([200, 200, 200, 503]);
    expect(String(mine[3].body)).toBe('too many live pictures open for duty (at most 3 per user): close one\n');
    expect((await open('command')).status).toBe(200);
    expect([server.liveStreamsOf('duty'), server.liveStreamsOf('command'), server.liveStreams]).toEqual([3, 1, 4]);
    // Signing out closes that user's streams, upstreams included, and no one else's.
    expect(server.closeLiveOf('duty')).toBe(3);
    expect(cams.liveOpened.slice(opened, opened + 3).every((u) => u.closed)).toBe(true);
    expect(cams.liveOpened[opened + 3].closed).toBe(false);
    expect([server.liveStreamsOf('duty'), server.liveStreams]).toEqual([0, 1]);
    expect((await open('duty')).status).toBe(200);
    server.closeLiveOf('duty');
    server.closeLiveOf('command');
    expect(server.liveStreams).toBe(0);
  });

  it('shares one upstream fetch among concurrent snapshot requests for a camera, and its result for a moment', async () => {
    const clock = new ManualClock();
    const tickets = new MediaTickets(clock);
    const slow = new SlowCameras();
    let now = 1000;
    const server = new MediaServer(tickets, slow, new DbEvidence(t.core.db), new HeldFiles(clock), { now: () => now });
    const url = `/media/${tickets.issue('snapshot', 'slow/c0', 'duty').ticket}`;
    const pending = Array.from({ length: 300 }, () => server.serve(url));
    await expect.poll(() => slow.fetches.length).toBe(1);
    slow.release();
    const answers = await Promise.all(pending);
    expect(answers.every((a) => a.status === 200 && Buffer.isBuffer(a.body) && a.body.equals(TINY_JPEG))).toBe(true);
    expect(slow.fetches).toEqual(['c0']);
    now += SNAPSHOT_SHARE_MS - 1;
    expect((await server.serve(url)).status).toBe(200); // the shared result
    expect(slow.fetches).toHaveLength(1);
    now += 1;
    const fresh = server.serve(url);
    await expect.poll(() => slow.fetches.length).toBe(2);
    slow.release();
    expect((await fresh).status).toBe(200);
  });

  it('caps the snapshot fetches in flight: beyond, 503 busy with Retry-After', async () => {
    const clock = new ManualClock();
    const tickets = new MediaTickets(clock);
    const slow = new SlowCameras();
    const server = new MediaServer(tickets, slow, new DbEvidence(t.core.db), new HeldFiles(clock), { maxSnapshotFetches: 16 });
    const shot = (i: number) => server.serve(`/media/${tickets.issue('snapshot', `slow/c${i}`, 'duty').ticket}`);
    const held = Array.from({ length: 16 }, (_, i) => shot(i));
    await expect.poll(() => slow.fetches.length).toBe(16);
    expect(server.snapshotFetchesInFlight).toBe(16);
    const busy = await shot(16);
    expect(busy.status).toBe(503);
    expect(busy.headers['Retry-After']).toBe('1');
    expect(String(busy.body)).toContain('busy');
    expect(slow.fetches).toHaveLength(16);
    slow.release();
    expect((await Promise.all(held)).every((a) => a.status === 200)).toBe(true);
    expect(server.snapshotFetchesInFlight).toBe(0);
    const later = shot(17);
    await expect.poll(() => slow.fetches.length).toBe(17);
    slow.release();
    expect((await later).status).toBe(200);
  });

  it('ends a live stream that sends no multipart boundary within a part’s cap, through the browser host too', async () => {
    const slow = new SlowCameras();
    // vms/a's live picture, for this test, is that of a source that never sends a boundary.
    cams.media = (id) => (id === 'vms/a' ? slow.media('slow/c1') : MemoryCameras.prototype.media.call(cams, id));
    try {
      const l = await link({ kind: 'live', cameraId: 'vms/a' });
      const res = await new Promise<IncomingMessage>((resolve, reject) => get(`http://127.0.0.1:${host.port}${l.url}`, resolve).on('error', reject));
      expect(res.statusCode).toBe(200);
      let received = 0;
      res.on('data', (d: Buffer) => (received += d.length));
      const ended = await new Promise<string>((resolve) => {
        res.once('end', () => resolve('end'));
        res.once('error', () => resolve('error'));
        res.once('close', () => resolve('close'));
      });
      expect(['end', 'error', 'close']).toContain(ended);
      expect(received).toBeLessThan(9 * 2 ** 20);
      await expect.poll(() => slow.liveUpstreams[0].closed).toBe(true);
      await expect.poll(() => videoCore(t.core).media.liveStreams).toBe(0);
    } finally {
      cams.media = MemoryCameras.prototype.media;
    }
  });

  it('as a web Response (the Electron shell): a cancelled body closes the upstream', async () => {
    const l = await link({ kind: 'live', cameraId: 'vms/a' });
    const opened = cams.liveOpened.length;
    const res = toWebResponse(await serveMedia(t.core, l.url));
    expect(res.status).toBe(200);
    const reader = res.body!.getReader();
    const chunk = await reader.read();
    expect(Buffer.from(chunk.value!).toString('latin1')).toContain('--frame');
    await reader.cancel();
    await expect.poll(() => cams.liveOpened[opened].closed).toBe(true);
    await expect.poll(() => videoCore(t.core).media.liveStreams).toBe(0);
    const snap = toWebResponse(await serveMedia(t.core, (await link({ kind: 'snapshot', cameraId: 'vms/a' })).url));
    expect(Buffer.from(await snap.arrayBuffer()).equals(TINY_JPEG)).toBe(true);
  });

  it('holds generated files for their ticket’s life, at most the cap', () => {
    const clock = new ManualClock();
    const held = new HeldFiles(clock, 3);
    const ids = [1, 2, 3, 4].map((n) => held.hold({ contentType: 'text/csv', filename: `${n}.csv`, data: Buffer.from(String(n)) }));
    expect(held.size).toBe(3);
    expect(held.get(ids[0])).toBeUndefined();
    expect(held.get(ids[3])?.filename).toBe('4.csv');
    clock.advance(5 * 60_000);
    expect(held.get(ids[3])).toBeUndefined();
  });
});
