// The simulated ONVIF cameras of the VMS simulator: one HTTP server on 127.0.0.1 (never WS-Discovery
// multicast), each camera a device of its own under /onvif/<id>/: device_service, media_service, ptz_service
// (PTZ cameras), events_service with PullPoint subscriptions at /onvif/<id>/subscription/<sid>, and the
// snapshot (snapshot.jpg) and MJPEG stream (live.mjpg) URIs its media service hands out, behind HTTP Digest or
// Basic auth. SOAP 1.2 with WS-Security UsernameToken/PasswordDigest on every call but GetSystemDateAndTime
// (unauthenticated, as the spec allows). An offline camera does not answer: its connections are destroyed.
// The answers are shaped the way the `onvif` npm client (0.8.3) reads them: Media1 only (no ver20/media
// service, so the client stays on Media1), more than one service in GetServices, one video source whose
// profile has video source and encoder configurations, and subscription addresses as plain text.
import type { EventEmitter } from 'node:events';
import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import type { AddressInfo, Socket } from 'node:net';
import { HttpAuth } from './http-auth.ts';
import { notificationXml, PullPoints, type EventType } from './pullpoint.ts';
import { actionNotSupported, envelope, faultXml, invalidArg, parseDurationMs, sendSoap, SoapFault, terminationAt } from './soap.ts';
import { UsernameTokenChecker } from './wsse.ts';
import { child, esc, parseXml, textAt, XmlError, type XmlElement } from './xml.ts';

export interface OnvifPreset {
  id: string;
  name: string;
  headingDeg: number;
  tiltDeg: number;
}

export interface OnvifCamera {
  id: string;
  name: string;
  ptz: boolean;
  presets: OnvifPreset[];
}

export interface OnvifServerOptions {
  user: string;
  password: string;
  /** 0/undefined: any free port on 127.0.0.1. */
  port?: number;
  cameras: OnvifCamera[];
  /** JPEG, null when offline. */
  snapshot: (id: string) => Promise<Buffer | null>;
  /** Writes an MJPEG multipart stream. */
  pipeLive: (id: string, req: IncomingMessage, res: ServerResponse) => void;
  isOnline: (id: string) => boolean;
  /** Emits 'event' with { cameraId, type: 'motion' | 'tamper', at: Date }. */
  events: EventEmitter;
  gotoPreset: (id: string, presetId: string) => boolean;
}

export interface OnvifServer {
  /** Camera id → its device service URL. */
  deviceUrls: Map<string, string>;
  close(): Promise<void>;
}

/** Request bodies beyond this are refused. */
export const MAX_BODY_BYTES = 64 * 1024;
/** The longest a PullMessages may wait, whatever its Timeout asks. */
const MAX_PULL_WAIT_MS = 120_000;
const DEFAULT_TERMINATION_MS = 60_000;
const MAX_TERMINATION_MS = 3_600_000;

const PROFILE = 'profile_1';
const VIDEO_SOURCE = 'vs_1';
const PTZ_NODE = 'ptz_node_1';
const PTZ_CONFIG = 'ptz_cfg_1';

