// The health of every data source the core polls (VMS, drone detection, later checkpoints and patrol GPS):
// what the status bar shows, and the alarm when a source goes silent (数据源静默). A source is
// ok after a good answer, degraded after a bad one (it answered, but not usefully), and down once it has given
// nothing usable for `silentAfterMs` — which raises one source-silent alarm until it recovers.
import type { LocalText, SourceHealth, SourceProblem, SourceStatus } from '../../../shared/domain.ts';
import type { AlarmService } from '../alarms/alarm-service.ts';
import type { Clock } from '../clock.ts';

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

  register(id: string, kind: string, name: LocalText, silentAfterMs: number): void {
    this.sources.set(id, {
      id, kind, name, health: 'idle', lastSeen: null, lastGood: this.clock.now(), silentAlarmRaised: false, silentAfterMs,
    });
  }

  /** A good answer. */
  ok(id: string, counts?: Record<string, number>): void {
    const s = this.require(id);
    const changed = s.health !== 'ok';
    Object.assign(s, { health: 'ok' as SourceHealth, lastSeen: this.clock.now(), lastGood: this.clock.now(), problem: undefined, counts, silentAlarmRaised: false });
    if (changed) this.onChange();
  }

  /** A failed or unusable answer: degraded at first, down (with an alarm) once silent for too long. */
  async failed(id: string, problem: SourceProblem): Promise<void> {
    const s = this.require(id);
    const silentFor = this.clock.now() - s.lastGood;
    const health: SourceHealth = silentFor >= s.silentAfterMs ? 'down' : 'degraded';
    const changed = health !== s.health || problem.code !== s.problem?.code;
    if (health === 'down' && !s.silentAlarmRaised) {
      // Written first: only a committed alarm counts as raised.
      await this.alarms.raise({
        source: 'system', type: 'source-silent', severity: 3, position: null, key: `source-silent:${id}`,
        details: { sourceId: id, sourceName: s.name, problem, silentForS: Math.round(silentFor / 1000) },
      });
      s.silentAlarmRaised = true;
    }
    Object.assign(s, { health, problem });
    if (changed) this.onChange();
  }

  list(): SourceStatus[] {
    return [...this.sources.values()].map(({ id, kind, name, health, lastSeen, problem, counts }) => ({
      id, kind, name, health, lastSeen, ...(problem ? { problem } : {}), ...(counts ? { counts } : {}),
    }));
  }

  private require(id: string): SourceState {
    const s = this.sources.get(id);
    if (!s) throw new Error(`unknown source ${id}`);
    return s;
  }
}
