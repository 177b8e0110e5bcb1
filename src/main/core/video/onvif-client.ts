// The `onvif` client (Cam, callback API) in promises, and one ONVIF session: what the console needs from a
// camera once connected. The library's own `connect` is not used: when a camera's profiles do not match its
// video sources it throws from inside a response callback (an uncaught exception in the core), so the steps
// are taken one by one here (GetSystemDateAndTime, GetServices or GetCapabilities, GetDeviceInformation,
// GetProfiles, GetSnapshotUri, GetStreamUri, GetPresets) and every later call names its profile token.
import onvif from 'onvif';
import type { Cam as CamType } from 'onvif';

const { Cam } = onvif;

export interface OnvifTarget {
  url: URL;
  username: string;
  password: string;
  timeoutMs: number;
}

export interface OnvifPresetInfo {
  token: string;
  name: string;
  /** The generic-space pan (−1…1) and tilt (−1…1, up positive), when the camera gives them. */
  pan: number | null;
  tilt: number | null;
}

export interface OnvifSession {
  cam: CamType;
  serial: string;
  model: string;
  profileToken: string;
  snapshotUri: string | null;
  streamUri: string | null;
  ptz: boolean;
  presets: OnvifPresetInfo[];
}

/** Calls a callback-style Cam method as a promise that also gives up after `timeoutMs`. */
export function call<T>(timeoutMs: number, what: string, start: (cb: (err: Error | null, data?: T) => void) => void): Promise<T> {
  return new Promise<T>((resolve, reject) => {
    const timer = setTimeout(() => reject(Object.assign(new Error(`${what}: no answer within ${timeoutMs / 1000} s`), { code: 'ETIMEDOUT' })), timeoutMs);
    timer.unref(); // a pull the camera never answers must not hold the process open at shutdown
    try {
      start((err, data) => {
        clearTimeout(timer);
        if (err) reject(err);
        else resolve(data as T);
      });
    } catch (err) {
      clearTimeout(timer);
      reject(err);
    }
  });
}

export function newCam(t: OnvifTarget): CamType {
  const secure = t.url.protocol === 'https:';
  return new Cam({
    hostname: t.url.hostname.replace(/^\[(.*)\]$/, '$1'),
    port: t.url.port ? Number(t.url.port) : secure ? 443 : 80,
    path: t.url.pathname + t.url.search,
    username: t.username,
    password: t.password,
    useSecure: secure,
    timeout: t.timeoutMs,
    autoconnect: false,
    // Subscription addresses point where the camera thinks it is (behind NAT, an address the console cannot
    // reach): use the configured host and port for them, as the services already are.
    preserveAddress: true,
  });
}

export async function openSession(t: OnvifTarget): Promise<OnvifSession> {
  const cam = newCam(t);
  const ms = t.timeoutMs;
  await call(ms, 'GetSystemDateAndTime', (cb) => cam.getSystemDateAndTime(cb));
  try {
    await call(ms, 'GetServices', (cb) => cam.getServices(true, cb));
  } catch {
    await call(ms, 'GetCapabilities', (cb) => cam.getCapabilities(cb)); // cameras older than GetServices
  }
  if (!cam.uri?.media && !(cam.media2Support && cam.uri?.media2)) throw new Error('the camera offers no media service');
  const info = await call<{ serialNumber?: unknown; model?: unknown; hardwareId?: unknown }>(ms, 'GetDeviceInformation', (cb) => cam.getDeviceInformation(cb));
  const profiles = await call<Array<Record<string, any>>>(ms, 'GetProfiles', (cb) => cam.getProfiles(cb));
  const usable = (profiles ?? []).filter((p) => p?.$?.token !== undefined && p.videoSourceConfiguration && p.videoEncoderConfiguration);
  // An MJPEG profile first: the console shows it live without a media gateway.
  const profile = usable.find((p) => String(p.videoEncoderConfiguration.encoding).toUpperCase() === 'JPEG') ?? usable[0];
  if (!profile) throw new Error('the camera has no media profile with video');
  const profileToken = String(profile.$.token);
  const snapshotUri = await call<{ uri?: unknown }>(ms, 'GetSnapshotUri', (cb) => cam.getSnapshotUri({ profileToken }, cb))
    .then((r) => (typeof r?.uri === 'string' ? r.uri : null), () => null);
  const streamUri = await call<{ uri?: unknown }>(ms, 'GetStreamUri', (cb) => cam.getStreamUri({ profileToken, protocol: 'HTTP' }, cb))
    .then((r) => (typeof r?.uri === 'string' ? r.uri : null), () => null);
  const ptz = Boolean(cam.uri?.ptz && profile.PTZConfiguration);
  let presets: OnvifPresetInfo[] = [];
  if (ptz) {
    await call(ms, 'GetPresets', (cb) => cam.getPresets({ profileToken }, cb));
    // The library's answer is keyed by name (presets sharing a name collapse); Cam#presets is keyed by token.
    presets = Object.values((cam.presets ?? {}) as Record<string, any>).map((p) => {
      const panTilt = p?.PTZPosition?.panTilt?.$;
      const num = (v: unknown) => (Number.isFinite(Number(v)) && v !== '' && v !== undefined ? Number(v) : null);
      return { token: String(p.$.token), name: String(p.name ?? p.$.token), pan: num(panTilt?.x), tilt: num(panTilt?.y) };
    });
  }
  return {
    cam, profileToken, snapshotUri, streamUri, ptz, presets,
    serial: String(info?.serialNumber ?? info?.hardwareId ?? t.url.host),
    model: String(info?.model ?? ''),
  };
}
