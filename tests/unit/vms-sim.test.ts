// The VMS simulator, started as a real process as the console starts it: its ready lines, the VMS API checked
// against the console's own schemas, the cursor, pictures and live streams, and the faults it scripts.
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import {
  MJPEG_BOUNDARY, vmsCameraListSchema, vmsEventPageSchema, vmsEventSchema, vmsStatusListSchema, type VmsCamera, type VmsEvent, type VmsStatusList,
} from '../../src/main/core/video/vms-api.ts';
import { geodesicInverse } from '../../src/main/core/geo/local-frame.ts';
import { siteSchema } from '../../src/shared/site.ts';
import { buildLayout } from '../../src/sim/vms/layout.ts';
import { EventLog, randomPlate } from '../../src/sim/vms/events.ts';
import { CameraHealth, startDemoFaults } from '../../src/sim/vms/faults.ts';
import { JpegSplitter } from '../../src/sim/vms/live.ts';
import { JpegEncoder } from '../../src/sim/vms/jpeg-encoder.ts';
import { hueMatrix } from '../../src/sim/vms/backdrops.ts';
import { seededRandom } from '../../src/sim/drone-detection/scenario.ts';
import { sampleSiteJson } from '../fixtures/sites.ts';
import { collectMjpeg, startVmsSimProcess, type VmsSimProcess } from '../fixtures/vms-sim.ts';

let sim: VmsSimProcess;
let big: VmsSimProcess;
let cameras: VmsCamera[];

beforeAll(async () => {
  // The 5,000-camera one runs as a user would start it by hand: without a key, so it prints its own.
  [sim, big] = await Promise.all([
    startVmsSimProcess(['--port', '0', '--seed', '4242']),
    startVmsSimProcess(['--port', '0', '--seed', '99', '--cameras', '5000'], { apiKey: null }),
  ]);
  const list = await sim.getJson('/api/cameras');
  cameras = vmsCameraListSchema.parse(list.json).cameras;
}, 60_000);

afterAll(async () => {
  await Promise.all([sim?.stop(), big?.stop()]);
});

const status = async (s: VmsSimProcess = sim) => vmsStatusListSchema.parse((await s.getJson('/api/cameras/status')).json);
const online = (st: VmsStatusList, id: string) => st.cameras.find((c) => c.id === id)!.online;
const seqOf = (e: VmsEvent) => Number(e.id.split('-').at(-1));
/** Width and height from a baseline JPEG's SOF0 segment. */
const jpegSize = (jpeg: Buffer) => {
  const sof = jpeg.indexOf(Buffer.from([0xff, 0xc0]));
  return sof < 0 ? undefined : { width: jpeg.readUInt16BE(sof + 7), height: jpeg.readUInt16BE(sof + 5) };
};

