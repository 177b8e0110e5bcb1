// The health of every data source (drone detection, track streams, the manual feed; later the VMS, checkpoints
// and patrol GPS): what the status bar shows, and the alarm when a source goes silent (数据源静默).
//   ok        its last data was usable;
//   degraded  its last answer failed or was partly unusable, but it gave usable data within `silentAfterMs`;
//   down      nothing usable for `silentAfterMs`: one source-silent alarm per outage, and its tracks go stale.
// A watchdog per source on the core's clock decides *down*, so that a source that simply stops — a hung request,
// a push socket that stays open and says nothing — turns down although no poll or message ever ends.
// The alarm is written before the outage counts it as raised: after a failed write (a full disk) the next
// failure or the watchdog's retry raises it again.
import type { LocalText, SourceHealth, SourceProblem, SourceStatus } from '../../../shared/domain.ts';
import type { AlarmService } from '../alarms/alarm-service.ts';
import type { Clock, Timer } from '../clock.ts';

/** How the system words closing a source-silent alarm once its source answers again. */
export const SOURCE_RECOVERED_NOTE = '系统：数据源已恢复 (the source is back)';
const silentKey = (id: string, outage: Outage) => `source-silent:${id}:${outage.since}`;

/** How soon the watchdog tries again to store a source-silent alarm whose write failed. */
export const SILENT_ALARM_RETRY_MS = 5_000;

/**
 * Counts the status bar shows beside a source's health (cameras offline or frozen): a change is announced at
 * once. Other counts (tracks, events) ride along with the next announced change, not one per poll.
 */
const SHOWN_COUNTS = ['offline', 'frozen'] as const;

export interface SourceRegistryEvents {
  /** Any status a client shows changed. */
  changed(): void;
  /** A source went down (its tracks are stale) or gave usable data again. */
  liveChanged?(id: string, live: boolean): void;
  log?(line: string): void;
}

export interface SourceRegistration {
  id: string;
  kind: string;
  name: LocalText;
  /** Down after this long without usable data; Infinity: never (the manual feed). */
  silentAfterMs: number;
  /** A drill range's source: its source-silent alarm is a drill alarm (演练), never a live one. */
  drill?: boolean;
}

interface Outage {
  since: number;
  alarmRaised: boolean;
}

interface SourceState {
  status: SourceStatus;
  drill: boolean;
  silentAfterMs: number;
  lastGood: number;
  outage: Outage | null;
  watchdog: Timer | null;
  raising: Promise<void> | null;
}

export class SourceRegistry {
  private readonly sources = new Map<string, SourceState>();
  private stopped = false;

  constructor(
    private readonly clock: Clock,
    private readonly alarms: AlarmService,
    private readonly events: SourceRegistryEvents,
  ) {}

  register({ id, kind, name, silentAfterMs, drill }: SourceRegistration): void {
    if (this.sources.has(id)) throw new Error(`source ${id} is registered twice`);
    const s: SourceState = {
      status: { id, kind, name, health: 'idle', lastSeen: null }, drill: drill ?? false,
      silentAfterMs, lastGood: this.clock.now(), outage: null, watchdog: null, raising: null,
    };
    this.sources.set(id, s);
    this.arm(s);
    this.events.changed();
  }

  /** A source that is gone for good (a drill range stopped): its watchdog cancelled, off the status bar. */
  unregister(id: string): void {
    const s = this.sources.get(id);
    if (!s) return;
    s.watchdog?.cancel();
    s.watchdog = null;
    this.sources.delete(id);
    this.events.changed();
  }

  /** Usable data. */
  ok(id: string, counts?: Record<string, number>): void {
    this.good(this.require(id), 'ok', undefined, counts);
  }

  /** Usable data with a problem (a stream that skipped bad lines): degraded, but not silent. */
  degraded(id: string, problem: SourceProblem, counts?: Record<string, number>): void {
    this.good(this.require(id), 'degraded', problem, counts);
  }

  /** Nothing usable (no answer, an error, a malformed answer): degraded at first, down once silent for too long. */
  async failed(id: string, problem: SourceProblem): Promise<void> {
    const s = this.require(id);
    const before = s.status;
    const health: SourceHealth = s.outage ? 'down' : 'degraded';
    s.status = { ...before, health, problem };
    if (health !== before.health || problem.code !== before.problem?.code) this.events.changed();
    await this.checkSilent(s);
  }

  list(): SourceStatus[] {
    return [...this.sources.values()].map((s) => ({ ...s.status }));
  }

  get(id: string): SourceStatus | undefined {
    const s = this.sources.get(id);
    return s && { ...s.status };
  }

