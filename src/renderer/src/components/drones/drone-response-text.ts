// Words of the drone response panel: the pre-filled message to 空管 and 净空办 (what a controller needs to act:
// time, position and where it is from the nearest threshold, altitude and height, the surface it penetrates and
// by how much, the runway and whether it is in use, identity, the pilot, who reports), the step clocks, the
// runway a threat names, and the core's refusals worded.
import type { Alarm, GeoPoint, Person } from '../../../../shared/domain.ts';
import type { DroneTrack, ThreatReason } from '../../../../shared/drones.ts';
import type { SitePack } from '../../../../shared/site.ts';
import { i18n, localText } from '../../i18n/index.ts';
import { errorText, personName } from '../../i18n/words.ts';
import { surfaceText } from '../../composables/alarm-text.ts';
import { latLonText } from './drone-words.ts';

const t = (key: string, values?: Record<string, unknown>): string => (values ? i18n.global.t(key, values) : i18n.global.t(key));
export type DroneAlarm = Extract<Alarm, { type: 'drone-threat' | 'drone-swarm' }>;

export const isDroneAlarm = (a: Alarm): a is DroneAlarm => a.type === 'drone-threat' || a.type === 'drone-swarm';

/** m:ss (or h:mm:ss) of a duration in ms. */
export function duration(ms: number): string {
  const s = Math.max(0, Math.floor(ms / 1000));
  const h = Math.floor(s / 3600);
  const mm = String(Math.floor((s % 3600) / 60)).padStart(h ? 2 : 1, '0');
  return `${h ? `${h}:` : ''}${mm}:${String(s % 60).padStart(2, '0')}`;
}

/** The site's runway id ('02L/20R') of a runway or runway end ('02L') an alarm names; null when none matches. */
export function runwayIdOf(pack: SitePack | undefined, named: string | null | undefined): string | null {
  if (!pack || !named) return null;
  const r = pack.runways.find((x) => x.id === named || x.ends.some((e) => e.designator === named));
  return r?.id ?? null;
}

/** The nearest runway threshold (displaced where the site says so) and the bearing and distance from it. */
export function fromNearestThreshold(pack: SitePack, p: GeoPoint): { end: string; bearingDeg: number; distanceM: number } | null {
  let best: { end: string; bearingDeg: number; distanceM: number } | null = null;
  for (const r of pack.runways) {
    r.ends.forEach((end, i) => {
      const other = r.ends[1 - i].position;
      const [lon0, lat0] = end.position;
      const len = planar(lon0, lat0, other[0], other[1]);
      const f = len.d > 0 ? end.displacedThresholdM / len.d : 0;
      const thr = [lon0 + (other[0] - lon0) * f, lat0 + (other[1] - lat0) * f];
      const v = planar(thr[0], thr[1], p.lon, p.lat);
      if (!best || v.d < best.distanceM) best = { end: end.designator, bearingDeg: Math.round((v.bearing + 360) % 360), distanceM: v.d };
    });
  }
  return best;
}

/** Distance and bearing on a local plane: good to metres over the few kilometres around an airport. */
function planar(lon1: number, lat1: number, lon2: number, lat2: number): { d: number; bearing: number } {
  const east = (lon2 - lon1) * Math.cos(((lat1 + lat2) / 2) * (Math.PI / 180)) * 111_320;
  const north = (lat2 - lat1) * 110_574;
  return { d: Math.hypot(east, north), bearing: (Math.atan2(east, north) * 180) / Math.PI };
}

/**
 * The alarm as its drone is now: a drone alarm is written at most every 30 s while the track moves every second,
 * so the live track (or a swarm's live members) gives the position, height, penetration and pilot, and `at` is
 * when that position was measured. Without the track in the picture, the alarm's last update as it is.
 */
