// The fusion: detections from every drone sensor become one track per object (association.ts), each stored
// with the track it joined (drone-track-repository.ts), each changed track judged (ThreatJudge) and its alarms
// written (DroneAlarmPolicy), and only then the picture moves and one `drones.changed` goes out. Batches run
// one after another, so that each one associates against what the previous one made. A timer on the core's
// clock ages tracks (active → aging → lost) and drops them; old history is deleted hourly (drone-history.ts).
import type { DroneHistory } from '../../../shared/contract/drones.ts';
import { TRACK_DROPPED_AFTER_MS, type DroneDetection, type DroneTrack } from '../../../shared/drones.ts';
import { every, type Clock, type Timer } from '../clock.ts';
import type { EventBus } from '../event-bus.ts';
import type { SiteModel } from '../site/site-model.ts';
import { LogThrottle } from '../sources/log-throttle.ts';
import { printable } from '../sources/printable.ts';
import type { Database } from '../store/database.ts';
import { associate, groupByObject } from './association.ts';
import { checkDetections } from './detection-check.ts';
import type { DroneAlarmPolicy, DroneIntake, ThreatJudge } from './drone-ports.ts';
import { DEFAULT_HISTORY_KEEP_MS, DroneHistoryRetention } from './drone-history.ts';
import { DroneTrackRepository, type StoredDetection, type StoredTrack } from './drone-track-repository.ts';
import { cloneFused, mergeDetection, newFused, stateAfter, toDroneTrack, type FusedTrack } from './fused-track.ts';

export const STATE_TICK_MS = 1_000;
/** At most this many rejected detections are logged per batch (then a count): a broken adapter must not flood the log. */
const PROBLEMS_LOGGED = 3;
/** A sensor's "skipped" line: at most one per this long (the count of what was skipped meanwhile goes on the next). */
const SKIPPED_LOG_EVERY_MS = 10_000;

export const consoleTrackId = (n: number) => `UAS-${String(n).padStart(6, '0')}`;

export interface DroneFusionDeps {
  db: Database;
  clock: Clock;
  bus: EventBus;
  site: SiteModel;
  threat: ThreatJudge;
  alarms: DroneAlarmPolicy;
  log: (line: string) => void;
  /** How long detections are kept (default 90 days). */
  historyKeepMs?: number;
}

export class DroneFusion implements DroneIntake {
  private readonly tracks = new Map<string, FusedTrack>();
  private readonly repo: DroneTrackRepository;
  private readonly retention: DroneHistoryRetention;
  private lastSequence = 0;
  /** Batches and re-judgements, one at a time. */
  private queue: Promise<unknown> = Promise.resolve();
  private stateTimer: Timer | null = null;
  private readonly skippedLog = new Map<string, LogThrottle>();

  constructor(private readonly deps: DroneFusionDeps) {
    this.repo = new DroneTrackRepository(deps.db);
    this.retention = new DroneHistoryRetention({ repo: this.repo, clock: deps.clock, keepMs: deps.historyKeepMs ?? DEFAULT_HISTORY_KEEP_MS, log: deps.log });
  }

  /** Loads what it needs and starts its state timer (active → aging → lost → dropped). */
  async start(): Promise<void> {
    this.lastSequence = await this.repo.highestSequence();
    this.stateTimer = every(this.deps.clock, STATE_TICK_MS, () => this.updateStates());
    this.retention.start();
  }

  reportDetections(sensorId: string, detections: DroneDetection[]): Promise<void> {
    return this.serially(() => this.ingest(sensorId, detections));
  }

  list(): DroneTrack[] {
    return [...this.tracks.values()].map(toDroneTrack);
  }

  get(id: string): DroneTrack | undefined {
    const f = this.tracks.get(id);
    return f && toDroneTrack(f);
  }

  history(q: { trackId?: string; from?: number; to?: number; limit: number }): Promise<DroneHistory> {
    return this.repo.history(q);
  }

  /** Deletes history older than the kept period now (it also runs hourly); resolves with the detections deleted. */
  sweepHistory(): Promise<number> {
    return this.retention.sweep();
  }

  /** Re-judges every track (a permit or the runways changed) and writes what changed. */
  reassess(): Promise<void> {
    return this.serially(async () => {
      const now = this.deps.clock.now();
      const judged = new Map<string, FusedTrack>();
      for (const f of this.tracks.values()) judged.set(f.track.id, { ...f, threat: this.deps.threat.assess(f.track, now) });
      if (!judged.size) return;
      await this.repo.raiseMaxLevels([...judged.values()].map((f) => ({ id: f.track.id, level: f.threat.level })));
      await this.applyAndCommit(judged);
    });
  }

  /**
   * Drops every drill track from the picture at once (a drill ended or was aborted), after any batch under way:
   * one `drones.changed` with them removed; their history stays stored for playback. Returns their ids.
   */
  dropDrill(): Promise<string[]> {
    return this.serially(async () => {
      const removed = [...this.tracks.values()].filter((f) => f.track.drill).map((f) => f.track.id);
      for (const id of removed) this.tracks.delete(id);
      if (removed.length) this.deps.bus.publish('drones.changed', { updated: [], removed });
      return removed;
    });
  }

  async stop(): Promise<void> {
    this.stateTimer?.cancel();
    this.stateTimer = null;
    await this.retention.stop();
    await this.queue.catch(() => undefined);
  }

  private serially<T>(job: () => Promise<T>): Promise<T> {
    const next = this.queue.then(job, job);
    this.queue = next.catch(() => undefined);
    return next;
  }