export async function startOnvifServer(opts: OnvifServerOptions): Promise<OnvifServer> {
  const cameras = new Map(opts.cameras.map((c) => [c.id, c]));
  if (cameras.size !== opts.cameras.length) throw new Error('onvif server: camera ids must be unique');
  const tokens = new UsernameTokenChecker(opts.user, opts.password);
  const httpAuth = new HttpAuth(opts.user, opts.password);
  const pullPoints = new PullPoints(VIDEO_SOURCE);
  const sockets = new Set<Socket>();
  let base = '';

  const onEvent = (e: { cameraId?: unknown; type?: unknown; at?: unknown }) => {
    if (typeof e?.cameraId !== 'string' || !cameras.has(e.cameraId)) return;
    if (e.type !== 'motion' && e.type !== 'tamper') return;
    pullPoints.raise(e.cameraId, e.type as EventType, e.at instanceof Date && Number.isFinite(e.at.getTime()) ? e.at : new Date());
  };
  opts.events.on('event', onEvent);

  const server = createServer((req, res) => {
    res.on('error', () => undefined);
    req.on('error', () => undefined);
    handle(req, res).catch((err) => {
      if (!res.headersSent) sendSoap(res, 500, faultXml(new SoapFault(500, 'env:Receiver', 'ter:Action', `internal error: ${(err as Error).message}`)));
      else res.destroy();
    });
  });
  server.on('connection', (socket) => {
    sockets.add(socket);
    socket.on('error', () => undefined);
    socket.on('close', () => sockets.delete(socket));
  });
  server.on('clientError', (_err, socket) => socket.destroy());
  server.on('error', (err) => console.error(`onvif server: ${err.message}`));

  async function handle(req: IncomingMessage, res: ServerResponse): Promise<void> {
    const url = new URL(req.url ?? '/', 'http://camera');
    const m = /^\/onvif\/([^/]+)\/(device_service|media_service|ptz_service|events_service|subscription\/[\w-]+|snapshot\.jpg|live\.mjpg)$/.exec(url.pathname);
    const camera = m ? cameras.get(safeDecode(m[1])) : undefined;
    if (!m || !camera) {
      res.writeHead(404, { 'Content-Type': 'text/plain' }).end('not found');
      return;
    }
    // An offline camera does not answer at all.
    if (!opts.isOnline(camera.id)) {
      req.socket.destroy();
      return;
    }
    const endpoint = m[2];
    if (endpoint === 'snapshot.jpg' || endpoint === 'live.mjpg') {
      if (req.method !== 'GET') {
        res.writeHead(405, { Allow: 'GET' }).end();
        return;
      }
      if (!httpAuth.authorize(req, res)) return;
      if (endpoint === 'live.mjpg') {
        opts.pipeLive(camera.id, req, res);
        return;
      }
      const jpeg = await opts.snapshot(camera.id);
      if (!jpeg) {
        res.writeHead(503, { 'Content-Type': 'text/plain' }).end('no picture');
        return;
      }
      res.writeHead(200, { 'Content-Type': 'image/jpeg', 'Content-Length': jpeg.length, 'Cache-Control': 'no-store' }).end(jpeg);
      return;
    }
    if (req.method !== 'POST') {
      res.writeHead(405, { Allow: 'POST' }).end();
      return;
    }
    const body = await readBody(req, MAX_BODY_BYTES);
    if (body === null) {
      res.setHeader('Connection', 'close');
      sendSoap(res, 413, faultXml(invalidArg(`request body larger than ${MAX_BODY_BYTES} bytes`)));
      return;
    }
    try {
      const doc = parseXml(body);
      const bodyEl = doc.name === 'Envelope' ? child(doc, 'Body') : undefined;
      const action = bodyEl?.children[0];
      if (!action) throw invalidArg('not a SOAP envelope with a body');
      const service = endpoint.startsWith('subscription/') ? 'subscription' : endpoint.replace('_service', '');
      if (!(service === 'device' && action.name === 'GetSystemDateAndTime')) tokens.check(child(doc, 'Header'));
      const answer = await dispatch(service, camera, action, endpoint, req, res);
      if (answer !== null) sendSoap(res, 200, envelope(answer));
    } catch (err) {
      if (err instanceof SoapFault) sendSoap(res, err.httpStatus, faultXml(err));
      else if (err instanceof XmlError) sendSoap(res, 400, faultXml(invalidArg(err.message)));
      else throw err;
    }
  }

  /** The answer's body element(s); null when the answer is sent later (a waiting pull). */
  async function dispatch(service: string, cam: OnvifCamera, action: XmlElement, endpoint: string, req: IncomingMessage, res: ServerResponse): Promise<string | null> {
    const camBase = `${base}/onvif/${encodeURIComponent(cam.id)}`;
    const a = action.name;
    if (service === 'device') {
      if (a === 'GetSystemDateAndTime') return systemDateAndTime(new Date());
      if (a === 'GetDeviceInformation') {
        return `<tds:GetDeviceInformationResponse><tds:Manufacturer>Skyfence</tds:Manufacturer><tds:Model>${cam.ptz ? 'SIM-PTZ' : 'SIM-FIXED'}</tds:Model>` +
          `<tds:FirmwareVersion>1.0.0</tds:FirmwareVersion><tds:SerialNumber>${esc(`SIM-${cam.id}`)}</tds:SerialNumber><tds:HardwareId>${esc(cam.id)}</tds:HardwareId></tds:GetDeviceInformationResponse>`;
      }
      if (a === 'GetServices') return services(cam, camBase, textAt(action, 'IncludeCapability') === 'true');
      if (a === 'GetCapabilities') return capabilities(cam, camBase);
      if (a === 'GetScopes') {
        return `<tds:GetScopesResponse><tds:Scopes><tt:ScopeDef>Fixed</tt:ScopeDef><tt:ScopeItem>onvif://www.onvif.org/name/${esc(encodeURIComponent(cam.name))}</tt:ScopeItem></tds:Scopes></tds:GetScopesResponse>`;
      }
    } else if (service === 'media') {
      if (a === 'GetProfiles') return `<trt:GetProfilesResponse>${profile(cam, 'trt:Profiles')}</trt:GetProfilesResponse>`;
      if (a === 'GetProfile') {
        requireProfile(action);
        return `<trt:GetProfileResponse>${profile(cam, 'trt:Profile')}</trt:GetProfileResponse>`;
      }
      if (a === 'GetVideoSources') {
        return `<trt:GetVideoSourcesResponse><trt:VideoSources token="${VIDEO_SOURCE}"><tt:Framerate>5</tt:Framerate>` +
          `<tt:Resolution><tt:Width>1280</tt:Width><tt:Height>720</tt:Height></tt:Resolution></trt:VideoSources></trt:GetVideoSourcesResponse>`;
      }
      if (a === 'GetStreamUri') {
        requireProfile(action);
        // The simulator streams MJPEG over HTTP whatever transport was asked for (a real camera would give RTSP).
        return `<trt:GetStreamUriResponse>${mediaUri(`${camBase}/live.mjpg`)}</trt:GetStreamUriResponse>`;
      }
      if (a === 'GetSnapshotUri') {
        requireProfile(action);
        return `<trt:GetSnapshotUriResponse>${mediaUri(`${camBase}/snapshot.jpg`)}</trt:GetSnapshotUriResponse>`;
      }
    } else if (service === 'ptz' && cam.ptz) {
      if (a === 'GetPresets') {
        requireProfile(action);
        return `<tptz:GetPresetsResponse>${cam.presets.map(presetXml).join('')}</tptz:GetPresetsResponse>`;
      }
      if (a === 'GotoPreset') {
        requireProfile(action);
        const token = textAt(action, 'PresetToken') ?? '';
        if (!cam.presets.some((p) => p.id === token) || !opts.gotoPreset(cam.id, token)) {
          throw new SoapFault(400, 'env:Sender', 'ter:InvalidArgVal', `no preset ${JSON.stringify(token)}`);
        }
        return '<tptz:GotoPresetResponse/>';
      }
      if (a === 'GetNodes') {
        return `<tptz:GetNodesResponse><tptz:PTZNode token="${PTZ_NODE}" FixedHomePosition="false"><tt:Name>PTZ</tt:Name><tt:SupportedPTZSpaces>` +
          '<tt:AbsolutePanTiltPositionSpace><tt:URI>http://www.onvif.org/ver10/tptz/PanTiltSpaces/PositionGenericSpace</tt:URI>' +
          '<tt:XRange><tt:Min>-1</tt:Min><tt:Max>1</tt:Max></tt:XRange><tt:YRange><tt:Min>-1</tt:Min><tt:Max>1</tt:Max></tt:YRange></tt:AbsolutePanTiltPositionSpace>' +
          `</tt:SupportedPTZSpaces><tt:MaximumNumberOfPresets>${Math.max(cam.presets.length, 1)}</tt:MaximumNumberOfPresets><tt:HomeSupported>false</tt:HomeSupported></tptz:PTZNode></tptz:GetNodesResponse>`;
      }
      if (a === 'GetConfigurations') return `<tptz:GetConfigurationsResponse>${ptzConfiguration('tptz:PTZConfiguration')}</tptz:GetConfigurationsResponse>`;
    } else if (service === 'events') {
      if (a === 'CreatePullPointSubscription') {
        const now = Date.now();
        const asked = textAt(action, 'InitialTerminationTime');
        const until = asked ? terminationAt(asked, now) : now + DEFAULT_TERMINATION_MS;
        if (until === null || until <= now) throw invalidArg(`InitialTerminationTime ${JSON.stringify(asked)} is not a duration or a future time`);
        const sub = pullPoints.create(cam.id, Math.min(until, now + MAX_TERMINATION_MS));
        if (!sub) throw new SoapFault(400, 'env:Receiver', 'ter:OutofSubscriptions', 'too many subscriptions');
        return `<tev:CreatePullPointSubscriptionResponse><tev:SubscriptionReference><wsa5:Address>${esc(`${camBase}/subscription/${sub.id}`)}</wsa5:Address></tev:SubscriptionReference>` +
          `<wsnt:CurrentTime>${new Date(now).toISOString()}</wsnt:CurrentTime><wsnt:TerminationTime>${new Date(sub.terminationAt).toISOString()}</wsnt:TerminationTime></tev:CreatePullPointSubscriptionResponse>`;
      }
      if (a === 'GetServiceCapabilities') {
        return '<tev:GetServiceCapabilitiesResponse><tev:Capabilities WSSubscriptionPolicySupport="false" WSPullPointSupport="true" WSPausableSubscriptionManagerInterfaceSupport="false" MaxNotificationProducers="0" MaxPullPoints="16"/></tev:GetServiceCapabilitiesResponse>';
      }
      if (a === 'GetEventProperties') return eventProperties();
    } else if (service === 'subscription') {
      const sub = pullPoints.get(cam.id, endpoint.slice('subscription/'.length));
      if (!sub) throw new SoapFault(400, 'env:Sender', 'ter:InvalidArgVal', 'unknown or expired subscription (wsrf-rw:ResourceUnknownFault)');
      if (a === 'PullMessages') {
        const timeoutMs = parseDurationMs(textAt(action, 'Timeout') ?? '');
        const limit = Number(textAt(action, 'MessageLimit'));
        if (timeoutMs === null || !Number.isInteger(limit) || limit < 1) throw invalidArg('PullMessages needs a Timeout (duration) and a MessageLimit (≥ 1)');
        // A camera going offline while the pull waits drops the connection, as a dead camera would.
        const watch = setInterval(() => {
          if (!opts.isOnline(cam.id)) {
            clearInterval(watch);
            pullPoints.abandon(sub);
            req.socket.destroy();
          }
        }, 200);
        res.on('close', () => {
          clearInterval(watch);
          if (!res.writableEnded) pullPoints.abandon(sub);
        });
        pullPoints.pull(sub, Math.min(limit, 100), Math.min(timeoutMs, MAX_PULL_WAIT_MS), (messages) => {
          clearInterval(watch);
          const now = new Date();
          sendSoap(res, 200, envelope(
            `<tev:PullMessagesResponse><tev:CurrentTime>${now.toISOString()}</tev:CurrentTime><tev:TerminationTime>${new Date(sub.terminationAt).toISOString()}</tev:TerminationTime>` +
              `${messages.map(notificationXml).join('')}</tev:PullMessagesResponse>`,
          ));
        });
        return null;
      }
      if (a === 'Renew') {
        const now = Date.now();
        const asked = textAt(action, 'TerminationTime');
        const until = asked ? terminationAt(asked, now) : now + DEFAULT_TERMINATION_MS;
        if (until === null || until <= now) throw invalidArg(`TerminationTime ${JSON.stringify(asked)} is not a duration or a future time`);
        sub.terminationAt = Math.min(until, now + MAX_TERMINATION_MS);
        return `<wsnt:RenewResponse><wsnt:TerminationTime>${new Date(sub.terminationAt).toISOString()}</wsnt:TerminationTime><wsnt:CurrentTime>${new Date(now).toISOString()}</wsnt:CurrentTime></wsnt:RenewResponse>`;
      }
      if (a === 'Unsubscribe') {
        pullPoints.end(sub);
        return '<wsnt:UnsubscribeResponse/>';
      }
      if (a === 'SetSynchronizationPoint') return '<tev:SetSynchronizationPointResponse/>';
    }
    throw actionNotSupported(a);
  }

  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(opts.port ?? 0, '127.0.0.1', () => {
      server.off('error', reject);
      resolve();
    });
  });
  base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  const deviceUrls = new Map(opts.cameras.map((c) => [c.id, `${base}/onvif/${encodeURIComponent(c.id)}/device_service`]));

  return {
    deviceUrls,
    async close() {
      opts.events.off('event', onEvent);
      pullPoints.close();
      const closed = new Promise<void>((resolve) => server.close(() => resolve()));
      for (const s of sockets) s.destroy();
      await closed;
    },
  };
}

