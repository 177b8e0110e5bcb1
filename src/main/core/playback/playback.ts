// Playback (回放): any recorded period — a drill's, or a live one for incident review — as an index of events
// to jump to and the picture at any instant. Reads only: playback never changes stored data.
//  - The picture at `at`: each track's last position within TRACK_STALE_MS (the recorder writes every track in the
//    picture at least that often), drones from their detections likewise; the alarms open then with the state
//    they had (from their stage times) and the severity (from later escalations on the record); each camera's and
//    unit's last recorded state within a state keyframe; the operators' actions of the last ACTIONS_WINDOW_MS.
//  - Seek cost does not grow with the period: every read is a short time range on a time-ordered table.
import type { AlarmState, Severity } from '../../../shared/domain.ts';
import type { PlaybackFrame, PlaybackIndex } from '../../../shared/drills.ts';
import { ApiError } from '../calls.ts';
import type { Database } from '../store/database.ts';
import { parseDetails, PeriodReader, alarmStateAt, SYSTEM_ACTOR, type DrillLogRow } from './period-reader.ts';
import { DEFAULT_RECORDER_LIMITS, TRACK_STALE_MS, stateWindowMs, type RecorderLimits } from './recorder.ts';
import { RecordingRepository } from './recording-repository.ts';

/** The index lists at most this many events (the earliest). */
export const INDEX_EVENT_CAP = 5_000;
/** A frame's operator actions: those of this long before the instant. */
export const ACTIONS_WINDOW_MS = 10_000;

export interface PlaybackDeps {
  db: Database;
  /** The recorder's keyframe timing, to know how far back a state may lie. */
  limits?: Pick<RecorderLimits, 'stateKeyframeMs' | 'flushEveryMs'>;
}

type Period = { from: number; to: number; drillId?: string };
type IndexEvent = PlaybackIndex['events'][number];

/**
 * The drill's clock as anchors: from each control of its log on, drill time runs at `speed` × wall time (0 while
 * paused), so that playback labels instants in the plan's T+ even for a drill run at 10×.
 */
function drillClockOf(log: DrillLogRow[], startSpeed: number): PlaybackIndex['drillClock'] {
  const anchors: NonNullable<PlaybackIndex['drillClock']> = [];
  let speed = startSpeed;
  let paused = false;
  for (const e of log) {
    if (e.kind === 'speed') speed = Number(e.detail) || speed;
    else if (e.kind === 'pause') paused = true;
    else if (e.kind === 'resume') paused = false;
    else if (e.kind === 'end' || e.kind === 'abort') paused = true;
    else if (e.kind !== 'start' && e.kind !== 'skip') continue;
    anchors.push({ at: e.wallAt, drillMs: e.drillMs, speed: paused ? 0 : speed });
  }
  return anchors;
}

export class Playback {
  private readonly recording: RecordingRepository | null;
  private readonly reader: PeriodReader | null;
  private readonly stateWindow: number;

  /** Without deps (a core that records nothing), every call says playback is unavailable. */
  constructor(deps?: PlaybackDeps) {
    this.recording = deps ? new RecordingRepository(deps.db) : null;
    this.reader = deps ? new PeriodReader(deps.db) : null;
    this.stateWindow = stateWindowMs(deps?.limits ?? DEFAULT_RECORDER_LIMITS);
  }

  async open(period: Period): Promise<PlaybackIndex> {
    const { reader, recording } = this.ready();
    checkPeriod(period);
    const { from, to, drillId } = period;
    const limit = INDEX_EVENT_CAP + 1;
    const [raised, audit, drillLog, tracks, drones] = await Promise.all([
      reader.alarmsRaised(from, to, limit),
      // The raise is listed from the alarms table (with its title); the record's copy of it would double it.
      reader.audit(from, to, { limit, skipActions: ['alarm.raise'] }),
      drillId ? reader.drillLog(drillId, limit) : Promise.resolve([]),
      recording.trackCount(from, to),
      reader.droneCount(from, to),
    ]);
    const subjects = audit.map((a) => alarmOf(a.subject, a.details));
    const titles = await reader.alarmTitles([...new Set(subjects.filter((s): s is string => s !== undefined))]);

    const events: Array<IndexEvent & { order: number }> = [];
    for (const a of raised) {
      events.push({ at: a.raisedAt, kind: 'alarm.raise', subject: a.id, text: a.drill ? `【演练】${a.title}` : a.title, order: 0 });
    }
    audit.forEach((a, i) => {
      const subject = subjects[i] ?? a.subject ?? undefined;
      const title = subject ? titles.get(subject) : undefined;
      events.push({
        at: a.at, kind: a.action, ...(subject ? { subject } : {}), actor: a.actor,
        text: title ? `${a.name} · ${title}` : a.name, order: 1,
      });
    });
    for (const d of drillLog) {
      // Entries from before the period (a drill's wall times) are clamped to it, so that a jump lands inside.
      const at = Math.min(to, Math.max(from, d.wallAt));
      events.push({ at, kind: `drill.${d.kind}`, ...(d.stepId ? { subject: d.stepId } : {}), text: drillText(d), order: 2 });
    }
    events.sort((a, b) => a.at - b.at || a.order - b.order);
    const truncated = raised.length > INDEX_EVENT_CAP || audit.length > INDEX_EVENT_CAP || drillLog.length > INDEX_EVENT_CAP || events.length > INDEX_EVENT_CAP;
    // Each list was cut at the cap: past the first list's end, the merged order is no longer complete.
    const complete = Math.min(
      ...[raised.map((r) => r.raisedAt), audit.map((a) => a.at), drillLog.map((d) => d.wallAt)]
        .filter((list) => list.length > INDEX_EVENT_CAP)
        .map((list) => list[INDEX_EVENT_CAP]),
    );
    const listed = events.filter((e) => e.at < complete).slice(0, INDEX_EVENT_CAP).map(({ order: _order, ...e }) => e);
    const drillClock = drillId ? drillClockOf(drillLog, await reader.drillStartSpeed(drillId)) : undefined;
    return { from, to, ...(drillId ? { drillId, drillClock } : {}), events: listed, tracks: tracks + drones, cap: INDEX_EVENT_CAP, truncated };
  }