  private async ingest(sensorId: string, detections: DroneDetection[]): Promise<void> {
    const { valid, problems } = checkDetections(sensorId, detections, this.deps.clock.now());
    if (problems.length) this.logSkipped(sensorId, problems, detections.length);
    if (!valid.length) return;
    const now = this.deps.clock.now();
    const elevationM = this.deps.site.pack.aerodrome.elevationM;

    // Merge on copies: the picture stays as it was until the batch is stored and its alarms written.
    const { assignments, newTracks } = associate(sensorId, groupByObject(valid), this.tracks.values());
    const newIds = Array.from({ length: newTracks }, (_, i) => consoleTrackId(this.lastSequence + 1 + i));
    const changed = new Map<string, FusedTrack>();
    const rowsOf = new Map<string, DroneDetection[]>();
    for (const { group, target } of assignments) {
      const id = target.kind === 'existing' ? target.trackId : newIds[target.slot];
      let f = changed.get(id);
      if (!f) {
        const current = this.tracks.get(id);
        f = current ? cloneFused(current) : newFused(id, group.detections[0], now);
        changed.set(id, f);
      }
      for (const d of group.detections) mergeDetection(f, d, now, elevationM);
      rowsOf.set(id, [...(rowsOf.get(id) ?? []), ...group.detections]);
    }
    const stored: StoredDetection[] = [];
    const trackRows: StoredTrack[] = [];
    for (const [id, f] of changed) {
      f.track.state = stateAfter(now - f.track.lastSeen, Number.POSITIVE_INFINITY) ?? 'lost';
      f.threat = this.deps.threat.assess(f.track, now);
      for (const detection of rowsOf.get(id)!) stored.push({ trackId: id, level: f.threat.level, detection });
      trackRows.push({
        id, label: f.track.label, classification: f.track.classification, serial: f.track.identity?.serial ?? null, identity: f.track.identity,
        firstSeen: f.track.firstSeen, lastSeen: f.track.lastSeen, level: f.threat.level, drill: f.track.drill,
      });
    }

    // (a) Stored, or nothing moved. Once stored, the new ids are spent whatever happens next.
    await this.repo.storeBatch(stored, trackRows);
    this.lastSequence += newTracks;
    // (b) and (c): the alarms written, then the picture moves.
    await this.applyAndCommit(changed);
  }

  /** Hands the picture with `changed` in it to the alarm policy; once it has written the alarms, moves the picture and publishes. */
  private async applyAndCommit(changed: Map<string, FusedTrack>): Promise<void> {
    const picture = new Map(this.tracks);
    for (const [id, f] of changed) picture.set(id, f);
    // A track already lost (nobody has seen it for long) raises nothing: nobody could find it on the map.
    const live = new Set([...changed].filter(([, f]) => f.track.state !== 'lost').map(([id]) => id));
    const swarms = await this.deps.alarms.apply([...picture.values()].map(toDroneTrack), live);

    // The state timer may have run meanwhile: each track takes the state of now, and one dropped meanwhile
    // (a re-judged track nobody has seen for long) stays dropped.
    const now = this.deps.clock.now();
    const updated = new Map<string, FusedTrack>();
    for (const [id, f] of changed) {
      const state = stateAfter(now - f.track.lastSeen, TRACK_DROPPED_AFTER_MS);
      if (state === null) continue;
      const moved = state === f.track.state ? f : { ...f, track: { ...f.track, state } };
      this.tracks.set(id, moved);
      updated.set(id, moved);
    }
    // Swarm membership moves for tracks this batch did not touch too (a swarm forms or breaks up around them).
    for (const [id, f] of this.tracks) {
      const swarmId = swarms.get(id) ?? null;
      if (f.swarmId === swarmId) continue;
      const moved = { ...f, swarmId };
      this.tracks.set(id, moved);
      updated.set(id, moved);
    }
    this.deps.bus.publish('drones.changed', { updated: [...updated.values()].map(toDroneTrack), removed: [] });
  }

  /** One line per sensor per SKIPPED_LOG_EVERY_MS; a problem can quote what the sensor sent, so it is made printable. */
  private logSkipped(sensorId: string, problems: string[], of: number): void {
    let throttle = this.skippedLog.get(sensorId);
    if (!throttle) {
      // Bounded: sensor ids come from the configuration, but a fusion must not grow without limit whatever calls it.
      if (this.skippedLog.size >= 1000) this.skippedLog.clear();
      throttle = new LogThrottle(SKIPPED_LOG_EVERY_MS);
      this.skippedLog.set(sensorId, throttle);
    }
    const admitted = throttle.admit(this.deps.clock.now(), problems.length);
    if (!admitted) return;
    const more = problems.length - PROBLEMS_LOGGED;
    const shown = problems.slice(0, PROBLEMS_LOGGED).map((p) => printable(p, 300)).join('; ');
    const earlier = admitted.held ? `; ${admitted.held} more skipped since the last line` : '';
    this.deps.log(`drones: sensor ${printable(sensorId, 80)}: skipped ${problems.length} of ${of} detections: ${shown}${more > 0 ? ` (+${more} more)` : ''}${earlier}`);
  }

  /** Ages and drops tracks on the core's clock; one event for all that moved. */
  private updateStates(): void {
    const now = this.deps.clock.now();
    const updated: DroneTrack[] = [];
    const removed: string[] = [];
    for (const [id, f] of this.tracks) {
      const state = stateAfter(now - f.track.lastSeen, TRACK_DROPPED_AFTER_MS);
      if (state === null) {
        this.tracks.delete(id);
        removed.push(id);
      } else if (state !== f.track.state) {
        const moved = { ...f, track: { ...f.track, state } };
        this.tracks.set(id, moved);
        updated.push(toDroneTrack(moved));
      }
    }
    if (updated.length || removed.length) this.deps.bus.publish('drones.changed', { updated, removed });
  }
}
