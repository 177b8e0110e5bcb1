// Tracks from every position feed (drone detection, track streams, the manual feed; patrol GPS later), keyed by
// source and the source's own id, so that one source can never overwrite another's target. Each batch of
// positions is judged by the track alarm rules; the alarms are written first, and only once they are committed
// does the service move its own state on — a failed write (a full disk) leaves the state as it was, so that the
// next poll raises the alarm again rather than never. A source that goes down has its tracks marked stale.
import type { GeoPoint, Track } from '../../../shared/domain.ts';
import type { AlarmService, RaiseAlarm } from '../alarms/alarm-service.ts';
import type { Clock } from '../clock.ts';
import type { EventBus } from '../event-bus.ts';
import type { SiteModel } from '../site/site-model.ts';
import { QUIET_AFTER_CLOSE_MS, TrackAlarmRules } from './track-alarms.ts';

export interface PositionReport {
  trackId: string;
  position: GeoPoint;
  drill?: boolean;
  attributes?: Pick<Track, 'classification' | 'speedMps' | 'headingDeg' | 'remoteId'>;
}

export const trackKey = (source: string, trackId: string) => `${source}/${trackId}`;

export class TrackService {
  private readonly tracks = new Map<string, Track>();
  private readonly insideOf = new Map<string, Set<string>>();
  private readonly rules: TrackAlarmRules;

  constructor(
    private readonly site: SiteModel,
    private readonly alarms: AlarmService,
    private readonly bus: EventBus,
    private readonly clock: Clock,
  ) {
    this.rules = new TrackAlarmRules(site);
  }

  /**
   * One source's batch of positions (one poll, or what a stream delivered at once): alarms in one transaction,
   * then one `tracks.changed` event with the tracks it moved and the ones it dropped:
   *  - `replace`: the batch is the source's whole picture (a snapshot); its tracks not in it leave;
   *  - `dropOlderThanMs`: the source's tracks not reported for this long leave (a stream of updates).
   * Throws when the alarms could not be stored, and then changes nothing.
   */
  async reportBatch(source: string, reports: PositionReport[], opts: { replace?: boolean; dropOlderThanMs?: number } = {}): Promise<Track[]> {
    const now = this.clock.now();
    const raised: RaiseAlarm[] = [];
    // In order, so that a track reported twice in one batch (a stream's burst) is judged step by step.
    const latest = new Map<string, Track>();
    const insideNow = new Map<string, Set<string>>();
    for (const { trackId, position, drill, attributes } of reports) {
      const id = trackKey(source, trackId);
      const circles = this.site.circlesAt(position.lon, position.lat);
      const innermost = circles.at(-1) ?? null;
      const track: Track = {
        id, trackId, source, position, ...attributes, at: now, circleId: innermost?.id ?? null, circleRing: innermost?.ring ?? null, live: true,
        ...(drill ? { drill: true } : {}),
      };
      const before = insideNow.get(id) ?? this.insideOf.get(id) ?? new Set();
      raised.push(...this.rules.evaluate(track, circles, before, drill ?? false));
      latest.set(id, track);
      insideNow.set(id, new Set(circles.map((c) => c.id)));
    }
    await this.alarms.report(raised, undefined, this.rules.merge, { quietAfterCloseMs: QUIET_AFTER_CLOSE_MS });
    for (const [id, track] of latest) {
      this.tracks.set(id, track);
      this.insideOf.set(id, insideNow.get(id)!);
    }
    const updated = [...latest.values()];
    const reported = new Set(updated.map((t) => t.trackId));
    const removed = opts.replace || opts.dropOlderThanMs !== undefined
      ? this.drop((t) => t.source === source && !reported.has(t.trackId) &&
          (opts.replace || now - t.at > (opts.dropOlderThanMs ?? Number.POSITIVE_INFINITY)))
      : [];
    if (updated.length || removed.length) this.bus.publish('tracks.changed', { updated, removed });
    return updated;
  }

  /** Whether a source's picture has this track (by the source's own id). */
  has(source: string, trackId: string): boolean {
    return this.tracks.has(trackKey(source, trackId));
  }

  /** How many tracks a source has in the picture now. */
  countOf(source: string): number {
    let n = 0;
    for (const t of this.tracks.values()) if (t.source === source) n++;
    return n;
  }

  list(): Track[] {
    return [...this.tracks.values()];
  }

  /** Drops the tracks of a source not reported for `maxAgeMs` (a feed that reports, not snapshots). */
  pruneOlderThan(source: string, maxAgeMs: number): void {
    const now = this.clock.now();
    this.remove((t) => t.source === source && now - t.at > maxAgeMs);
  }

  /** Drops every track of a source at once (a drill's tracks when it ends); returns their ids. */
  removeSource(source: string): string[] {
    const removed = this.drop((t) => t.source === source);
    if (removed.length) this.bus.publish('tracks.changed', { updated: [], removed });
    return removed;
  }

  /** Marks a source's tracks stale (its source is down) or live again. */
  setLive(source: string, live: boolean): void {
    const changed: Track[] = [];
    for (const t of this.tracks.values()) {
      if (t.source === source && t.live !== live) {
        t.live = live;
        changed.push(t);
      }
    }
    if (changed.length) this.bus.publish('tracks.changed', { updated: changed, removed: [] });
  }

  private remove(match: (t: Track) => boolean): void {
    const removed = this.drop(match);
    if (removed.length) this.bus.publish('tracks.changed', { updated: [], removed });
  }

  private drop(match: (t: Track) => boolean): string[] {
    const removed: string[] = [];
    for (const [id, t] of this.tracks) {
      if (!match(t)) continue;
      this.tracks.delete(id);
      this.insideOf.delete(id);
      removed.push(id);
    }
    return removed;
  }
}

