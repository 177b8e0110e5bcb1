// The recorder: keeps what playback needs and no other table keeps the history of — the general tracks'
// positions, the cameras' health, the units' statuses and positions — from the core's event bus.
//  - Batched: events are buffered and written once a second (one transaction) on the core's clock.
//  - Bounded: at most `rowsPerFlush` track positions a second (a track reported several times in a second keeps
//    its last position, so the cap bites only past that many tracks); what goes over is dropped, counted and
//    logged (at most once a minute), never silently. Rows older than `retentionMs` are pruned on the clock.
//  - Keyframes: a track still in the picture but not reported is written again every `trackKeyframeMs`, so that
//    playback finds every track in a short window before any instant; every camera's and unit's state is written
//    every `stateKeyframeMs`, so that their last state lies within that window.
import type { Track } from '../../../shared/domain.ts';
import type { Unit } from '../../../shared/response.ts';
import type { CameraState } from '../../../shared/video.ts';
import { every, type Clock, type Timer } from '../clock.ts';
import type { EventBus } from '../event-bus.ts';
import type { Database } from '../store/database.ts';
import { RecordingRepository, type CameraStateRow, type TrackPointRow, type UnitStateRow } from './recording-repository.ts';

export interface RecorderLimits {
  flushEveryMs: number;
  /** Track positions written per flush at most. */
  rowsPerFlush: number;
  /** Camera and unit states written per flush at most (a keyframe of every camera must fit). */
  stateRowsPerFlush: number;
  trackKeyframeMs: number;
  stateKeyframeMs: number;
  retentionMs: number;
  pruneEveryMs: number;
  /** How often the dropped count is logged at most. */
  dropLogEveryMs: number;
}

export const DEFAULT_RECORDER_LIMITS: RecorderLimits = {
  flushEveryMs: 1_000,
  rowsPerFlush: 5_000,
  stateRowsPerFlush: 20_000,
  trackKeyframeMs: 5_000,
  stateKeyframeMs: 10 * 60_000,
  retentionMs: 7 * 24 * 3600_000,
  pruneEveryMs: 3600_000,
  dropLogEveryMs: 60_000,
};

/**
 * How far back playback looks for a row at an instant: a track's last position counts for this long (longer than
 * the track keyframe, with a flush to spare); a camera's or unit's state for a state keyframe and two flushes.
 */
export const TRACK_STALE_MS = 10_000;
export const stateWindowMs = (limits: Pick<RecorderLimits, 'stateKeyframeMs' | 'flushEveryMs'> = DEFAULT_RECORDER_LIMITS) =>
  limits.stateKeyframeMs + 2 * limits.flushEveryMs;

export interface RecorderDeps {
  db: Database;
  bus: EventBus;
  clock: Clock;
  tracks: { list(): Track[] };
  cameras: { states(): CameraState[] };
  units: { list(): Unit[] };
  log: (line: string) => void;
  limits?: Partial<RecorderLimits>;
}

/** A drill flag where the object carries one (drill tracks and drill camera outages may say so). */
const drillOf = (o: object): 0 | 1 => ((o as { drill?: unknown }).drill === true ? 1 : 0);

export class Recorder {
  readonly limits: RecorderLimits;
  private readonly repo: RecordingRepository;
  private readonly pendingTracks = new Map<string, TrackPointRow>();
  private pendingCameras: CameraStateRow[] = [];
  private readonly pendingUnits = new Map<string, UnitStateRow>();
  /** When each track in the picture was last written (or is pending), for its keyframe. */
  private readonly trackWrittenAt = new Map<string, number>();
  private readonly lastCamera = new Map<string, string>();
  private readonly lastUnit = new Map<string, string>();
  private lastStateKeyframe = Number.NEGATIVE_INFINITY;
  /** Dropped since the last log line, and in all. */
  private dropped = { tracks: 0, states: 0 };
  private droppedTotal = { tracks: 0, states: 0 };
  private lastDropLog = Number.NEGATIVE_INFINITY;
  private written = 0;
  private flushing: Promise<void> = Promise.resolve();
  private pruning: Promise<void> = Promise.resolve();
  private busy = false;
  private timers: Timer[] = [];
  private unsubscribe: (() => void) | null = null;

