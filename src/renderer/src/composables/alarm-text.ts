// How an alarm reads to the operator, in the current language, worded from its typed details (never from
// text the core formatted): the queue title, the brief map label, and the facts under the title.
import type { Alarm, AlarmDetails, TrackClass } from '../../../shared/domain.ts';
import { levelText, reasonText, shortLabel, surfaceName } from '../components/drones/drone-words.ts';
import type { SitePack } from '../../../shared/site.ts';
import { i18n, localText } from '../i18n/index.ts';
import { problemText } from '../i18n/words.ts';

const t = (key: string, values?: Record<string, unknown>): string => (values ? i18n.global.t(key, values) : i18n.global.t(key));
const sep = () => (i18n.global.locale.value === 'en' ? ' → ' : ' → ');

/** What the target is, after its id: （无人机） / " (Drone)"; unclassified, just the space before the verb in Chinese. */
function classText(c: TrackClass | null): string {
  if (c) return t('alarms.text.cls', { c: t(`classification.${c}`) });
  return i18n.global.locale.value === 'en' ? '' : ' ';
}

export function surfaceText(surface: string, runway: string | null): string {
  const name = i18n.global.te(`surfaces.${surface}`) ? t(`surfaces.${surface}`) : surface;
  return runway ? t('alarms.text.surfaceOfRunway', { surface: name, runway }) : name;
}

/** The queue's title of an alarm. */
export function alarmTitle(a: Alarm): string {
  switch (a.type) {
    case 'touch-circle':
      return t('alarms.text.touchCircle', {
        track: a.details.trackLabel, cls: classText(a.details.classification),
        circle: localText(a.details.circleName) || t(`rings.${a.details.ring}`),
      });
    case 'clearance-penetration':
      return t('alarms.text.penetration', {
        track: a.details.trackLabel, cls: classText(a.details.classification),
        surface: surfaceText(a.details.surface, a.details.runway), m: Math.round(a.details.penetrationM),
      });
    case 'source-silent':
      return t('alarms.text.sourceSilent', { source: localText(a.details.sourceName), problem: problemText(a.details.problem) });
    case 'camera-offline': {
      const n = a.details.cameraIds.length;
      if (n === 0) return t('alarms.text.cameraOfflineNone');
      return a.details.group ? t('alarms.text.cameraOfflineGroup', { group: a.details.group, n }) : t('alarms.text.cameraOffline', { n });
    }
    case 'camera-frozen': {
      const n = a.details.cameraIds.length;
      return a.details.group ? t('alarms.text.cameraFrozenGroup', { group: a.details.group, n }) : t('alarms.text.cameraFrozen', { n });
    }
    case 'video-analytic': {
      const kind = analyticText(a.details.analytic);
      const camera = localText(a.details.cameraName) || a.details.cameraId;
      return a.details.label ? t('alarms.text.analyticLabel', { kind, label: a.details.label, camera }) : t('alarms.text.analytic', { kind, camera });
    }
    case 'plate-watchlist':
      return t('alarms.text.plate', { plate: a.details.plate, checkpoint: localText(a.details.checkpointName) || a.details.checkpointId });
    case 'manual':
      return a.details.note || t('alarms.type.manual');
    case 'drone-threat':
      return droneThreatTitle(a.details);
    case 'drone-swarm':
      return swarmTitle(a.details);
    default:
      return t(`alarms.type.${(a as Alarm).type}`);
  }
}

/**
 * A drone alarm's title: the drone and the worst of what it does, in that order of gravity (penetrating a
 * surface, on an approach or take-off path, in a circle, in the inspection area), and whether the runway it
 * threatens is in use (or suspended for it): 无人机 …C00BD4X 侵入 02L 进近面 31 米 · 跑道使用中.
 */
function droneThreatTitle(d: AlarmDetails<'drone-threat'>): string {
  const circle = d.reasons.find((r) => r.code === 'circle');
  const path = d.reasons.find((r) => r.code === 'path');
  let what: string;
  if (d.surface && d.penetrationM > 0) what = t('drones.alarm.penetrates', { surface: surfaceName(d.surface, d.runway), m: Math.round(d.penetrationM) });
  else if (path?.code === 'path') what = t('drones.alarm.onPath', { runway: path.runway, kind: t(`drones.alarm.pathKind.${path.kind}`) });
  else if (circle?.code === 'circle') what = t('drones.alarm.inCircle', { circle: localText(circle.name) || t(`rings.${circle.ring}`) });
  else if (d.reasons.some((r) => r.code === 'inspection-area')) what = t('drones.alarm.inInspection');
  else what = t('drones.alarm.level', { level: levelText(d.level) });
  const title = t('drones.alarm.title', { label: shortLabel(d.label), what });
  if (d.reasons.some((r) => r.code === 'runway-suspended')) return `${title} · ${t('drones.alarm.runwaySuspended')}`;
  return d.runwayInUse ? `${title} · ${t('drones.alarm.runwayInUse')}` : title;
}