export function withLatestFix(alarm: DroneAlarm, tracks: ReadonlyMap<string, DroneTrack>): { alarm: DroneAlarm; at: number } {
  if (alarm.type === 'drone-threat') {
    const track = tracks.get(alarm.details.trackId);
    if (!track || track.lastSeen <= alarm.updatedAt) return { alarm, at: alarm.updatedAt };
    const th = track.threat;
    const runway = th.reasons.find((r) => r.code === 'penetration')?.runway ?? th.path?.runway ?? null;
    return {
      at: track.lastSeen,
      alarm: {
        ...alarm, position: { ...track.position },
        details: {
          ...alarm.details, altM: track.position.altM, surface: th.lowestSurface?.surface ?? null, runway, penetrationM: th.penetrationM,
          runwayInUse: th.runwayInUse, pilot: track.pilot ?? alarm.details.pilot, identity: track.identity ?? alarm.details.identity, reasons: th.reasons,
        },
      },
    };
  }
  const members = alarm.details.trackIds.map((id) => tracks.get(id)).filter((t): t is DroneTrack => t !== undefined);
  const at = Math.max(0, ...members.map((m) => m.lastSeen));
  if (!members.length || at <= alarm.updatedAt) return { alarm, at: alarm.updatedAt };
  const mean = (f: (m: DroneTrack) => number) => members.reduce((sum, m) => sum + f(m), 0) / members.length;
  const centroid: GeoPoint = { lon: mean((m) => m.position.lon), lat: mean((m) => m.position.lat), altM: mean((m) => m.position.altM) };
  return { at, alarm: { ...alarm, position: centroid, details: { ...alarm.details, centroid } } };
}

/** A time of day with the date, as the message gives it. */
const messageTime = (at: number) => new Date(at).toLocaleString(i18n.global.locale.value === 'en' ? 'en-GB' : 'zh-CN', { hour12: false });

/**
 * The message to 空管 / 净空办, pre-filled from the alarm's facts as of `at` (the time of the position it
 * carries: pass withLatestFix's); the operator edits it before recording.
 */
export function notificationMessage(alarm: DroneAlarm, pack: SitePack | undefined, seat: Person | null, at: number = alarm.updatedAt): string {
  const lines = [t('droneResponse.msg.header', { site: pack ? localText(pack.name) : '' })];
  lines.push(t('droneResponse.msg.time', { time: messageTime(at) }));
  if (alarm.type === 'drone-swarm') {
    const d = alarm.details;
    lines.push(t('droneResponse.msg.swarm', { count: d.count, p: latLonText(d.centroid) }));
  }
  const p = alarm.position;
  if (p) {
    const from = pack ? fromNearestThreshold(pack, p) : null;
    lines.push(t('droneResponse.msg.position', { p: latLonText(p) }) +
      (from ? t('droneResponse.msg.fromThreshold', { end: from.end, bearing: String(from.bearingDeg).padStart(3, '0'), km: (from.distanceM / 1000).toFixed(2) }) : ''));
  }
  if (alarm.type === 'drone-threat') {
    const d = alarm.details;
    const elevation = pack?.aerodrome.elevationM;
    lines.push(t('droneResponse.msg.altitude', { msl: Math.round(d.altM), agl: elevation === undefined ? '—' : Math.round(d.altM - elevation) }));
    lines.push(d.surface && d.penetrationM > 0
      ? t('droneResponse.msg.penetration', { surface: surfaceText(d.surface, d.runway), m: d.penetrationM.toFixed(1) })
      : t('droneResponse.msg.noPenetration'));
    if (d.runway) {
      lines.push(t('droneResponse.msg.runway', { runway: runwayIdOf(pack, d.runway) ?? d.runway, use: runwayUseText(d) }));
    }
    lines.push(t('droneResponse.msg.identity', { id: identityText(alarm) }));
    lines.push(d.pilot ? t('droneResponse.msg.pilot', { p: latLonText(d.pilot) }) : t('droneResponse.msg.pilotUnknown'));
  }
  if (seat) lines.push(t('droneResponse.msg.seat', { seat: personName(seat) }));
  return lines.join('\n');
}

/** Whether the runway a threat names is in use, suspended by a drone response, not in use, or unknown. */
export function runwayUseText(d: { runwayInUse: boolean | null; reasons: readonly ThreatReason[] }): string {
  if (d.reasons.some((r) => r.code === 'runway-suspended')) return t('droneResponse.facts.suspended');
  if (d.runwayInUse === null) return t('droneResponse.facts.unknown');
  return d.runwayInUse ? t('droneResponse.facts.inUse') : t('droneResponse.facts.notInUse');
}

export function identityText(alarm: DroneAlarm): string {
  if (alarm.type !== 'drone-threat') return '—';
  const id = alarm.details.identity;
  return id?.serial ?? id?.registrationId ?? id?.operatorId ?? t('droneResponse.facts.noRemoteId');
}

/** A refusal of the response calls, in the operator's words (the response's own reasons first). */
export function responseErrorText(e: unknown): string {
  const reason = (e as { reason?: string } | null)?.reason;
  if (reason && i18n.global.te(`droneResponse.errors.${reason}`)) return t(`droneResponse.errors.${reason}`);
  return errorText(e);
}