  constructor(private readonly deps: RecorderDeps) {
    this.limits = { ...DEFAULT_RECORDER_LIMITS, ...deps.limits };
    this.repo = new RecordingRepository(deps.db);
  }

  start(): void {
    if (this.unsubscribe) return;
    this.unsubscribe = this.deps.bus.subscribe((event, payload) => {
      if (event === 'tracks.changed') this.onTracks(payload as { updated: Track[]; removed: string[] });
      else if (event === 'cameras.changed') this.onCameras((payload as { states: CameraState[] }).states);
      else if (event === 'units.changed') this.onUnits((payload as { units: Unit[] }).units);
    });
    this.timers.push(every(this.deps.clock, this.limits.flushEveryMs, () => void this.flush()));
    this.timers.push(every(this.deps.clock, this.limits.pruneEveryMs, () => {
      this.pruning = this.pruning.then(() => this.prune().then(() => undefined));
    }));
  }

  /** Stops listening and writes what is buffered. */
  async stop(): Promise<void> {
    this.unsubscribe?.();
    this.unsubscribe = null;
    for (const t of this.timers) t.cancel();
    this.timers = [];
    await this.flushing;
    await this.pruning;
    await this.flush(false);
    this.logDropped(true);
  }

  /** Resolves once the flush and the pruning under way (if any) are done. */
  async settled(): Promise<void> {
    await this.flushing;
    await this.pruning;
  }

  stats(): { written: number; droppedTracks: number; droppedStates: number } {
    return { written: this.written, droppedTracks: this.droppedTotal.tracks, droppedStates: this.droppedTotal.states };
  }

  /** Writes the buffer (with the keyframes due) in one transaction; a flush still under way is not doubled. */
  flush(keyframes = true): Promise<void> {
    if (this.busy) return this.flushing;
    if (keyframes) this.addKeyframes();
    const batch = {
      tracks: [...this.pendingTracks.values()],
      cameras: this.pendingCameras,
      units: [...this.pendingUnits.values()],
    };
    this.pendingTracks.clear();
    this.pendingCameras = [];
    this.pendingUnits.clear();
    this.logDropped(false);
    const rows = batch.tracks.length + batch.cameras.length + batch.units.length;
    if (!rows) return this.flushing;
    this.busy = true;
    this.flushing = this.repo.write(batch).then(
      () => {
        this.written += rows;
      },
      (err: Error) => this.deps.log(`Recording: ${rows} rows of the last second were not stored (playback will miss them): ${err.message}`),
    ).finally(() => {
      this.busy = false;
    });
    return this.flushing;
  }

  /** Deletes what is older than the retention. */
  async prune(): Promise<number> {
    try {
      const n = await this.repo.pruneBefore(this.deps.clock.now() - this.limits.retentionMs);
      if (n) this.deps.log(`Recording: pruned ${n} rows older than ${Math.round(this.limits.retentionMs / 86_400_000 * 10) / 10} days.`);
      return n;
    } catch (err) {
      this.deps.log(`Recording: pruning failed (tried again in ${Math.round(this.limits.pruneEveryMs / 60_000)} min): ${(err as Error).message}`);
      return 0;
    }
  }

  // ---- from the bus ----

  private onTracks({ updated, removed }: { updated: Track[]; removed: string[] }): void {
    for (const t of updated) {
      this.putTrack({
        id: t.id, at: t.at, lon: t.position.lon, lat: t.position.lat, altM: t.position.altM ?? 0, gone: 0, drill: drillOf(t),
        label: t.remoteId?.serial ?? null,
      });
    }
    const now = this.deps.clock.now();
    for (const id of removed) {
      const last = this.pendingTracks.get(id);
      this.putTrack({ id, at: now, lon: last?.lon ?? 0, lat: last?.lat ?? 0, altM: last?.altM ?? 0, gone: 1, drill: last?.drill ?? 0, label: null });
      this.trackWrittenAt.delete(id);
    }
  }

