// Live pictures over WebSocket through the real browser host: what a 16-tile wall in a browser relies on
// (HTTP/1.1 would give the whole browser profile 6 connections to the host), refused links refused before the
// upgrade, the upstream closed with the socket, a slow reader losing frames and not the host's memory.
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { PassThrough } from 'node:stream';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import WebSocket from 'ws';
import { dispatch, type Session } from '../../src/main/core/api.ts';
import { videoCore } from '../../src/main/core/video/video-core.ts';
import type { CameraDirectory } from '../../src/main/core/video/video-ports.ts';
import type { MediaStream, VideoSourceMedia } from '../../src/main/core/video/video-source.ts';
import { startBrowserHost, type BrowserHost, type HostLimits } from '../../src/main/host/browser-host.ts';
import { LIVE_FRAME_HEADER_BYTES } from '../../src/main/host/live-media-socket.ts';
import type { MediaLink } from '../../src/shared/contract/video.ts';
import type { Camera, CameraState } from '../../src/shared/video.ts';
import { testCore } from '../fixtures/core.ts';
import { signedIn } from '../fixtures/sessions.ts';
import { camera, DbEvidence, TINY_JPEG } from '../fixtures/video-svc-cameras.ts';

const FIRST_TIMESTAMP = 1_700_000_000_000;
/** Frames of `vms/big`: large and fast enough to outrun a reader that stops reading. */
const BIG_FRAME_BYTES = 200 * 1024;

interface Upstream {
  cameraId: string;
  closed: boolean;
  body: PassThrough;
  /** The most bytes the host has left unread in the upstream. */
  peakUnread: number;
  /** Frames written so far. */
  made: number;
}

/** Cameras whose live streams send MJPEG parts with increasing X-Timestamps until closed. */
class StampedCameras implements CameraDirectory {
  readonly opened: Upstream[] = [];
  private readonly cams: Camera[] = ['vms/a', 'vms/b', 'vms/big', 'vms/junk'].map((id, i) => camera(id, { lon: 104.44 + i / 100, lat: 30.57 }));

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

  private readonly sourceMedia: VideoSourceMedia = {
    snapshot: async () => TINY_JPEG,
    live: async (cameraId): Promise<MediaStream> => {
      const body = new PassThrough();
      const up: Upstream = { cameraId, closed: false, body, peakUnread: 0, made: 0 };
      this.opened.push(up);
      const jpeg = cameraId === 'big' ? Buffer.alloc(BIG_FRAME_BYTES, 0xab) : TINY_JPEG;
      // vms/junk: bytes and no multipart boundary, ever.
      const part = cameraId === 'junk' ? () => body.write(Buffer.alloc(64 * 1024, 0x20)) : () => {
        const head = `--frame\r\nContent-Type: image/jpeg\r\nContent-Length: ${jpeg.length}\r\nX-Timestamp: ${FIRST_TIMESTAMP + up.made++}\r\n\r\n`;
        body.write(Buffer.concat([Buffer.from(head), jpeg, Buffer.from('\r\n')]));
        up.peakUnread = Math.max(up.peakUnread, body.readableLength);
      };
      part();
      const timer = setInterval(part, cameraId === 'big' ? 4 : 20);
      return {
        contentType: 'multipart/x-mixed-replace; boundary=frame',
        body,
        close: () => {
          up.closed = true;
          clearInterval(timer);
          body.end();
        },
      };
    },
  };
}

let t: Awaited<ReturnType<typeof testCore>>;
let cams: StampedCameras;
let rendererDir: string;
let duty: Session;
let command: Session;

beforeAll(async () => {
  t = await testCore();
  cams = new StampedCameras();
  Object.assign(t.core, { cameras: cams, evidence: new DbEvidence(t.core.db) });
  rendererDir = mkdtempSync(join(tmpdir(), 'skyfence-renderer-'));
  writeFileSync(join(rendererDir, 'index.html'), '<!doctype html>');
  duty = await signedIn(t.core, 'duty');
  command = await signedIn(t.core, 'command');
});
afterAll(async () => {
  await t?.dispose();
  rmSync(rendererDir, { recursive: true, force: true });
});

