// ONVIF: the simulator's cameras spoken to through the `onvif` npm client (as a real console would), and the
// console's `onvif` source adapter against them, on loopback HTTP with real sockets.
import { createHash, randomBytes } from 'node:crypto';
import { EventEmitter } from 'node:events';
import { createServer, request, type IncomingHttpHeaders } from 'node:http';
import type { AddressInfo } from 'node:net';
import { parse as parseUrl } from 'node:url';
import onvif from 'onvif';
import type { Cam as CamType } from 'onvif';
import { afterAll, afterEach, beforeAll, describe, expect, it, vi } from 'vitest';
import { startOnvifServer, type OnvifServer } from '../../src/sim/vms/onvif/onvif-server.ts';
import { CREATED_WINDOW_MS, UsernameTokenChecker } from '../../src/sim/vms/onvif/wsse.ts';
import { child, parseXml } from '../../src/sim/vms/onvif/xml.ts';
import { systemClock } from '../../src/main/core/clock.ts';
import type { AlarmService } from '../../src/main/core/alarms/alarm-service.ts';
import { SourceRegistry } from '../../src/main/core/sources/source-registry.ts';
import type { SourceDeps } from '../../src/main/core/sources/adapter-kind.ts';
import { credentialsFromEnv, onvifKind, OnvifSource } from '../../src/main/core/video/onvif-source.ts';
import { fetchSnapshot, openMjpeg } from '../../src/main/core/video/onvif-media.ts';
import type { VideoEventInput, VideoIntake } from '../../src/main/core/video/video-intake.ts';
import type { VideoSourceMedia } from '../../src/main/core/video/video-source.ts';
import type { Camera } from '../../src/shared/video.ts';
import { mjpegWriter, TINY_JPEG } from '../fixtures/onvif-camera.ts';

const { Cam } = onvif;
const USER = 'operator';
const PASSWORD = 'S3cret-pass';

let server: OnvifServer;
const online = new Map<string, boolean>([['cam-1', true], ['cam-2', true]]);
const presetCalls: Array<[string, string]> = [];
const events = new EventEmitter();

/** A Cam method as a promise. */
function p<T = any>(start: (cb: (err: Error | null, data?: T) => void) => void): Promise<T> {
  return new Promise((resolve, reject) => start((err, data) => (err ? reject(err) : resolve(data as T))));
}

function camFor(id: string, password = PASSWORD): CamType {
  const u = new URL(server.deviceUrls.get(id)!);
  return new Cam({ hostname: u.hostname, port: Number(u.port), path: u.pathname, username: USER, password, autoconnect: false, timeout: 5_000 });
}

async function connected(id: string): Promise<CamType> {
  const cam = camFor(id);
  await p((cb) => cam.connect(cb));
  return cam;
}

/** POSTs a raw SOAP body to a service path; the status and the answer. */
function post(url: string, body: string): Promise<{ status: number; text: string }> {
  return new Promise((resolve, reject) => {
    const req = request(url, { method: 'POST', headers: { 'Content-Type': 'application/soap+xml; charset=utf-8' } }, (res) => {
      const chunks: Buffer[] = [];
      res.on('data', (c: Buffer) => chunks.push(c));
      res.on('end', () => resolve({ status: res.statusCode ?? 0, text: Buffer.concat(chunks).toString('utf8') }));
    });
    req.on('error', reject);
    req.end(body);
  });
}

/** A UsernameToken header made by hand (for a Created the client would never send). `nonceText` spells the
 *  nonce in the envelope (canonical base64 unless given); the digest is over `nonce` itself. */
function tokenEnvelope(created: string, action: string, nonce = randomBytes(16), nonceText = nonce.toString('base64')): string {
  const digest = createHash('sha1').update(Buffer.concat([nonce, Buffer.from(created), Buffer.from(PASSWORD)])).digest('base64');
  return '<s:Envelope xmlns:s="http://www.w3.org/2003/05/soap-envelope"><s:Header><Security xmlns="http://docs.oasis-open.org/wss/2004/01/oasis-200401-wss-wssecurity-secext-1.0.xsd">' +
    `<UsernameToken><Username>${USER}</Username><Password Type="http://docs.oasis-open.org/wss/2004/01/oasis-200401-wss-username-token-profile-1.0#PasswordDigest">${digest}</Password>` +
    `<Nonce>${nonceText}</Nonce><Created>${created}</Created></UsernameToken></Security></s:Header><s:Body>${action}</s:Body></s:Envelope>`;
}