  async frame(period: Period, at: number): Promise<PlaybackFrame> {
    const { reader, recording } = this.ready();
    checkPeriod(period);
    if (!Number.isFinite(at) || at < period.from || at > period.to) {
      throw new ApiError('bad-request', `the instant ${iso(at)} lies outside the period ${iso(period.from)} – ${iso(period.to)}`, {
        fields: [{ path: 'at', problem: 'must lie within from and to' }],
      });
    }
    const [tracks, drones, alarms, cameras, units, actions] = await Promise.all([
      recording.tracksAt(at - TRACK_STALE_MS, at),
      reader.dronesAt(at - TRACK_STALE_MS, at),
      reader.alarmsOpenAt(at),
      recording.camerasAt(at - this.stateWindow, at),
      recording.unitsAt(at - this.stateWindow, at),
      reader.audit(at - ACTIONS_WINDOW_MS, at, { limit: 200, afterFrom: true, operatorsOnly: true }),
    ]);
    const severities = await reader.severitiesBefore(alarms.map((a) => a.id), at);
    return {
      at,
      tracks: [
        ...drones.map((d) => ({
          id: d.id, kind: 'drone' as const, lon: d.lon, lat: d.lat, altM: d.altM, level: d.level, drill: d.drill === 1, label: d.label ?? d.id,
        })),
        ...tracks.map((t) => ({
          id: t.id, kind: 'track' as const, lon: t.lon, lat: t.lat, altM: t.altM, drill: t.drill === 1, ...(t.label ? { label: t.label } : {}),
        })),
      ],
      alarms: alarms.map((a) => ({
        id: a.id,
        type: a.type,
        severity: (severities.get(a.id) ?? a.severity) as Severity,
        state: alarmStateAt(a, at) satisfies AlarmState,
        position: a.lon === null || a.lat === null ? null : { lon: a.lon, lat: a.lat, ...(a.altM === null ? {} : { altM: a.altM }) },
        drill: a.drill === 1,
        raisedAt: a.raisedAt,
        title: a.title,
      })),
      units: units.filter((u) => u.lon !== null && u.lat !== null).map((u) => ({ id: u.unitId, callSign: u.callSign, status: u.status, lon: u.lon!, lat: u.lat! })),
      cameras: cameras.map((c) => ({ id: c.cameraId, online: c.health === 'online' || c.health === 'frozen', health: c.health, drill: c.drill === 1 })),
      actions: actions.filter((a) => a.actor !== SYSTEM_ACTOR).map((a) => ({
        at: a.at, actor: a.actor, action: a.action, ...(a.subject ? { subject: alarmOf(a.subject, a.details) ?? a.subject } : {}),
      })),
    };
  }

  async stop(): Promise<void> {}

  private ready(): { reader: PeriodReader; recording: RecordingRepository } {
    if (!this.reader || !this.recording) throw new ApiError('unavailable', 'playback is not available: this console records nothing');
    return { reader: this.reader, recording: this.recording };
  }
}

function checkPeriod(p: Period): void {
  if (!Number.isFinite(p.from) || !Number.isFinite(p.to) || p.to <= p.from) {
    throw new ApiError('bad-request', `the period ends (${iso(p.to)}) before it starts (${iso(p.from)})`, {
      fields: [{ path: 'to', problem: 'must be after from' }],
    });
  }
}

const iso = (t: number) => (Number.isFinite(t) && Math.abs(t) < 8.64e15 ? new Date(t).toISOString() : String(t));

/** The alarm an entry concerns: its subject, or for a dispatch order the alarm named in its details. */
function alarmOf(subject: string | null, details: string): string | undefined {
  const alarm = parseDetails(details).alarm;
  return typeof alarm === 'string' ? alarm : (subject ?? undefined);
}

function drillText(d: { drillMs: number; kind: string; stepId: string | null; detail: string | null }): string {
  const s = Math.floor(d.drillMs / 1000);
  const clock = `T+${String(Math.floor(s / 60)).padStart(2, '0')}:${String(s % 60).padStart(2, '0')}`;
  return [clock, d.stepId, d.detail].filter((x) => x !== null && x !== '').join(' ');
}
