// The health of every data source the core polls (VMS, drone detection, later checkpoints and patrol GPS):
// what the status bar shows, and the alarm when a source goes silent (数据源静默). A source is
// ok after a good answer, degraded after a bad one (it answered, but not usefully), and down once it has given
// nothing usable for `silentAfterMs` — which raises one source-silent alarm until it recovers.
import type { SourceHealth, SystemStatus } from '../../../shared/domain.ts';
import type { AlarmService } from '../alarms/alarm-service.ts';
import type { Clock } from '../clock.ts';

type SourceStatus = SystemStatus['sources'][number];

interface SourceState extends SourceStatus {
  lastGood: number;
  silentAlarmRaised: boolean;
  silentAfterMs: number;
}

export class SourceRegistry {
  private readonly sources = new Map<string, SourceState>();

  constructor(
    private readonly clock: Clock,
    private readonly alarms: AlarmService,
    private readonly onChange: () => void,
  ) {}

  register(id: string, name: { zh: string; en: string }, silentAfterMs: number): void {
    this.sources.set(id, {
      id, name, health: 'idle', lastSeen: null, lastGood: this.clock.now(), silentAlarmRaised: false, silentAfterMs,
    });
  }

  /** A good answer. */
  ok(id: string, detail?: string): void {
    const s = this.require(id);
    const changed = s.health !== 'ok';
    Object.assign(s, { health: 'ok' as SourceHealth, lastSeen: this.clock.now(), lastGood: this.clock.now(), detail, silentAlarmRaised: false });
    if (changed) this.onChange();
  }

  /** A failed or unusable answer: degraded at first, down (with an alarm) once silent for too long. */
  async failed(id: string, detail: string): Promise<void> {
    const s = this.require(id);
    const silentFor = this.clock.now() - s.lastGood;
    const health: SourceHealth = silentFor >= s.silentAfterMs ? 'down' : 'degraded';
    const changed = health !== s.health || detail !== s.detail;
    Object.assign(s, { health, detail });
    if (health === 'down' && !s.silentAlarmRaised) {
      s.silentAlarmRaised = true;
      await this.alarms.raise({
        source: 'system', type: 'source-silent', severity: 3, title: `${s.name.zh}：${detail}`, position: null,
        details: { sourceId: id, sourceName: s.name, detail, silentForS: Math.round(silentFor / 1000) },
      });
    }
    if (changed) this.onChange();
  }

  list(): SourceStatus[] {
    return [...this.sources.values()].map(({ id, name, health, lastSeen, detail }) => ({ id, name, health, lastSeen, ...(detail ? { detail } : {}) }));
  }

  private require(id: string): SourceState {
    const s = this.sources.get(id);
    if (!s) throw new Error(`unknown source ${id}`);
    return s;
  }
}