beforeAll(async () => {
  server = await startOnvifServer({
    user: USER, password: PASSWORD,
    cameras: [
      { id: 'cam-1', name: 'T2 Gate', ptz: true, presets: [{ id: 'p1', name: 'Gate', headingDeg: 270, tiltDeg: 9 }, { id: 'p2', name: 'Apron', headingDeg: 45, tiltDeg: 0 }] },
      { id: 'cam-2', name: 'Fence', ptz: false, presets: [] },
    ],
    snapshot: async (id) => (online.get(id) ? TINY_JPEG : null),
    pipeLive: mjpegWriter(TINY_JPEG, 50),
    isOnline: (id) => online.get(id) === true,
    events,
    gotoPreset: (id, presetId) => {
      presetCalls.push([id, presetId]);
      return true;
    },
  });
});
afterAll(() => server.close());
afterEach(() => {
  online.set('cam-1', true);
  online.set('cam-2', true);
});

describe('the ONVIF simulator, through the onvif client', () => {
  it('connects (services, profiles, video sources) and gives device information', async () => {
    const cam = await connected('cam-1');
    expect(Object.keys(cam.uri ?? {}).sort()).toEqual(['device', 'events', 'media', 'ptz']);
    expect(cam.activeSource).toMatchObject({ profileToken: 'profile_1', sourceToken: 'vs_1', encoding: 'JPEG', ptz: { token: 'ptz_cfg_1' } });
    expect(await p((cb) => cam.getDeviceInformation(cb))).toMatchObject({ manufacturer: 'Skyfence', model: 'SIM-PTZ', serialNumber: 'SIM-cam-1' });
    const fixed = await connected('cam-2');
    expect(fixed.uri?.ptz).toBeUndefined(); // a fixed camera offers no PTZ service
  });

  it('hands out a snapshot URI that gives the JPEG with Digest or Basic auth, and refuses without', async () => {
    const cam = await connected('cam-1');
    const profiles = await p<any[]>((cb) => cam.getProfiles(cb));
    expect(profiles.map((x) => x.$.token)).toEqual(['profile_1']);
    const { uri } = await p<{ uri: string }>((cb) => cam.getSnapshotUri(cb));
    expect(uri).toBe(server.deviceUrls.get('cam-1')!.replace('device_service', 'snapshot.jpg'));
    expect((await fetch(uri)).status).toBe(401);
    expect((await fetch(uri, { headers: { Authorization: `Basic ${Buffer.from(`${USER}:${PASSWORD}`).toString('base64')}` } })).status).toBe(200);
    expect(await fetchSnapshot(uri, { username: USER, password: PASSWORD }, 2_000)).toEqual(TINY_JPEG); // Digest
    await expect(fetchSnapshot(uri, { username: USER, password: 'wrong' }, 2_000)).rejects.toThrow(/refused the camera credentials/);
  });

  it('hands out a stream URI serving MJPEG', async () => {
    const cam = await connected('cam-1');
    const stream = await p<{ uri: string }>((cb) => cam.getStreamUri({ protocol: 'HTTP' }, cb));
    expect(stream.uri).toMatch(/^http:\/\/127\.0\.0\.1:\d+\/onvif\/cam-1\/live\.mjpg$/);
    const live = await openMjpeg(stream.uri, { username: USER, password: PASSWORD }, 2_000);
    expect(live.contentType).toMatch(/^multipart\/x-mixed-replace; boundary=frame/);
    const first: Buffer = await new Promise((resolve) => live.body.once('data', resolve));
    expect(first.toString('latin1')).toMatch(/^--frame\r\nContent-Type: image\/jpeg/);
    live.close();
  });

  it('lists the presets with their direction and sends the camera to one', async () => {
    const cam = await connected('cam-1');
    const presets = await p<Record<string, any>>((cb) => cam.getPresets(cb));
    expect(Object.keys(presets)).toEqual(['Gate', 'Apron']);
    expect(presets.Gate).toMatchObject({ $: { token: 'p1' }, PTZPosition: { panTilt: { $: { x: -0.5, y: -0.1 } } } });
    presetCalls.length = 0;
    await p((cb) => cam.gotoPreset({ preset: 'p2' }, cb));
    expect(presetCalls).toEqual([['cam-1', 'p2']]);
    await expect(p((cb) => cam.gotoPreset({ preset: 'nope' }, cb))).rejects.toThrow(/no preset "nope"/);
  });

  it('delivers events through a PullPoint subscription; Renew extends it, Unsubscribe ends it', async () => {
    const cam = await connected('cam-1');
    const created = await p<any>((cb) => cam.createPullPointSubscription(cb));
    expect(created.terminationTime.getTime() - created.currentTime.getTime()).toBe(120_000); // the client asks PT2M
    const initial = await p<any>((cb) => cam.pullMessages({}, cb));
    expect(initial.notificationMessage.map((m: any) => m.message.message.$.PropertyOperation)).toEqual(['Initialized', 'Initialized']);

    const at = new Date();
    setTimeout(() => events.emit('event', { cameraId: 'cam-1', type: 'motion', at }), 150);
    const t0 = Date.now();
    const pulled = await p<any>((cb) => cam.pullMessages({}, cb)); // long poll: answered when the event comes
    expect(Date.now() - t0).toBeGreaterThanOrEqual(100);
    expect(pulled.notificationMessage.topic._).toBe('tns1:RuleEngine/CellMotionDetector/Motion');
    expect(pulled.notificationMessage.message.message.data.simpleItem.$).toEqual({ Name: 'IsMotion', Value: true });
    expect(new Date(pulled.notificationMessage.message.message.$.UtcTime).getTime()).toBe(at.getTime());

    await new Promise((r) => setTimeout(r, 20));
    const renewed = await p<any>((cb) => cam.renew({}, cb));
    expect(renewed.terminationTime.getTime()).toBeGreaterThan(created.terminationTime.getTime());

    const subscription = cam.events.subscription;
    await p((cb) => cam.unsubscribe(cb));
    cam.events.subscription = subscription; // pull on the ended subscription anyway
    await expect(p((cb) => cam.pullMessages({}, cb))).rejects.toThrow(/unknown or expired subscription/);
  });

  it('ends a subscription that is not renewed in time', async () => {
    const cam = await connected('cam-2');
    // The client always asks PT2M; a shorter one goes through its own request plumbing.
    const body = (cam as any)._envelopeHeader() +
      '<CreatePullPointSubscription xmlns="http://www.onvif.org/ver10/events/wsdl"><InitialTerminationTime>PT0.5S</InitialTerminationTime></CreatePullPointSubscription>' +
      (cam as any)._envelopeFooter();
    const res = await p<any>((cb) => (cam as any)._request({ service: 'events', body }, cb));
    const address = res[0].createPullPointSubscriptionResponse[0].subscriptionReference[0].address[0];
    cam.events.subscription = { subscriptionReference: { address: parseUrl(address) } };
    await p((cb) => cam.pullMessages({}, cb)); // alive: the Initialized messages
    await new Promise((r) => setTimeout(r, 700));
    await expect(p((cb) => cam.pullMessages({}, cb))).rejects.toThrow(/unknown or expired subscription/);
  });

  it('refuses a wrong password, a replayed request and a stale Created', async () => {
    await expect(p((cb) => camFor('cam-1', 'wrong-password').connect(cb))).rejects.toThrow(/Sender not Authorized/);

    const cam = await connected('cam-1');
    let sent = '';
    cam.on('rawRequest', (body: string) => (sent = body));
    await p((cb) => cam.getDeviceInformation(cb));
    const replay = await post(server.deviceUrls.get('cam-1')!, sent);
    expect(replay.status).toBe(400);
    expect(replay.text).toMatch(/ter:NotAuthorized.*nonce already used/s);

    const stale = await post(server.deviceUrls.get('cam-1')!, tokenEnvelope(new Date(Date.now() - 10 * 60_000).toISOString(), '<GetDeviceInformation xmlns="http://www.onvif.org/ver10/device/wsdl"/>'));
    expect(stale.text).toMatch(/Created is too far/);
    const fresh = await post(server.deviceUrls.get('cam-1')!, tokenEnvelope(new Date().toISOString(), '<GetDeviceInformation xmlns="http://www.onvif.org/ver10/device/wsdl"/>'));
    expect(fresh.status).toBe(200);
  });

  it('refuses a replayed token whose nonce is spelled another way (lenient base64 decodes it to the same bytes)', async () => {
    const url = server.deviceUrls.get('cam-1')!;
    const action = '<GetDeviceInformation xmlns="http://www.onvif.org/ver10/device/wsdl"/>';
    const created = new Date().toISOString();
    // Starts with 0xfb 0xff ('+/' in base64, '-_' in base64url); 16 bytes end in '==' padding.
    const nonce = Buffer.concat([Buffer.from([0xfb, 0xff]), randomBytes(14)]);
    const canonical = nonce.toString('base64');
    expect((await post(url, tokenEnvelope(created, action, nonce))).status).toBe(200);
    const respelled = [
      canonical.replace(/=+$/, ''),
      nonce.toString('base64url'),
      `${canonical.slice(0, 8)} ${canonical.slice(8)}`,
      `${canonical}!`,
    ];
    for (const text of respelled) {
      expect(Buffer.from(text, 'base64').equals(nonce)).toBe(true); // what made the replay pass
      const replay = await post(url, tokenEnvelope(created, action, nonce, text));
      expect(replay.status, text).toBe(400);
      expect(replay.text).toMatch(/ter:NotAuthorized.*Nonce is not canonical base64/s);
    }
    expect((await post(url, tokenEnvelope(created, action, nonce))).text).toMatch(/nonce already used/);
  });

  it('refuses new tokens while its nonce memory is full of nonces still inside the window, and takes them again after', () => {
    let now = Date.parse('2025-06-01T08:00:00Z');
    const checker = new UsernameTokenChecker(USER, PASSWORD, () => now, 2);
    const header = (nonce = randomBytes(16)) => child(parseXml(tokenEnvelope(new Date(now).toISOString(), '<x/>', nonce)), 'Header');
    const first = randomBytes(16);
    checker.check(header(first));
    checker.check(header());
    expect(() => checker.check(header())).toThrow(/too many recent requests/);
    // The first nonce was not forgotten to make room: its replay is still refused.
    now += 60_000;
    expect(() => checker.check(child(parseXml(tokenEnvelope(new Date(now - 60_000).toISOString(), '<x/>', first)), 'Header'))).toThrow(/nonce already used/);
    now += 2 * CREATED_WINDOW_MS;
    expect(() => checker.check(header())).not.toThrow();
  });

  it('answers malformed or oversized requests with a SOAP fault, and keeps serving', async () => {
    const url = server.deviceUrls.get('cam-1')!;
    const bad = await post(url, '<s:Envelope xmlns:s="http://www.w3.org/2003/05/soap-envelope"><s:Body><Get></s:Body>');
    expect(bad.status).toBe(400);
    expect(bad.text).toMatch(/<env:Fault>.*malformed XML/s);
    const entity = await post(url, '<!DOCTYPE x [<!ENTITY a "b">]><x/>');
    expect(entity.text).toMatch(/DTDs .* not accepted/);
    const big = await post(url, `<x>${'a'.repeat(70 * 1024)}</x>`).catch((err: Error) => ({ status: -1, text: err.message }));
    expect([413, -1]).toContain(big.status); // refused: an answer, or the connection closed mid-body
    await connected('cam-1');
  });

  it('does not answer for an offline camera', async () => {
    online.set('cam-2', false);
    await expect(p((cb) => camFor('cam-2').connect(cb))).rejects.toThrow(/socket hang up|ECONNRESET/);
  });
});

