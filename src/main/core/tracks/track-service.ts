// Tracks from any position feed (manual now; drones, patrol GPS later). A track that enters a perception
// circle it was not in raises a touch-circle alarm (触圈报警) for the innermost circle it entered.
import type { GeoPoint, Track } from '../../../shared/domain.ts';
import type { AlarmService } from '../alarms/alarm-service.ts';
import type { Clock } from '../clock.ts';
import type { EventBus } from '../event-bus.ts';
import type { SiteModel } from '../site/site-model.ts';

export class TrackService {
  private readonly insideOf = new Map<string, Set<string>>();
  private readonly tracks = new Map<string, Track>();

  constructor(
    private readonly site: SiteModel,
    private readonly alarms: AlarmService,
    private readonly bus: EventBus,
    private readonly clock: Clock,
  ) {}

  async report(trackId: string, source: string, position: GeoPoint, opts: { drill?: boolean } = {}): Promise<Track> {
    const circles = this.site.circlesAt(position.lon, position.lat);
    const before = this.insideOf.get(trackId) ?? new Set<string>();
    const entered = circles.filter((c) => !before.has(c.id));
    this.insideOf.set(trackId, new Set(circles.map((c) => c.id)));
    const innermost = circles.at(-1) ?? null;
    const track: Track = {
      id: trackId, source, position, at: this.clock.now(), circleId: innermost?.id ?? null, circleRing: innermost?.ring ?? null,
    };
    this.tracks.set(trackId, track);
    this.bus.publish('track.updated', track);

    const touched = entered.at(-1);
    if (touched) {
      await this.alarms.raise({
        source: opts.drill ? 'drill' : 'perception',
        type: 'touch-circle',
        severity: touched.alarmSeverity as 1 | 2 | 3 | 4,
        title: `${touched.name.zh} · ${trackId}`,
        position,
        circleId: touched.id,
        drill: opts.drill,
        details: { trackId, source, circleName: touched.name, entered: entered.map((c) => c.id) },
      });
    }
    return track;
  }

  list(): Track[] {
    return [...this.tracks.values()];
  }
}
