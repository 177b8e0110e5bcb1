// Tracks from any position feed (manual now; drones, patrol GPS later). A track that enters a perception
// circle it was not in raises a touch-circle alarm (触圈报警) for the innermost circle it entered. A track
// that hovers on a boundary would raise one alarm per wobble: the same track and circle raise again only
// after a quiet period.
import type { GeoPoint, Track } from '../../../shared/domain.ts';
import type { AlarmService, RaiseAlarm } from '../alarms/alarm-service.ts';
import type { Clock } from '../clock.ts';
import type { EventBus } from '../event-bus.ts';
import type { SiteModel } from '../site/site-model.ts';

export interface ReportOptions {
  drill?: boolean;
  attributes?: Pick<Track, 'classification' | 'speedMps' | 'headingDeg' | 'remoteId'>;
}

export class TrackService {
  private readonly insideOf = new Map<string, Set<string>>();
  private readonly tracks = new Map<string, Track>();
  /** When each (track, circle) last raised a touch-circle alarm. */
  private readonly lastRaised = new Map<string, number>();

  constructor(
    private readonly site: SiteModel,
    private readonly alarms: AlarmService,
    private readonly bus: EventBus,
    private readonly clock: Clock,
    private readonly repeatAfterMs = 5 * 60_000,
  ) {}

  async report(trackId: string, source: string, position: GeoPoint, opts: ReportOptions = {}): Promise<Track> {
    return (await this.reportBatch([{ trackId, source, position, ...opts }]))[0];
  }

  /**
   * Many positions at once (one poll of a feed): tracks are updated and published one by one, and the
   * touch-circle alarms they raise are stored in one transaction.
   */
  async reportBatch(reports: Array<{ trackId: string; source: string; position: GeoPoint } & ReportOptions>): Promise<Track[]> {
    const touches: RaiseAlarm[] = [];
    const tracks = reports.map(({ trackId, source, position, drill, attributes }) => {
      const circles = this.site.circlesAt(position.lon, position.lat);
      const before = this.insideOf.get(trackId) ?? new Set<string>();
      const entered = circles.filter((c) => !before.has(c.id));
      this.insideOf.set(trackId, new Set(circles.map((c) => c.id)));
      const innermost = circles.at(-1) ?? null;
      const track: Track = {
        id: trackId, source, position, ...attributes, at: this.clock.now(), circleId: innermost?.id ?? null, circleRing: innermost?.ring ?? null,
      };
      this.tracks.set(trackId, track);
      this.bus.publish('track.updated', track);

      const touched = entered.at(-1);
      const key = touched && `${trackId}\u0000${touched.id}`;
      const last = key ? this.lastRaised.get(key) : undefined;
      if (touched && key && (last === undefined || this.clock.now() - last >= this.repeatAfterMs)) {
        this.lastRaised.set(key, this.clock.now());
        touches.push({
          source: drill ? 'drill' : 'perception',
          type: 'touch-circle',
          severity: touched.alarmSeverity as 1 | 2 | 3 | 4,
          title: `${touched.name.zh} · ${trackId}`,
          position,
          circleId: touched.id,
          drill,
          details: { trackId, source, circleName: touched.name, entered: entered.map((c) => c.id), ...(attributes?.classification ? { classification: attributes.classification } : {}) },
        });
      }
      return track;
    });
    if (touches.length) await this.alarms.raiseBatch(touches);
    return tracks;
  }

  list(): Track[] {
    return [...this.tracks.values()];
  }

  /** Drops the tracks of a source that its latest snapshot no longer has (they have left its coverage). */
  prune(source: string, current: ReadonlySet<string>): void {
    for (const [id, t] of this.tracks) {
      if (t.source !== source || current.has(id)) continue;
      this.tracks.delete(id);
      this.insideOf.delete(id);
      this.bus.publish('track.removed', { id });
    }
  }
}