describe('VMS simulator process', () => {
  it('prints its ready lines: the VMS URL, the line the console waits for, and its key only when it made one', () => {
    expect(sim.lines).toContain(`SKYFENCE_SIM_VMS ${sim.url}`);
    expect(sim.lines).toContain(`SIM_URL ${sim.url}`);
    expect(sim.url).toMatch(/^http:\/\/127\.0\.0\.1:\d+$/);
    expect(sim.lines.some((l) => l.startsWith('API_KEY'))).toBe(false);
    expect(big.lines.find((l) => l.startsWith('API_KEY '))).toMatch(/^API_KEY [\w-]{16,}$/);
  });

  it('requires the API key on every request, and answers unknown paths with JSON 404', async () => {
    for (const path of ['/api/cameras', '/api/cameras/status', '/api/events', '/sim/state']) {
      expect((await sim.get(path, {})).status).toBe(401);
      expect((await sim.get(path, { 'X-Api-Key': `${sim.apiKey}x` })).status).toBe(401);
    }
    expect((await big.get('/api/cameras', { 'X-Api-Key': sim.apiKey })).status).toBe(401);
    const missing = await sim.get('/api/nothing-here');
    expect(missing.status).toBe(404);
    expect(JSON.parse(missing.body.toString()).error).toMatch(/no such endpoint/);
    expect((await sim.get('/')).type).toMatch(/application\/json/);
  });

  it('lays out 300 cameras by default: unique ids, every kind, one switch of exactly 200 and the others 8–48', async () => {
    expect(cameras).toHaveLength(300);
    expect(new Set(cameras.map((c) => c.id)).size).toBe(300);
    expect(new Set(cameras.map((c) => c.kind))).toEqual(new Set(['fixed', 'ptz', 'checkpoint', 'face']));
    const groups = new Map<string, number>();
    for (const c of cameras) groups.set(c.group!, (groups.get(c.group!) ?? 0) + 1);
    const sizes = [...groups.values()];
    expect(sizes.filter((n) => n === 200)).toHaveLength(1);
    for (const n of sizes.filter((n) => n !== 200)) expect(n).toBeGreaterThanOrEqual(8), expect(n).toBeLessThanOrEqual(48);
    for (const c of cameras) {
      if (c.kind === 'ptz') expect(c.presets.length).toBeGreaterThanOrEqual(4), expect(c.presets.length).toBeLessThanOrEqual(8);
      expect(c.kind === 'checkpoint').toBe(c.checkpoint !== null);
      expect(c.tiltDeg).toBeGreaterThan(0);
      expect(c.mountHeightM).toBeGreaterThanOrEqual(3);
      expect(c.mountHeightM).toBeLessThanOrEqual(30);
    }
    // Every checkpoint of the site has 2–4 lane cameras.
    const site = sampleSiteJson();
    for (const f of site.features.features.filter((f: { properties: { kind: string } }) => f.properties.kind === 'checkpoint')) {
      const lanes = cameras.filter((c) => c.checkpoint === f.id).length;
      expect(lanes).toBeGreaterThanOrEqual(2);
      expect(lanes).toBeLessThanOrEqual(4);
    }
  });

  it('scales to 5,000 cameras, all within 6 km of the aerodrome reference point', async () => {
    const list = vmsCameraListSchema.parse((await big.getJson('/api/cameras')).json).cameras;
    expect(list).toHaveLength(5000);
    expect(new Set(list.map((c) => c.id)).size).toBe(5000);
    const arp = sampleSiteJson().aerodrome.referencePoint as [number, number];
    const farthest = Math.max(...list.map((c) => geodesicInverse(arp, [c.lon, c.lat]).distanceM));
    expect(farthest).toBeLessThan(6000);
    expect((await status(big)).cameras).toHaveLength(5000);
  });

  it('reads a burst of 1,200 events page by page with no gap and no duplicate', async () => {
    const before = (await sim.getJson<{ eventSeq: number }>('/sim/state')).json.eventSeq;
    const burst = await sim.control({ action: 'burst', count: 1200 });
    expect(burst.status).toBe(200);
    const seen: VmsEvent[] = [];
    let after = String(before);
    for (let pages = 0; pages < 10; pages++) {
      const page = vmsEventPageSchema.parse((await sim.getJson(`/api/events?after=${after}&limit=500`)).json);
      expect(page.events.length).toBeLessThanOrEqual(500);
      seen.push(...page.events);
      after = page.next;
      if (!page.more) break;
    }
    expect(seen.length).toBeGreaterThanOrEqual(1200);
    expect(new Set(seen.map((e) => e.id)).size).toBe(seen.length);
    seen.forEach((e, i) => expect(seqOf(e)).toBe(before + 1 + i));
    // Default page 200; an empty cursor reads from the oldest held; a bad limit or cursor is refused.
    expect(vmsEventPageSchema.parse((await sim.getJson('/api/events')).json).events).toHaveLength(200);
    expect((await sim.get('/api/events?limit=501')).status).toBe(400);
    expect((await sim.get('/api/events?after=abc')).status).toBe(400);
    // A cursor from a previous run (beyond the newest) reads from the oldest again.
    const stale = vmsEventPageSchema.parse((await sim.getJson('/api/events?after=99999999&limit=1')).json);
    expect(seqOf(stale.events[0])).toBe(1);
  });

  it('takes scripted plate reads and analytic events, and serves each event snapshot as the same JPEG', async () => {
    const checkpointCam = cameras.find((c) => c.kind === 'checkpoint')!;
    const read = await sim.control({ action: 'plate', camera: checkpointCam.id, plate: '渝A12345', direction: 'out', lane: 2 });
    expect(read.status).toBe(200);
    const plate = vmsEventSchema.parse(read.json.event);
    expect(plate.plate).toEqual({ text: '渝A12345', direction: 'out', lane: 2 });
    const notCheckpoint = await sim.control({ action: 'plate', camera: cameras[0].id, plate: '渝A12345' });
    expect(notCheckpoint.status).toBe(400);
    expect(notCheckpoint.json.error).toMatch(/^camera: .* not a checkpoint camera/);

    const first = await sim.get(`/api/events/${plate.id}/snapshot.jpg`);
    expect(first.status).toBe(200);
    expect(first.type).toBe('image/jpeg');
    expect(first.body.subarray(0, 2)).toEqual(Buffer.from([0xff, 0xd8]));
    expect((await sim.get(`/api/events/${plate.id}/snapshot.jpg`)).body.equals(first.body)).toBe(true);

    const motion = vmsEventSchema.parse((await sim.control({ action: 'event', camera: cameras[0].id, type: 'motion' })).json.event);
    expect(motion.hasSnapshot).toBe(false);
    expect((await sim.get(`/api/events/${motion.id}/snapshot.jpg`)).status).toBe(404);
    const watch = vmsEventSchema.parse((await sim.control({ action: 'event', camera: cameras[0].id, type: 'face-watchlist', label: '在逃人员 #0001' })).json.event);
    expect(watch.label).toBe('在逃人员 #0001');
    expect((await sim.get('/api/events/nope-1/snapshot.jpg')).status).toBe(404);
  });

  it('renders snapshots without an ffmpeg per picture: 20 cameras at once start at most a couple of processes', async () => {
    expect((await sim.get(`/api/cameras/${cameras[0].id}/snapshot.jpg`)).status).toBe(200);
    const before = (await sim.getJson<{ ffmpegStarted: number }>('/sim/state')).json.ffmpegStarted;
    const shots = await Promise.all(cameras.slice(30, 50).map((c) => sim.get(`/api/cameras/${c.id}/snapshot.jpg`)));
    for (const shot of shots) {
      expect(shot.status).toBe(200);
      expect(shot.type).toBe('image/jpeg');
      expect(jpegSize(shot.body)).toEqual({ width: 480, height: 270 });
    }
    expect(new Set(shots.map((s) => s.body.toString('base64'))).size).toBe(20);
    const state = (await sim.getJson<{ ffmpegStarted: number; ffmpeg: number; liveStreams: number }>('/sim/state')).json;
    expect(state.ffmpegStarted - before).toBeLessThanOrEqual(2);
    expect(state.ffmpeg).toBeLessThanOrEqual(1 + state.liveStreams); // the encoder, and one per live stream
  });

  it('takes a camera offline (status, snapshot 503) and back', async () => {
    const id = cameras[5].id;
    expect((await sim.get(`/api/cameras/${id}/snapshot.jpg`)).status).toBe(200);
    expect((await sim.control({ action: 'camera', id, state: 'offline' })).status).toBe(200);
    const st = await status();
    expect(online(st, id)).toBe(false);
    expect(Date.parse(st.cameras.find((c) => c.id === id)!.lastFrameAt!)).toBeLessThanOrEqual(Date.parse(st.serverTime));
    const shot = await sim.get(`/api/cameras/${id}/snapshot.jpg`);
    expect(shot.status).toBe(503);
    expect(JSON.parse(shot.body.toString()).error).toMatch(/offline/);
    expect((await sim.getJson<{ cameras: unknown[] }>('/sim/state')).json.cameras).toContainEqual({ id, state: 'offline' });
    expect((await sim.get(`/api/cameras/${id}/live.mjpeg`)).status).toBe(503);
    await sim.control({ action: 'camera', id, state: 'online' });
    expect(online(await status(), id)).toBe(true);
  });

  it('a frozen camera gives the same snapshot bytes a second apart, while an online camera\'s differ', async () => {
    const [frozen, live] = [cameras[10].id, cameras[11].id];
    await sim.control({ action: 'camera', id: frozen, state: 'frozen' });
    const [f1, l1] = await Promise.all([sim.get(`/api/cameras/${frozen}/snapshot.jpg`), sim.get(`/api/cameras/${live}/snapshot.jpg`)]);
    await new Promise((r) => setTimeout(r, 1100));
    const [f2, l2] = await Promise.all([sim.get(`/api/cameras/${frozen}/snapshot.jpg`), sim.get(`/api/cameras/${live}/snapshot.jpg`)]);
    for (const r of [f1, l1, f2, l2]) expect(r.status).toBe(200);
    expect(f2.body.equals(f1.body)).toBe(true);
    expect(l2.body.equals(l1.body)).toBe(false);
    expect(online(await status(), frozen)).toBe(true); // a frozen encoder still sends frames
    await sim.control({ action: 'camera', id: frozen, state: 'online' });
  });

  it('a switch dying takes all its cameras offline at once, and its recovery brings them back', async () => {
    const group = cameras.find((c) => c.group && !c.group.includes('AGG'))!.group!;
    const members = cameras.filter((c) => c.group === group).map((c) => c.id);
    const res = await sim.control({ action: 'group', group, state: 'offline' });
    expect(res.json).toMatchObject({ ok: true, cameras: members.length });
    let st = await status();
    for (const id of members) expect(online(st, id)).toBe(false);
    expect(st.cameras.filter((c) => !c.online)).toHaveLength(members.length);
    await sim.control({ action: 'group', group, state: 'online' });
    st = await status();
    expect(st.cameras.every((c) => c.online)).toBe(true);
    expect((await sim.control({ action: 'group', group: 'NO-SUCH', state: 'offline' })).json.error).toMatch(/^group: /);
  });

  it('streams live MJPEG: frames with rising X-Timestamp and new pictures; a frozen camera repeats its frame and time', async () => {
    const id = cameras[20].id;
    const res = await sim.open(`/api/cameras/${id}/live.mjpeg`);
    try {
      expect(res.statusCode).toBe(200);
      expect(res.headers['content-type']).toBe(`multipart/x-mixed-replace; boundary=${MJPEG_BOUNDARY}`);
      const stream = collectMjpeg(res);
      await stream.waitFor(4);
      const first = stream.parts.slice(0, 4);
      for (const p of first) {
        expect(p.headers['content-type']).toBe('image/jpeg');
        expect(p.jpeg.subarray(0, 2)).toEqual(Buffer.from([0xff, 0xd8]));
      }
      const stamps = first.map((p) => Number(p.headers['x-timestamp']));
      for (let i = 1; i < stamps.length; i++) expect(stamps[i]).toBeGreaterThan(stamps[i - 1]);
      for (let i = 1; i < first.length; i++) expect(first[i].jpeg.equals(first[i - 1].jpeg)).toBe(false);

      await sim.control({ action: 'camera', id, state: 'frozen' });
      const from = stream.parts.length;
      await stream.waitFor(from + 4);
      const after = stream.parts.slice(from + 1, from + 4);
      expect(new Set(after.map((p) => p.headers['x-timestamp'])).size).toBe(1);
      expect(after.every((p) => p.jpeg.equals(after[0].jpeg))).toBe(true);

      // Going offline ends the stream.
      await sim.control({ action: 'camera', id, state: 'offline' });
      await new Promise((r) => setTimeout(r, 300));
      expect(stream.ended()).toBe(true);
    } finally {
      res.destroy();
      await sim.control({ action: 'camera', id, state: 'online' });
    }
    // The encoder stops when its last viewer has gone.
    await new Promise((r) => setTimeout(r, 300));
    expect((await sim.getJson<{ liveStreams: number }>('/sim/state')).json.liveStreams).toBe(0);
  });

  it('sends a PTZ camera to a preset, and refuses unknown presets and fixed cameras', async () => {
    const ptz = cameras.find((c) => c.kind === 'ptz')!;
    const post = (path: string) => fetch(`${sim.url}${path}`, { method: 'POST', headers: { 'X-Api-Key': sim.apiKey } });
    const ok = await post(`/api/cameras/${ptz.id}/ptz/presets/${ptz.presets[1].id}`);
    expect(ok.status).toBe(200);
    expect(await ok.json()).toEqual({ ok: true, presetId: ptz.presets[1].id });
    expect((await post(`/api/cameras/${ptz.id}/ptz/presets/NOPE`)).status).toBe(404);
    const fixed = cameras.find((c) => c.kind === 'fixed')!;
    expect((await post(`/api/cameras/${fixed.id}/ptz/presets/P1`)).status).toBe(404);
  });

  it('fails the API on demand: malformed JSON, server errors, slow and silent answers', async () => {
    try {
      await sim.control({ action: 'api', mode: 'malformed' });
      const bad = await sim.get('/api/cameras/status');
      expect(bad.status).toBe(200);
      expect(() => JSON.parse(bad.body.toString())).toThrow();

      await sim.control({ action: 'api', mode: 'error500' });
      expect((await sim.get('/api/events')).status).toBe(500);

      await sim.control({ action: 'api', mode: 'slow', delayMs: 800 });
      const slow = await sim.get('/api/cameras/status');
      expect(slow.status).toBe(200);
      expect(slow.ms).toBeGreaterThanOrEqual(750);

      // Silent: the request hangs until the mode changes, then it is answered.
      await sim.control({ action: 'api', mode: 'silent' });
      let answered = false;
      const held = sim.get('/api/events?limit=1').then((r) => ((answered = true), r));
      await new Promise((r) => setTimeout(r, 500));
      expect(answered).toBe(false);
      await sim.control({ action: 'api', mode: 'none' });
      expect((await held).status).toBe(200);
      // The control endpoint works throughout.
      expect((await sim.getJson<{ api: { mode: string } }>('/sim/state')).json.api.mode).toBe('none');
    } finally {
      await sim.control({ action: 'api', mode: 'none' });
    }
  });

  it('refuses a control body that is too big or wrong, naming the field', async () => {
    const tooBig = await sim.control({ action: 'event', camera: cameras[0].id, type: 'motion', label: 'x'.repeat(5000) });
    expect(tooBig.status).toBe(413);
    expect(tooBig.json.error).toMatch(/at most 4096 bytes/);
    const cases: Array<[unknown, RegExp]> = [
      ['{not json', /not JSON/],
      [{ action: 'explode' }, /^action: must be one of/],
      [{ action: 'camera', id: 'NO-SUCH', state: 'offline' }, /^id: no camera "NO-SUCH"/],
      [{ action: 'camera', id: cameras[0].id, state: 'melted' }, /^state: /],
      [{ action: 'api', mode: 'slow', delayMs: -5 }, /^delayMs: /],
      [{ action: 'burst', count: 5001 }, /^count: /],
      [{ action: 'burst', count: 3, colour: 'red' }, /colour/],
    ];
    for (const [body, message] of cases) {
      const r = await sim.control(body);
      expect(r.status, JSON.stringify(body)).toBe(400);
      expect(r.json.error).toMatch(message);
    }
    // Still running and answering.
    expect((await sim.get('/api/cameras/status')).status).toBe(200);
  });
});