function safeDecode(s: string): string {
  try {
    return decodeURIComponent(s);
  } catch {
    return '';
  }
}

/** The body as text, or null when it is larger than `max` (the rest is not read). */
function readBody(req: IncomingMessage, max: number): Promise<string | null> {
  return new Promise((resolve) => {
    const chunks: Buffer[] = [];
    let size = 0;
    req.on('data', (chunk: Buffer) => {
      size += chunk.length;
      if (size > max) {
        req.removeAllListeners('data');
        req.pause();
        resolve(null);
        return;
      }
      chunks.push(chunk);
    });
    req.on('end', () => resolve(Buffer.concat(chunks).toString('utf8')));
    req.on('error', () => resolve(null));
  });
}

function requireProfile(action: XmlElement): void {
  const token = textAt(action, 'ProfileToken');
  if (token !== PROFILE) throw new SoapFault(400, 'env:Sender', 'ter:InvalidArgVal', `no profile ${JSON.stringify(token ?? '')} (ter:NoProfile)`);
}

function systemDateAndTime(now: Date): string {
  return '<tds:GetSystemDateAndTimeResponse><tds:SystemDateAndTime><tt:DateTimeType>NTP</tt:DateTimeType><tt:DaylightSavings>false</tt:DaylightSavings>' +
    '<tt:TimeZone><tt:TZ>CST-8</tt:TZ></tt:TimeZone><tt:UTCDateTime>' +
    `<tt:Time><tt:Hour>${now.getUTCHours()}</tt:Hour><tt:Minute>${now.getUTCMinutes()}</tt:Minute><tt:Second>${now.getUTCSeconds()}</tt:Second></tt:Time>` +
    `<tt:Date><tt:Year>${now.getUTCFullYear()}</tt:Year><tt:Month>${now.getUTCMonth() + 1}</tt:Month><tt:Day>${now.getUTCDate()}</tt:Day></tt:Date>` +
    '</tt:UTCDateTime></tds:SystemDateAndTime></tds:GetSystemDateAndTimeResponse>';
}