  /** Resolves once no source-silent alarm is being written (tests on a manual clock wait for this). */
  async settled(): Promise<void> {
    while (true) {
      const pending = [...this.sources.values()].flatMap((s) => (s.raising ? [s.raising] : []));
      if (!pending.length) return;
      await Promise.all(pending);
    }
  }

  /** Cancels every watchdog (the core is closing). */
  stop(): void {
    this.stopped = true;
    for (const s of this.sources.values()) {
      s.watchdog?.cancel();
      s.watchdog = null;
    }
  }

  private good(s: SourceState, health: 'ok' | 'degraded', problem: SourceProblem | undefined, counts: Record<string, number> | undefined): void {
    const now = this.clock.now();
    const before = s.status;
    const { id, kind, name } = before;
    s.status = { id, kind, name, health, lastSeen: now, ...(problem ? { problem } : {}), ...(counts ? { counts } : {}) };
    s.lastGood = now;
    const ended = s.outage;
    s.outage = null;
    this.arm(s);
    if (ended) {
      this.events.liveChanged?.(id, true);
      this.resolveSilent(s, ended);
    }
    const shownCountChanged = SHOWN_COUNTS.some((k) => (before.counts?.[k] ?? 0) !== (counts?.[k] ?? before.counts?.[k] ?? 0));
    if (health !== before.health || problem?.code !== before.problem?.code || shownCountChanged) this.events.changed();
  }

  /**
   * The source is back: the system closes its outage's source-silent alarm (as it closes a camera group's once
   * every camera is back), with the note saying so; the record keeps that it was down, and for how long. After the
   * alarm's own write if that is still under way; a failed close is logged, and the operator can still close it.
   */
  private resolveSilent(s: SourceState, outage: Outage): void {
    const key = silentKey(s.status.id, outage);
    void (s.raising ?? Promise.resolve())
      .then(() => this.alarms.resolveByKey(key, SOURCE_RECOVERED_NOTE))
      .catch((err: Error) => this.events.log?.(`source ${s.status.id}: its source-silent alarm could not be closed on recovery (${err.message})`));
  }

  /** Sets the watchdog for when the source would turn silent, unless one is set or it never does. */
  private arm(s: SourceState, delayMs = s.lastGood + s.silentAfterMs - this.clock.now()): void {
    if (this.stopped || s.watchdog || !Number.isFinite(s.silentAfterMs)) return;
    s.watchdog = this.clock.setTimeout(() => {
      s.watchdog = null;
      const left = s.lastGood + s.silentAfterMs - this.clock.now();
      if (left > 0) this.arm(s, left); // usable data came meanwhile: look again when that runs out
      else void this.checkSilent(s);
    }, Math.max(0, delayMs));
  }

  /** Turns a source that has been silent for too long down, and raises its source-silent alarm once. */
  private async checkSilent(s: SourceState): Promise<void> {
    const now = this.clock.now();
    const silentFor = now - s.lastGood;
    if (silentFor < s.silentAfterMs) return;
    if (!s.outage) {
      s.outage = { since: now, alarmRaised: false };
      s.status = { ...s.status, health: 'down', problem: s.status.problem ?? { code: 'silent', message: `no usable data for ${Math.round(silentFor / 1000)} s` } };
      this.events.liveChanged?.(s.status.id, false);
      this.events.changed();
    }
    if (s.outage.alarmRaised) return;
    if (!s.raising) {
      s.raising = this.raiseSilent(s, s.outage, silentFor).finally(() => (s.raising = null));
    }
    await s.raising;
  }

  private async raiseSilent(s: SourceState, outage: Outage, silentFor: number): Promise<void> {
    const { id, name, problem } = s.status;
    try {
      // One alarm per outage: a retry after a failed write carries the same key, so it can never raise two.
      await this.alarms.raise({
        source: s.drill ? 'drill' : 'system', type: 'source-silent', severity: 3, position: null, key: silentKey(id, outage), drill: s.drill,
        details: { sourceId: id, sourceName: name, problem: problem ?? { code: 'silent' }, silentForS: Math.round(silentFor / 1000) },
      });
      outage.alarmRaised = true;
    } catch (err) {
      (this.events.log ?? console.error)(
        `source ${id}: the source-silent alarm could not be stored (${(err as Error).message}); trying again in ${SILENT_ALARM_RETRY_MS / 1000} s`,
      );
      if (s.outage === outage) this.arm(s, SILENT_ALARM_RETRY_MS);
    }
  }

  private require(id: string): SourceState {
    const s = this.sources.get(id);
    if (!s) throw new Error(`unknown source ${id}`);
    return s;
  }
}
