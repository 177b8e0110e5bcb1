// Drone facts in the operator's language, from typed data (never from text the core formatted): threat reasons,
// suggested actions, surfaces named by runway, ages. Plain functions over the global i18n instance, shared by the
// track card, the map labels and the alarm wording.
import type { ClearanceSurfaceName } from '../../../../shared/clearance.ts';
import { getActivePinia } from 'pinia';
import type { DroneTrack, Permit, SuggestedAction, ThreatLevel, ThreatReason } from '../../../../shared/drones.ts';
import { i18n, localText } from '../../i18n/index.ts';

const t = (key: string, values?: Record<string, unknown>): string => (values ? i18n.global.t(key, values) : i18n.global.t(key));

/**
 * A long id cut for labels, keeping its end (1581F5FJD239C00BD4X → …C00BD4X): serials of one maker, and ULIDs of
 * one sensor, share their start (the maker's code, the time), so only the end tells two drones apart. The card
 * shows it whole.
 */
export function shortLabel(label: string): string {
  return label.length > 10 ? `…${label.slice(-7)}` : label;
}

/**
 * The permit of an id from the drone store's permits when a store is active (the console), else null (a unit
 * test without Pinia). Read from Pinia's state so that this module does not import the store and its API.
 */
export function storedPermit(id: string): Permit | null {
  const permits = (getActivePinia()?.state.value as Record<string, { permits?: Permit[] } | undefined> | undefined)?.drones?.permits;
  return permits?.find((p) => p.id === id) ?? null;
}

/** Who holds a permit: its operator, else a short form of its id (never the whole uuid). */
export function permitHolder(id: string, permitOf: (id: string) => Permit | null = storedPermit): string {
  return permitOf(id)?.operator || t('drones.reason.permitId', { id: shortLabel(id) });
}

/** An ASTM F3411 UA type in words (直升机/多旋翼); a reserved or private value by its number. */
export function uaTypeText(uaType: string): string {
  if (i18n.global.te(`drones.uaType.${uaType}`)) return t(`drones.uaType.${uaType}`);
  const other = /^(reserved|private)-(\d+)$/.exec(uaType);
  return other ? t(`drones.uaType.${other[1]}`, { n: other[2] }) : uaType;
}

/** A clearance surface by its runway end: 02L 进近面 / the 02L approach surface. */
export function surfaceName(surface: ClearanceSurfaceName | string, runway: string | null): string {
  const name = i18n.global.te(`drones.surface.${surface}`) ? t(`drones.surface.${surface}`) : surface;
  return runway ? t('drones.surfaceOfRunway', { runway, surface: name }) : name;
}

export function levelText(level: ThreatLevel): string {
  return t(`drones.level.${level}`);
}

/**
 * A position, latitude first and each labelled, the one order of every drone view and message:
 * 北纬 29.69263，东经 106.63186 / 29.69263° N, 106.63186° E.
 */
export function latLonText(p: { lon: number; lat: number }): string {
  return t('drones.latLon', {
    lat: Math.abs(p.lat).toFixed(5), ns: t(`drones.hemisphere.${p.lat < 0 ? 'S' : 'N'}`),
    lon: Math.abs(p.lon).toFixed(5), ew: t(`drones.hemisphere.${p.lon < 0 ? 'W' : 'E'}`),
  });
}

/** A distance in metres, or in kilometres from 1 km up (1.2 公里). */
export function distanceText(m: number): string {
  return m >= 1000 ? t('drones.card.kilometres', { n: (m / 1000).toFixed(1) }) : t('drones.card.metres', { n: Math.round(m) });
}

/** How long ago (12 秒前 / 2 min 5 s ago). */
export function ageText(ms: number): string {
  const s = Math.max(0, Math.round(ms / 1000));
  const age = s < 60 ? t('drones.seconds', { n: s }) : t('drones.minutes', { n: Math.floor(s / 60), s: s % 60 });
  return t('drones.ago', { age });
}

/** One reason for a threat level, worded; `permitOf` names the operator of a permit (the drone store's by default). */
export function reasonText(r: ThreatReason, permitOf: (id: string) => Permit | null = storedPermit): string {
  switch (r.code) {
    case 'circle':
      return t('drones.reason.circle', { name: localText(r.name) || t(`rings.${r.ring}`) });
    case 'penetration':
      return t('drones.reason.penetration', { surface: surfaceName(r.surface, r.runway), m: Math.round(r.penetrationM) });
    case 'path':
      return t(`drones.reason.${r.kind}`, { runway: r.runway, along: distanceText(r.alongM), lateral: Math.round(Math.abs(r.lateralM)) });
    case 'runway-in-use':
    case 'runway-closed':
    case 'runway-suspended':
      return t(`drones.reason.${r.code}`, { runway: r.runway });
    case 'permit-inside':
      return t('drones.reason.permit-inside', { operator: permitHolder(r.permitId, permitOf) });
    case 'permit-outside':
      return t('drones.reason.permit-outside', { operator: permitHolder(r.permitId, permitOf), why: t(`drones.reason.why.${r.why}`) });
    case 'landed':
      return t('drones.reason.landed', { h: Math.round(r.heightAglM) });
    case 'no-remote-id':
      return r.count === undefined ? t('drones.reason.no-remote-id') : t('drones.reason.noRemoteIdCount', { n: r.count });
    case 'swarm':
      return t('drones.reason.swarm', { n: r.count });
    default:
      return t(`drones.reason.${r.code}`);
  }
}

export function actionText(a: SuggestedAction): string {
  return t(`drones.action.${a}`);
}

/** The map label of a track: its (short) label and height above ground; a drill track says so. */
export function droneMapLabel(track: DroneTrack, aglM: number): string {
  return t(track.drill ? 'drones.map.drill' : 'drones.map.label', { label: shortLabel(track.label), h: aglM });
}