function services(cam: OnvifCamera, camBase: string, withCapabilities: boolean): string {
  const list: Array<[string, string, string]> = [
    ['http://www.onvif.org/ver10/device/wsdl', 'device_service', '<tds:Capabilities><tds:Capabilities><tds:Security UsernameToken="true" HttpDigest="true"/></tds:Capabilities></tds:Capabilities>'],
    ['http://www.onvif.org/ver10/media/wsdl', 'media_service', '<tds:Capabilities><trt:Capabilities SnapshotUri="true"><trt:ProfileCapabilities MaximumNumberOfProfiles="1"/><trt:StreamingCapabilities RTP_RTSP_TCP="false"/></trt:Capabilities></tds:Capabilities>'],
    ['http://www.onvif.org/ver10/events/wsdl', 'events_service', '<tds:Capabilities><tev:Capabilities WSPullPointSupport="true" WSSubscriptionPolicySupport="false" WSPausableSubscriptionManagerInterfaceSupport="false"/></tds:Capabilities>'],
  ];
  if (cam.ptz) list.push(['http://www.onvif.org/ver20/ptz/wsdl', 'ptz_service', '<tds:Capabilities><tptz:Capabilities/></tds:Capabilities>']);
  return '<tds:GetServicesResponse>' +
    list.map(([ns, path, caps]) => `<tds:Service><tds:Namespace>${ns}</tds:Namespace><tds:XAddr>${esc(`${camBase}/${path}`)}</tds:XAddr>` +
      `${withCapabilities ? caps : ''}<tds:Version><tt:Major>2</tt:Major><tt:Minor>60</tt:Minor></tds:Version></tds:Service>`).join('') +
    '</tds:GetServicesResponse>';
}