async function host(limits: Partial<HostLimits>, work: (h: BrowserHost, log: string[]) => Promise<void>): Promise<void> {
  const log: string[] = [];
  const h = await startBrowserHost(t.core, { port: 0, rendererDir, log: (l) => log.push(l), limits });
  try {
    await work(h, log);
  } finally {
    await h.close();
  }
}

const link = async (input: object) => ((await dispatch(t.core, duty, 'video.media', input)) as MediaLink).url;
const liveStreams = () => videoCore(t.core).media.liveStreams;

interface Viewer {
  ws: WebSocket;
  frames: Array<{ timestamp: number; jpeg: Buffer }>;
  closed: Promise<{ code: number; reason: string }>;
}

/** Opens a live socket; resolves when it is open, or rejects with the HTTP status and text it was refused with. */
function view(h: BrowserHost, url: string): Promise<Viewer> {
  const ws = new WebSocket(`ws://127.0.0.1:${h.port}${url}`);
  const frames: Viewer['frames'] = [];
  ws.on('message', (data: Buffer, isBinary) => {
    expect(isBinary).toBe(true);
    frames.push({ timestamp: data.readDoubleLE(0), jpeg: data.subarray(LIVE_FRAME_HEADER_BYTES) });
  });
  const closed = new Promise<{ code: number; reason: string }>((r) => ws.once('close', (code, reason) => r({ code, reason: String(reason) })));
  return new Promise((resolve, reject) => {
    ws.once('open', () => resolve({ ws, frames, closed }));
    ws.once('unexpected-response', (_req, res) => {
      let text = '';
      res.on('data', (d: Buffer) => (text += d));
      res.on('end', () => reject(Object.assign(new Error(`HTTP ${res.statusCode}`), { status: res.statusCode, text })));
    });
    ws.once('error', (err) => reject(err));
  });
}

const refusal = (p: Promise<unknown>) => p.then(() => ({ status: 0, text: 'opened' }), (err: { status?: number; text?: string }) => ({ status: err.status, text: err.text }));

