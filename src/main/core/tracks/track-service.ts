// Tracks from every position feed (drone detection, the manual feed; patrol GPS later), keyed by source and
// the source's own id, so that one source can never overwrite another's target. Each batch of positions is
// judged by the track alarm rules; the alarms are written first, and only once they are committed does the
// service move its own state on — a failed write (a full disk) leaves the state as it was, so that the next
// poll raises the alarm again rather than never.
import type { GeoPoint, Track } from '../../../shared/domain.ts';
import type { AlarmService, RaiseAlarm } from '../alarms/alarm-service.ts';
import type { Clock } from '../clock.ts';
import type { EventBus } from '../event-bus.ts';
import type { SiteModel } from '../site/site-model.ts';
import { TrackAlarmRules } from './track-alarms.ts';

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

  /** One source's batch of positions (one poll): alarms in one transaction, then one `tracks.changed` event. */
  async reportBatch(source: string, reports: PositionReport[]): Promise<Track[]> {
    const now = this.clock.now();
    const raised: RaiseAlarm[] = [];
    const next = reports.map(({ trackId, position, drill, attributes }) => {
      const id = trackKey(source, trackId);
      const circles = this.site.circlesAt(position.lon, position.lat);
      const innermost = circles.at(-1) ?? null;
      const track: Track = {
        id, trackId, source, position, ...attributes, at: now, circleId: innermost?.id ?? null, circleRing: innermost?.ring ?? null, live: true,
      };
      raised.push(...this.rules.evaluate(track, circles, this.insideOf.get(id) ?? new Set(), drill ?? false));
      return { track, inside: new Set(circles.map((c) => c.id)) };
    });
    await this.alarms.report(raised, undefined, this.rules.merge);
    for (const { track, inside } of next) {
      this.tracks.set(track.id, track);
      this.insideOf.set(track.id, inside);
    }
    const updated = next.map((n) => n.track);
    if (updated.length) this.bus.publish('tracks.changed', { updated, removed: [] });
    return updated;
  }

  list(): Track[] {
    return [...this.tracks.values()];
  }

  /** Drops the tracks of a source that its latest snapshot no longer has (they have left its coverage). */
  prune(source: string, current: ReadonlySet<string>): void {
    this.remove((t) => t.source === source && !current.has(t.trackId));
  }

  /** Drops the tracks of a source not reported for `maxAgeMs` (a feed that reports, not snapshots). */
  pruneOlderThan(source: string, maxAgeMs: number): void {
    const now = this.clock.now();
    this.remove((t) => t.source === source && now - t.at > maxAgeMs);
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
    const removed: string[] = [];
    for (const [id, t] of this.tracks) {
      if (!match(t)) continue;
      this.tracks.delete(id);
      this.insideOf.delete(id);
      removed.push(id);
    }
    if (removed.length) this.bus.publish('tracks.changed', { updated: [], removed });
  }
}