function capabilities(cam: OnvifCamera, camBase: string): string {
  return '<tds:GetCapabilitiesResponse><tds:Capabilities>' +
    `<tt:Device><tt:XAddr>${esc(`${camBase}/device_service`)}</tt:XAddr></tt:Device>` +
    `<tt:Events><tt:XAddr>${esc(`${camBase}/events_service`)}</tt:XAddr><tt:WSSubscriptionPolicySupport>false</tt:WSSubscriptionPolicySupport>` +
    '<tt:WSPullPointSupport>true</tt:WSPullPointSupport><tt:WSPausableSubscriptionManagerInterfaceSupport>false</tt:WSPausableSubscriptionManagerInterfaceSupport></tt:Events>' +
    `<tt:Media><tt:XAddr>${esc(`${camBase}/media_service`)}</tt:XAddr><tt:StreamingCapabilities><tt:RTPMulticast>false</tt:RTPMulticast><tt:RTP_TCP>false</tt:RTP_TCP><tt:RTP_RTSP_TCP>false</tt:RTP_RTSP_TCP></tt:StreamingCapabilities></tt:Media>` +
    (cam.ptz ? `<tt:PTZ><tt:XAddr>${esc(`${camBase}/ptz_service`)}</tt:XAddr></tt:PTZ>` : '') +
    '</tds:Capabilities></tds:GetCapabilitiesResponse>';
}