describe('VMS simulator parts', () => {
  const site = siteSchema.parse(sampleSiteJson());

  it('lays out the same cameras for the same seed, and others for another', () => {
    expect(buildLayout(site, { seed: 5, cameras: 300 })).toEqual(buildLayout(site, { seed: 5, cameras: 300 }));
    expect(buildLayout(site, { seed: 6, cameras: 300 })).not.toEqual(buildLayout(site, { seed: 5, cameras: 300 }));
    const small = buildLayout(site, { seed: 5, cameras: 12 });
    expect(small).toHaveLength(12);
    expect(new Set(small.map((c) => c.id)).size).toBe(12);
  });

  it('keeps the newest events when the ring wraps, and reads an old cursor from the oldest held', () => {
    const log = new EventLog(10);
    for (let i = 0; i < 25; i++) log.append({ camera: 'C1', at: new Date(1e12 + i).toISOString(), type: 'motion', hasSnapshot: false });
    const page = log.page('3', 4);
    expect(page.events.map((e) => e.id.split('-')[1])).toEqual(['16', '17', '18', '19']);
    expect(page).toMatchObject({ next: '19', more: true });
    expect(log.page('25', 4)).toEqual({ events: [], next: '25', more: false });
    expect(log.find(page.events[0].id)).toEqual(page.events[0]);
    expect(log.find(page.events[0].id.replace(/-16$/, '-2'))).toBeUndefined(); // no longer held
  });

  it('reads plates the way Chinese plates are written', () => {
    const rnd = seededRandom(3);
    for (let i = 0; i < 500; i++) expect(randomPlate(rnd)).toMatch(/^[渝川贵湘鄂陕云京粤沪浙][A-HJ-NP-Z]([DF]\d{5}|[\dA-HJ-NP-Z]{5})$/);
  });

  it('splits a byte stream of JPEGs into frames wherever the chunks break', () => {
    const frames = [Buffer.from([0xff, 0xd8, 1, 2, 0xff, 0x00, 0xff, 0xd9]), Buffer.from([0xff, 0xd8, 9, 0xff, 0xd9])];
    const all = Buffer.concat(frames);
    for (let cut = 1; cut < all.length; cut++) {
      const splitter = new JpegSplitter();
      const got = [...splitter.push(all.subarray(0, cut)), ...splitter.push(all.subarray(cut))];
      expect(got).toEqual(frames);
    }
  });

  it('the JPEG encoder answers frames in order, and starts again after it dies', async () => {
    const encoder = new JpegEncoder(32, 16);
    try {
      const frames = [0, 90, 200].map((v) => Buffer.alloc(32 * 16 * 3, v));
      const alone: Buffer[] = [];
      for (const f of frames) alone.push(await encoder.encode(f));
      const together = await Promise.all(frames.map((f) => encoder.encode(f)));
      together.forEach((jpeg, i) => expect(jpeg.equals(alone[i])).toBe(true));
      expect(new Set(alone.map((j) => j.toString('base64'))).size).toBe(3);
      expect(jpegSize(alone[0])).toEqual({ width: 32, height: 16 });

      const pid = encoder.pid!;
      process.kill(pid, 'SIGKILL');
      await vi.waitFor(() => expect(encoder.pid).toBeUndefined());
      expect((await encoder.encode(frames[1])).equals(alone[1])).toBe(true);
      expect(encoder.pid).not.toBe(pid);
      await expect(encoder.encode(Buffer.alloc(10))).rejects.toThrow(/32x16 RGB24/);
    } finally {
      encoder.close();
    }
  });

  it('recolours a pattern as ffmpeg\'s hue filter does: no turn at full saturation changes nothing', () => {
    hueMatrix(0, 1).forEach((v, i) => expect(v).toBeCloseTo([1, 0, 0, 0, 1, 0, 0, 0, 1][i], 4));
    // A grey stays grey whatever the turn: only the chroma turns.
    const m = hueMatrix(137, 0.6);
    for (let row = 0; row < 3; row++) expect(m[row * 3] + m[row * 3 + 1] + m[row * 3 + 2]).toBeCloseTo(1, 4);
  });

  it('demo faults take a camera offline for a minute now and then, and bring it back', () => {
    vi.useFakeTimers();
    try {
      const cams = buildLayout(site, { seed: 5, cameras: 300 });
      const health = new CameraHealth(cams);
      const changes: Array<[string, string]> = [];
      health.on('change', (id: string, st: string) => changes.push([id, st]));
      const stop = startDemoFaults(cams, health, 5);
      vi.advanceTimersByTime(30 * 60_000);
      stop();
      const offline = changes.filter(([, st]) => st === 'offline');
      expect(offline.length).toBeGreaterThanOrEqual(4);
      expect(offline.length).toBeLessThanOrEqual(15);
      expect(changes.some(([, st]) => st === 'frozen')).toBe(true);
      // They come back: at the end at most the one offline and the one frozen camera of the moment remain.
      expect(health.faults().cameras.length).toBeLessThanOrEqual(2);
      expect(changes.filter(([, st]) => st === 'online').length).toBeGreaterThanOrEqual(offline.length);
    } finally {
      vi.useRealTimers();
    }
  });
});