/** 无人机蜂群 50 架 · 内圈: the count and the innermost ring any member is in. */
function swarmTitle(d: AlarmDetails<'drone-swarm'>): string {
  const title = t('drones.alarm.swarm', { n: d.count });
  const ring = innermostRing(d.reasons);
  return ring ? `${title} · ${t(`drones.ring.${ring}`)}` : title;
}

const RING_ORDER = ['core', 'inner', 'outer', 'remote'] as const;
function innermostRing(reasons: AlarmDetails<'drone-swarm'>['reasons']): string | null {
  const rings = new Set(reasons.flatMap((r) => (r.code === 'circle' ? [r.ring] : [])));
  return RING_ORDER.find((r) => rings.has(r)) ?? null;
}

/** An analytic event's kind in words (周界入侵, Loitering …). */
export function analyticText(kind: string): string {
  return i18n.global.te(`alarms.text.analytics.${kind}`) ? t(`alarms.text.analytics.${kind}`) : kind;
}

/** The brief label of an alarm's marker on the map: the target and what happened. */
export function alarmMapLabel(a: Alarm): string {
  switch (a.type) {
    case 'touch-circle':
      return `${a.details.trackLabel} · ${t('alarms.short.touch-circle')} ${t(`rings.${a.details.ring}`)}`;
    case 'clearance-penetration':
      return `${a.details.trackLabel} · ${t('alarms.text.shortPenetration', { m: Math.round(a.details.penetrationM) })}`;
    case 'manual': {
      const note = a.details.note.length > 10 ? `${a.details.note.slice(0, 9)}…` : a.details.note;
      return note ? `${t('alarms.short.manual')} · ${note}` : t('alarms.type.manual');
    }
    case 'camera-offline':
    case 'camera-frozen':
      return `${t(`alarms.short.${a.type}`)} ${a.details.cameraIds.length}`;
    case 'video-analytic':
      return `${analyticText(a.details.analytic)} · ${localText(a.details.cameraName) || a.details.cameraId}`;
    case 'plate-watchlist':
      return `${t('alarms.short.plate-watchlist')} ${a.details.plate}`;
    case 'drone-threat': {
      const label = t('drones.alarm.short', { label: shortLabel(a.details.label) });
      return a.details.penetrationM > 0 ? `${label} · ${t('drones.alarm.shortPenetration', { m: Math.round(a.details.penetrationM) })}` : `${label} · ${levelText(a.details.level)}`;
    }
    case 'drone-swarm':
      return swarmTitle(a.details);
    default:
      return t(`alarms.type.${a.type}`);
  }
}

/** Facts under the title: the circles a target crossed, the deepest penetration, how long a source is silent. */
export function alarmFacts(a: Alarm, pack: SitePack | undefined): string[] {
  switch (a.type) {
    case 'touch-circle': {
      const names = a.details.path.map((id) => localText(pack?.perceptionCircles.find((c) => c.id === id)?.name) || id);
      return names.length > 1 ? [t('alarms.text.path', { path: names.join(sep()) })] : [];
    }
    case 'clearance-penetration':
      return [t('alarms.text.maxPenetration', { m: Math.round(a.details.maxPenetrationM), alt: Math.round(a.details.altM) })];
    case 'source-silent':
      return [t('alarms.text.silentFor', { s: a.details.silentForS })];
    case 'camera-offline':
    case 'camera-frozen':
      return a.details.peak && a.details.peak > a.details.cameraIds.length ? [t('alarms.text.peak', { n: a.details.peak })] : [];
    case 'drone-threat': {
      const facts = a.details.reasons.map((r) => reasonText(r));
      if (a.details.maxPenetrationM > 0) facts.push(t('drones.alarm.maxPenetration', { m: Math.round(a.details.maxPenetrationM), alt: Math.round(a.details.altM) }));
      if (a.details.maxLevel > a.details.level) facts.push(t('drones.alarm.maxLevel', { level: levelText(a.details.maxLevel) }));
      return facts;
    }
    case 'drone-swarm': {
      const facts = a.details.reasons.filter((r) => r.code !== 'swarm').map((r) => reasonText(r));
      if (a.details.peak > a.details.count) facts.push(t('drones.alarm.swarmPeak', { n: a.details.peak }));
      return facts;
    }
    case 'plate-watchlist':
      return [t('alarms.text.plateFacts', { direction: t(`alarms.text.directions.${a.details.direction}`), lane: a.details.lane, reason: a.details.reason })];
    default:
      return [];
  }
}

/**
 * The target an alarm is about, if any: a perception target (source/trackId) or a fused drone track (its id,
 * e.g. UAS-000042; the two never collide: drone ids have no slash).
 */
export function alarmTrackId(a: Alarm): string | null {
  if (a.type === 'touch-circle' || a.type === 'clearance-penetration') return `${a.details.sourceId}/${a.details.trackId}`;
  if (a.type === 'drone-threat') return a.details.trackId;
  return null;
}

/** The drone tracks an alarm is about: its track, or every member of a swarm. */
export function alarmDroneIds(a: Alarm): string[] {
  if (a.type === 'drone-threat') return [a.details.trackId];
  if (a.type === 'drone-swarm') return a.details.trackIds;
  return [];
}