  private putTrack(row: TrackPointRow): void {
    // A track reported again within the second keeps its latest position; a new one past the cap is dropped.
    if (!this.pendingTracks.has(row.id) && this.pendingTracks.size >= this.limits.rowsPerFlush) {
      this.dropped.tracks++;
      this.droppedTotal.tracks++;
      return;
    }
    this.pendingTracks.set(row.id, row);
    if (!row.gone) this.trackWrittenAt.set(row.id, row.at);
  }

  private onCameras(states: CameraState[]): void {
    for (const s of states) {
      // A preset change publishes the camera too: only a change of health is recorded.
      if (this.lastCamera.get(s.id) === s.health) continue;
      this.lastCamera.set(s.id, s.health);
      this.putCamera({ at: this.deps.clock.now(), cameraId: s.id, health: s.health, drill: drillOf(s) });
    }
  }

  private putCamera(row: CameraStateRow): void {
    if (this.pendingCameras.length + this.pendingUnits.size >= this.limits.stateRowsPerFlush) {
      this.dropped.states++;
      this.droppedTotal.states++;
      return;
    }
    this.pendingCameras.push(row);
  }

  private onUnits(units: Unit[]): void {
    for (const u of units) {
      const fingerprint = `${u.status}|${u.position?.lon ?? ''}|${u.position?.lat ?? ''}`;
      if (this.lastUnit.get(u.id) === fingerprint) continue;
      this.lastUnit.set(u.id, fingerprint);
      this.putUnit(u);
    }
  }

  private putUnit(u: Unit): void {
    if (!this.pendingUnits.has(u.id) && this.pendingCameras.length + this.pendingUnits.size >= this.limits.stateRowsPerFlush) {
      this.dropped.states++;
      this.droppedTotal.states++;
      return;
    }
    this.pendingUnits.set(u.id, {
      at: this.deps.clock.now(), unitId: u.id, callSign: u.callSign, status: u.status, lon: u.position?.lon ?? null, lat: u.position?.lat ?? null,
    });
  }

  // ---- keyframes ----

  private addKeyframes(): void {
    const now = this.deps.clock.now();
    const due = now - this.limits.trackKeyframeMs;
    for (const t of this.deps.tracks.list()) {
      if ((this.trackWrittenAt.get(t.id) ?? Number.NEGATIVE_INFINITY) > due) continue;
      this.putTrack({
        id: t.id, at: now, lon: t.position.lon, lat: t.position.lat, altM: t.position.altM ?? 0, gone: 0, drill: drillOf(t),
        label: t.remoteId?.serial ?? null,
      });
    }
    if (now - this.lastStateKeyframe < this.limits.stateKeyframeMs) return;
    this.lastStateKeyframe = now;
    const cameras = this.deps.cameras.states();
    // The keyframe supersedes what is pending for the same instant (the same key would be replaced anyway).
    const keyed = new Set(cameras.map((s) => s.id));
    this.pendingCameras = this.pendingCameras.filter((r) => !keyed.has(r.cameraId) || r.at !== now);
    for (const s of cameras) {
      this.lastCamera.set(s.id, s.health);
      this.putCamera({ at: now, cameraId: s.id, health: s.health, drill: drillOf(s) });
    }
    for (const u of this.deps.units.list()) {
      this.lastUnit.set(u.id, `${u.status}|${u.position?.lon ?? ''}|${u.position?.lat ?? ''}`);
      this.putUnit(u);
    }
  }

  private logDropped(final: boolean): void {
    const { tracks, states } = this.dropped;
    if (!tracks && !states) return;
    const now = this.deps.clock.now();
    if (!final && now - this.lastDropLog < this.limits.dropLogEveryMs) return;
    this.lastDropLog = now;
    this.deps.log(
      `Recording: over the cap, dropped ${tracks} track positions (cap ${this.limits.rowsPerFlush} a second) and ${states} camera/unit states ` +
        `(cap ${this.limits.stateRowsPerFlush} a second) since the last report; playback misses them.`,
    );
    this.dropped = { tracks: 0, states: 0 };
  }
}