function profile(cam: OnvifCamera, tag: string): string {
  return `<${tag} token="${PROFILE}" fixed="true"><tt:Name>MainStream</tt:Name>` +
    `<tt:VideoSourceConfiguration token="vsc_1"><tt:Name>VideoSource</tt:Name><tt:UseCount>1</tt:UseCount><tt:SourceToken>${VIDEO_SOURCE}</tt:SourceToken>` +
    '<tt:Bounds x="0" y="0" width="1280" height="720"/></tt:VideoSourceConfiguration>' +
    '<tt:VideoEncoderConfiguration token="vec_1"><tt:Name>MJPEG</tt:Name><tt:UseCount>1</tt:UseCount><tt:Encoding>JPEG</tt:Encoding>' +
    '<tt:Resolution><tt:Width>1280</tt:Width><tt:Height>720</tt:Height></tt:Resolution><tt:Quality>5</tt:Quality>' +
    '<tt:RateControl><tt:FrameRateLimit>5</tt:FrameRateLimit><tt:EncodingInterval>1</tt:EncodingInterval><tt:BitrateLimit>4096</tt:BitrateLimit></tt:RateControl>' +
    '<tt:SessionTimeout>PT60S</tt:SessionTimeout></tt:VideoEncoderConfiguration>' +
    (cam.ptz ? ptzConfiguration('tt:PTZConfiguration') : '') +
    `</${tag}>`;
}

function ptzConfiguration(tag: string): string {
  return `<${tag} token="${PTZ_CONFIG}"><tt:Name>PTZ</tt:Name><tt:UseCount>1</tt:UseCount><tt:NodeToken>${PTZ_NODE}</tt:NodeToken></${tag}>`;
}

function mediaUri(uri: string): string {
  return `<trt:MediaUri><tt:Uri>${esc(uri)}</tt:Uri><tt:InvalidAfterConnect>false</tt:InvalidAfterConnect><tt:InvalidAfterReboot>false</tt:InvalidAfterReboot><tt:Timeout>PT0S</tt:Timeout></trt:MediaUri>`;
}

/** A preset with its direction in the generic pan/tilt space: pan x = heading / 180 (north 0, clockwise,
 *  wrapped to −1…1), tilt y = −tilt / 90 (up positive). */
export function presetXml(p: OnvifPreset): string {
  const heading = ((p.headingDeg % 360) + 360) % 360;
  const x = heading > 180 ? heading / 180 - 2 : heading / 180;
  const y = Math.max(-1, Math.min(1, -p.tiltDeg / 90));
  return `<tptz:Preset token="${esc(p.id)}"><tt:Name>${esc(p.name)}</tt:Name><tt:PTZPosition>` +
    `<tt:PanTilt x="${round(x)}" y="${round(y)}" space="http://www.onvif.org/ver10/tptz/PanTiltSpaces/PositionGenericSpace"/>` +
    '<tt:Zoom x="0" space="http://www.onvif.org/ver10/tptz/ZoomSpaces/PositionGenericSpace"/></tt:PTZPosition></tptz:Preset>';
}

function round(n: number): number {
  return Math.round(n * 1e6) / 1e6;
}

function eventProperties(): string {
  return '<tev:GetEventPropertiesResponse><tev:TopicNamespaceLocation>http://www.onvif.org/onvif/ver10/topics/topicns.xml</tev:TopicNamespaceLocation>' +
    '<wsnt:FixedTopicSet>true</wsnt:FixedTopicSet><wstop:TopicSet xmlns:wstop="http://docs.oasis-open.org/wsn/t-1">' +
    '<tns1:RuleEngine><CellMotionDetector><Motion wstop:topic="true"/></CellMotionDetector></tns1:RuleEngine>' +
    '<tns1:VideoSource><GlobalSceneChange><ImagingService wstop:topic="true"/></GlobalSceneChange></tns1:VideoSource></wstop:TopicSet>' +
    '<wsnt:TopicExpressionDialect>http://www.onvif.org/ver10/tev/topicExpression/ConcreteSet</wsnt:TopicExpressionDialect>' +
    '<tev:MessageContentFilterDialect>http://www.onvif.org/ver10/tev/messageContentFilter/ItemFilter</tev:MessageContentFilterDialect>' +
    '<tt:MessageContentSchemaLocation>http://www.onvif.org/onvif/ver10/schema/onvif.xsd</tt:MessageContentSchemaLocation></tev:GetEventPropertiesResponse>';
}