describe('the onvif source adapter', () => {
  interface Intake extends VideoIntake {
    cameras: Camera[][];
    media: VideoSourceMedia | null;
    health: boolean[];
    events: VideoEventInput[];
  }
  function fakeIntake(): Intake {
    const intake: Intake = {
      cameras: [], media: null, health: [], events: [],
      setCameras(sourceId, cameras, media) {
        expect(sourceId).toBe('gate');
        intake.cameras.push(cameras);
        intake.media = media;
      },
      async reportHealth(_sourceId, states) {
        intake.health.push(...states.map((s) => s.online));
      },
      async reportEvents(_sourceId, evs) {
        intake.events.push(...evs);
      },
      counts: () => ({ cameras: intake.cameras.at(-1)?.length ?? 0, offline: intake.health.at(-1) === false ? 1 : 0, frozen: 0 }),
    };
    return intake;
  }

  const entry = (overrides: object = {}) => onvifKind.configSchema.parse({
    id: 'gate', kind: 'onvif', url: server.deviceUrls.get('cam-1'), usernameEnv: 'GATE_CAM_USER', passwordEnv: 'GATE_CAM_PASSWORD',
    camera: { id: 'c1', name: { zh: 'T2 闸口', en: 'T2 gate' }, lat: 29.72, lon: 106.64, groundAltM: 400, mountHeightM: 12, headingDeg: 90, tiltDeg: 10, fovDeg: 60, rangeM: 300, group: 'sw-07' },
    intervalMs: 200, timeoutMs: 1_000, backoffMaxMs: 800, silentAfterMs: 1_000, ...overrides,
  });

  function start(intake: Intake, alarms: unknown[], overrides: object = {}) {
    const alarmService = { raise: async (a: unknown) => void alarms.push(a) } as unknown as AlarmService;
    const sources = new SourceRegistry(systemClock, alarmService, { changed: () => undefined });
    sources.register({ id: 'gate', kind: 'onvif', name: { zh: '闸口', en: 'Gate' }, silentAfterMs: 1_000 });
    const config = entry(overrides);
    const logs: string[] = [];
    const deps: SourceDeps = { clock: systemClock, tracks: undefined as never, sources, http: undefined as never, log: (l) => logs.push(l), random: () => 0.5, video: intake, cursors: undefined as never, drones: undefined as never, runways: undefined as never, units: undefined as never };
    const creds = credentialsFromEnv(config, { GATE_CAM_USER: USER, GATE_CAM_PASSWORD: PASSWORD });
    return { source: new OnvifSource({ ...config }, deps, creds), sources, logs };
  }

  it('checks its entry strictly and names what is wrong', () => {
    const bad = onvifKind.configSchema.safeParse({ ...entry(), url: 'http://admin:pw@10.0.0.5/onvif/device_service', camera: { ...entry().camera, lat: 123 }, colour: 'red' });
    expect(bad.success).toBe(false);
    const issues = bad.error!.issues.map((i) => `${i.path.join('.')}: ${i.message}`).join('\n');
    expect(issues).toMatch(/^url: must be the http\(s\) URL of the device service without credentials/m);
    expect(issues).toMatch(/^camera\.lat: /m);
    expect(issues).toMatch(/colour/);
    expect(() => credentialsFromEnv(entry(), { GATE_CAM_USER: USER })).toThrow('source gate: passwordEnv: the environment variable GATE_CAM_PASSWORD is not set');
  });

  it('registers the camera, raises motion, follows the camera offline and back, and unsubscribes on stop', async () => {
    const intake = fakeIntake();
    const alarms: unknown[] = [];
    // The camera's answer to the adapter's Unsubscribe, seen through the client.
    const original = Cam.prototype.unsubscribe;
    const unsubscribed: Array<Error | null> = [];
    const unsubscribe = vi.spyOn(Cam.prototype, 'unsubscribe').mockImplementation(function (this: CamType, cb?: (err: Error | null) => void) {
      return original.call(this, (err: Error | null) => {
        unsubscribed.push(err);
        cb?.(err);
      });
    });
    const { source, sources, logs } = start(intake, alarms);
    try {
      // Known at once from its configuration, then with its presets once connected.
      expect(intake.cameras[0][0]).toMatchObject({ id: 'gate/c1', cameraId: 'c1', kind: 'fixed', position: { lon: 106.64, lat: 29.72, altM: 412 }, presets: [], group: 'sw-07' });
      await vi.waitFor(() => expect(intake.health).toEqual([true]), { timeout: 5_000 });
      expect(intake.cameras.at(-1)![0]).toMatchObject({
        kind: 'ptz', presets: [{ id: 'p1', name: 'Gate', headingDeg: 270, tiltDeg: 9 }, { id: 'p2', name: 'Apron', headingDeg: 45, tiltDeg: 0 }],
      });
      await vi.waitFor(() => expect(sources.get('gate')).toMatchObject({ health: 'ok', counts: { cameras: 1 } }));

      // Media through the adapter.
      const media = intake.media!;
      expect(await media.snapshot('c1', { timeoutMs: 2_000 })).toEqual(TINY_JPEG);
      const live = await media.live('c1');
      expect(live?.contentType).toMatch(/^multipart\/x-mixed-replace/);
      live!.close();
      presetCalls.length = 0;
      await media.gotoPreset!('c1', 'p1');
      expect(presetCalls).toEqual([['cam-1', 'p1']]);

      // Motion: the rising edge, once, with a stable id; the property falling back is no event.
      await vi.waitFor(() => {
        if (!intake.events.length) events.emit('event', { cameraId: 'cam-1', type: 'motion', at: new Date() });
        expect(intake.events.length).toBe(1);
        // Every 1.5 s: motion falls back 1 s after the last event, so each try can be a new rising edge (an
        // earlier test may have left the camera's motion on).
      }, { timeout: 15_000, interval: 1_500 });
      const ev = intake.events[0];
      expect(ev).toMatchObject({ cameraId: 'c1', type: 'motion', eventId: expect.stringMatching(/^SIM-cam-1\/RuleEngine\/CellMotionDetector\/Motion\/\d{4}-/) });
      expect(await ev.snapshot!()).toEqual(TINY_JPEG);
      events.emit('event', { cameraId: 'cam-1', type: 'tamper', at: new Date() });
      await vi.waitFor(() => expect(intake.events.map((e) => e.type)).toEqual(['motion', 'tamper']), { timeout: 3_000 });

      // Offline: the camera stops answering; the source degrades, then goes down with its silent alarm.
      online.set('cam-1', false);
      await vi.waitFor(() => expect(intake.health).toEqual([true, false]), { timeout: 3_000 });
      await vi.waitFor(() => expect(sources.get('gate')?.health).toBe('down'), { timeout: 3_000 });
      expect(sources.get('gate')?.problem).toMatchObject({ code: 'unreachable', target: server.deviceUrls.get('cam-1') });
      expect(alarms).toHaveLength(1);
      await expect(media.snapshot('c1', { timeoutMs: 500 })).rejects.toThrow(/not connected/);

      // Back: reconnected, online, healthy.
      online.set('cam-1', true);
      await vi.waitFor(() => expect(intake.health).toEqual([true, false, true]), { timeout: 5_000 });
      await vi.waitFor(() => expect(sources.get('gate')?.health).toBe('ok'));
      // …and subscribed again: events flow.
      await vi.waitFor(() => {
        if (intake.events.length < 3) events.emit('event', { cameraId: 'cam-1', type: 'motion', at: new Date() });
        expect(intake.events.length).toBe(3);
      }, { timeout: 15_000, interval: 1_500 }); // the subscription is made anew after the reconnect: give a loaded machine time
      expect(logs.join('\n')).not.toContain(PASSWORD);
      expect(JSON.stringify(sources.list())).not.toContain(PASSWORD);
    } finally {
      await source.stop();
      sources.stop();
    }
    unsubscribe.mockRestore();
    expect(unsubscribed).toEqual([null]);
    expect(intake.events.map((e) => e.type)).toEqual(['motion', 'tamper', 'motion']); // the properties falling back raised nothing
    }, 90_000); // a camera going down and coming back, with long polls, on a machine running the rest of the suite


  it("plays a camera's live picture from the site's media gateway (liveUrl), without the camera's credentials", async () => {
    const seen: IncomingHttpHeaders[] = [];
    const write = mjpegWriter(TINY_JPEG);
    const gateway = createServer((req, res) => {
      seen.push(req.headers);
      write('gate-cam', req, res);
    });
    await new Promise<void>((r) => gateway.listen(0, '127.0.0.1', r));
    const liveUrl = `http://127.0.0.1:${(gateway.address() as AddressInfo).port}/api/stream.mjpeg?src=gate-cam`;
    const intake = fakeIntake();
    const { source, sources } = start(intake, [], { liveUrl });
    try {
      await vi.waitFor(() => expect(intake.health).toEqual([true]), { timeout: 5_000 });
      const live = await intake.media!.live('c1');
      expect(live?.contentType).toMatch(/^multipart\/x-mixed-replace/);
      const first = await new Promise<Buffer>((resolve) => live!.body.once('data', resolve));
      expect(first.toString('latin1')).toContain('--frame');
      live!.close();
      expect(seen).toHaveLength(1);
      expect(seen[0].authorization).toBeUndefined();
    } finally {
      await source.stop();
      sources.stop();
      gateway.closeAllConnections();
      await new Promise((r) => gateway.close(r));
    }
  });
});