describe('live pictures over WebSocket', () => {
  it('carries 16 live pictures at once, each frame its X-Timestamp and the JPEG, timestamps increasing', async () => {
    await host({}, async (h) => {
      const before = cams.opened.length;
      const viewers = await Promise.all(Array.from({ length: 16 }, async (_, i) => view(h, await link({ kind: 'live', cameraId: i % 2 ? 'vms/a' : 'vms/b' }))));
      expect(h.liveSocketStats().open).toBe(16);
      expect(liveStreams()).toBe(16);
      await expect.poll(() => Math.min(...viewers.map((v) => v.frames.length)), { timeout: 10_000 }).toBeGreaterThanOrEqual(5);
      for (const v of viewers) {
        expect(v.frames[0].timestamp).toBe(FIRST_TIMESTAMP);
        for (let i = 1; i < v.frames.length; i++) expect(v.frames[i].timestamp).toBeGreaterThan(v.frames[i - 1].timestamp);
        expect(v.frames.every((f) => f.jpeg.equals(TINY_JPEG))).toBe(true);
      }
      for (const v of viewers) v.ws.close();
      await expect.poll(() => cams.opened.slice(before).every((u) => u.closed)).toBe(true);
      await expect.poll(liveStreams).toBe(0);
      await expect.poll(() => h.liveSocketStats().open).toBe(0);
    });
  });

  it('refuses a forged, expired or non-live link before the upgrade, with the status of the HTTP path, opening nothing', async () => {
    await host({}, async (h, log) => {
      const before = cams.opened.length;
      const url = await link({ kind: 'live', cameraId: 'vms/a' });
      const [payload, sig] = url.slice('/media/'.length).split('.');
      const claims = JSON.parse(Buffer.from(payload, 'base64url').toString());
      const forged = `/media/${Buffer.from(JSON.stringify({ ...claims, id: 'vms/b' })).toString('base64url')}.${sig}`;
      expect(await refusal(view(h, forged))).toEqual({ status: 403, text: 'not a valid media link\n' });
      expect(await refusal(view(h, '/media/nothing'))).toMatchObject({ status: 403 });
      expect(await refusal(view(h, await link({ kind: 'snapshot', cameraId: 'vms/a' })))).toEqual({ status: 403, text: 'not a live picture link\n' });
      t.clock.advance(60_000);
      expect(await refusal(view(h, url))).toEqual({ status: 403, text: 'this link has expired: ask for a new one\n' });
      expect(cams.opened.length).toBe(before);
      expect(liveStreams()).toBe(0);
      expect(log.some((l) => l.includes('refused a live picture socket'))).toBe(true);
      // Another origin's page is refused even with a good link.
      const other = new WebSocket(`ws://127.0.0.1:${h.port}${await link({ kind: 'live', cameraId: 'vms/a' })}`, { origin: 'http://evil.example' });
      other.on('error', () => undefined); // terminate() during the handshake reports one
      const status = await new Promise<number>((r) => other.once('unexpected-response', (_q, res) => r(res.statusCode ?? 0)));
      other.terminate();
      expect(status).toBe(403);
      expect(cams.opened.length).toBe(before);
    });
  });

  it('has its own cap (503 beyond it), apart from the API connections', async () => {
    await host({ maxLiveSockets: 2, maxConnections: 1 }, async (h) => {
      const one = await view(h, await link({ kind: 'live', cameraId: 'vms/a' }));
      const two = await view(h, await link({ kind: 'live', cameraId: 'vms/b' }));
      const before = cams.opened.length;
      const third = await refusal(view(h, await link({ kind: 'live', cameraId: 'vms/a' })));
      expect(third.status).toBe(503);
      expect(third.text).toContain('too many live pictures on this host');
      expect(cams.opened.length).toBe(before);
      // The one API connection allowed still gets in while both live sockets are open.
      const api = new WebSocket(`ws://127.0.0.1:${h.port}/api?token=${h.token}`);
      await new Promise((r) => api.once('open', r));
      const closedEarly = await Promise.race([new Promise((r) => api.once('close', () => r(true))), new Promise((r) => setTimeout(() => r(false), 300))]);
      expect(closedEarly).toBe(false);
      api.close();
      one.ws.close();
      await one.closed;
      await expect.poll(() => h.liveSocketStats().open).toBe(1);
      const again = await view(h, await link({ kind: 'live', cameraId: 'vms/a' }));
      again.ws.close();
      two.ws.close();
      await expect.poll(liveStreams).toBe(0);
    });
  });

  it('opens one socket per link: 40 sockets on one link get one picture, the rest 403', async () => {
    await host({}, async (h) => {
      const before = cams.opened.length;
      const url = await link({ kind: 'live', cameraId: 'vms/a' });
      const tries = await Promise.all(Array.from({ length: 40 }, () => view(h, url).then((v) => v, (err: { status?: number; text?: string }) => err)));
      const opened = tries.filter((v): v is Viewer => 'ws' in v);
      expect(opened).toHaveLength(1);
      expect(tries.filter((v) => !('ws' in v)).every((e) => (e as { status?: number }).status === 403 && (e as { text?: string }).text === 'this link was already used: ask for a new one\n')).toBe(true);
      expect(cams.opened.length - before).toBe(1);
      opened[0].ws.close();
      await expect.poll(liveStreams).toBe(0);
    });
  });

  it('caps one user’s live pictures (503 naming the per-user cap) while another user still gets theirs', async () => {
    await host({}, async (h) => {
      const mine = await Promise.all(Array.from({ length: 20 }, async () => view(h, await link({ kind: 'live', cameraId: 'vms/a' }))));
      const over = await refusal(view(h, await link({ kind: 'live', cameraId: 'vms/a' })));
      expect(over).toEqual({ status: 503, text: 'too many live pictures open for duty (at most 20 per user): close one\n' });
      const theirs = await view(h, ((await dispatch(t.core, command, 'video.media', { kind: 'live', cameraId: 'vms/b' })) as MediaLink).url);
      expect(liveStreams()).toBe(21);
      for (const v of [...mine, theirs]) v.ws.close();
      await expect.poll(liveStreams).toBe(0);
    });
  });

  it('closes a socket whose camera sends no multipart boundary (1011), and its upstream', async () => {
    await host({}, async (h) => {
      const before = cams.opened.length;
      const v = await view(h, await link({ kind: 'live', cameraId: 'vms/junk' }));
      expect((await v.closed).code).toBe(1011);
      expect(v.frames).toHaveLength(0);
      await expect.poll(() => cams.opened[before].closed).toBe(true);
      await expect.poll(liveStreams).toBe(0);
    });
  });

  it('closes the upstream when the viewer closes the socket, or just drops off', async () => {
    await host({}, async (h) => {
      const before = cams.opened.length;
      const polite = await view(h, await link({ kind: 'live', cameraId: 'vms/a' }));
      const rude = await view(h, await link({ kind: 'live', cameraId: 'vms/b' }));
      await expect.poll(() => polite.frames.length + rude.frames.length > 2).toBe(true);
      const [up1, up2] = cams.opened.slice(before);
      expect([up1.closed, up2.closed]).toEqual([false, false]);
      polite.ws.close();
      await expect.poll(() => up1.closed).toBe(true);
      expect(up2.closed).toBe(false);
      rude.ws.terminate();
      await expect.poll(() => up2.closed).toBe(true);
      await expect.poll(liveStreams).toBe(0);
      await expect.poll(() => h.liveSocketStats().open).toBe(0);
    });
  });

  it('drops frames for a reader that stops reading: unsent bytes stay under the cap, the upstream is still drained', async () => {
    const cap = 2 ** 20;
    await host({ maxLiveBufferedBytes: cap }, async (h) => {
      const before = cams.opened.length;
      const v = await view(h, await link({ kind: 'live', cameraId: 'vms/big' }));
      await expect.poll(() => v.frames.length).toBeGreaterThan(0);
      v.ws.pause(); // the reader stops; the kernel buffers fill, then the host's own
      await expect.poll(() => h.liveSocketStats().framesDropped, { timeout: 15_000 }).toBeGreaterThan(20);
      const stats = h.liveSocketStats();
      expect(stats.peakBufferedBytes).toBeLessThanOrEqual(cap + LIVE_FRAME_HEADER_BYTES + BIG_FRAME_BYTES);
      const up = cams.opened[before];
      expect(up.peakUnread).toBeLessThan(4 * (BIG_FRAME_BYTES + 200)); // read as it comes, not left to pile up
      // The reader catches up: past the backlog it gets current frames again, with the dropped ones missing.
      const madeByNow = up.made;
      v.ws.resume();
      await expect.poll(() => v.frames.at(-1)!.timestamp - FIRST_TIMESTAMP, { timeout: 10_000 }).toBeGreaterThan(madeByNow);
      const newest = v.frames.at(-1)!.timestamp - FIRST_TIMESTAMP;
      expect(v.frames.length).toBeLessThan(newest + 1 - 20);
      for (let i = 1; i < v.frames.length; i++) expect(v.frames[i].timestamp).toBeGreaterThan(v.frames[i - 1].timestamp);
      v.ws.close();
      await expect.poll(() => up.closed).toBe(true);
    });
  });

  it('closes the socket when the camera stream ends, so that the player reconnects', async () => {
    await host({}, async (h) => {
      const before = cams.opened.length;
      const v = await view(h, await link({ kind: 'live', cameraId: 'vms/a' }));
      await expect.poll(() => v.frames.length).toBeGreaterThan(0);
      cams.opened[before].body.end(); // the source hangs up
      expect((await v.closed).code).toBe(1011);
      await expect.poll(liveStreams).toBe(0);
      await expect.poll(() => h.liveSocketStats().open).toBe(0);
    });
  });

  it('closes a socket whose viewer sends anything (1003), and its upstream', async () => {
    await host({}, async (h) => {
      const before = cams.opened.length;
      const v = await view(h, await link({ kind: 'live', cameraId: 'vms/a' }));
      v.ws.send('hello');
      expect((await v.closed).code).toBe(1003);
      await expect.poll(() => cams.opened[before].closed).toBe(true);
      await expect.poll(liveStreams).toBe(0);
    });
  });

  it('cuts off a viewer that answers no pings, and closes its upstream', async () => {
    await host({ pingIntervalMs: 100 }, async (h) => {
      const before = cams.opened.length;
      const v = await view(h, await link({ kind: 'live', cameraId: 'vms/a' }));
      await expect.poll(() => v.frames.length).toBeGreaterThan(0);
      v.ws.pause(); // reads nothing, so answers no pings
      await expect.poll(() => cams.opened[before].closed, { timeout: 5000 }).toBe(true);
      expect(h.liveSocketStats().open).toBe(0);
      v.ws.terminate();
    });
  });
});
