// The 1-3-5 clocks on the map: beside each open alarm's marker, the stage being timed now (确认 / 派警 / 到场) and
// its countdown m:ss on the core's clock; amber in the last fifth of its target, red with 超时 and the time
// past due once overdue. Resolved and closed alarms, and alarms whose every stage is reached, have no clock.
// One LabelCollection, texts changed in place once a second; at most MAX_CLOCKS labels (the most pressing).
import { effectScope, watch } from 'vue';
import { RESPONSE_STAGES, stageDueAt, stageReachedAt, type Alarm, type ResponseStage } from '../../../shared/domain.ts';
import { i18n } from '../i18n/index.ts';
import { useStatusStore } from '../stores/status.ts';
import { Cesium, type CesiumModule } from './cesium.ts';

/** Clocks drawn at most: the ones due soonest (an overdue one first). */
export const MAX_CLOCKS = 300;
const WARN_SHARE = 0.2;
const FONT = '"Noto Sans CJK SC", "Source Han Sans SC", "Microsoft YaHei", sans-serif';
const COLORS = { ok: '#0b1220', warn: '#8a5a00', overdue: '#d93636' } as const;

export type ClockLevel = keyof typeof COLORS;

/** The stage an alarm is being timed on now, or null (every stage reached, or resolved, or closed). */
export function currentStage(a: Alarm): { stage: ResponseStage; dueAt: number } | null {
  if (a.state === 'resolved' || a.state === 'closed') return null;
  const stage = RESPONSE_STAGES.find((s) => stageReachedAt(a, s) === null);
  return stage ? { stage, dueAt: stageDueAt(a, stage) } : null;
}

/** m:ss of a duration (h:mm:ss past an hour); rounded up while counting down, so that 0:00 means due. */
export function clockText(ms: number): string {
  const s = ms >= 0 ? Math.ceil(ms / 1000) : Math.floor(-ms / 1000);
  const h = Math.floor(s / 3600);
  const m = Math.floor((s % 3600) / 60);
  const ss = String(s % 60).padStart(2, '0');
  return h ? `${h}:${String(m).padStart(2, '0')}:${ss}` : `${m}:${ss}`;
}

/** What a clock shows at `now`: its words and its level. */
export function clockLabel(a: Alarm, now: number): { text: string; level: ClockLevel } | null {
  const current = currentStage(a);
  if (!current) return null;
  const t = i18n.global.t;
  const stage = t(`command.stage.${current.stage}`);
  const remaining = current.dueAt - now;
  const overdue = remaining <= 0 || a.clock.overdue.some((o) => o.stage === current.stage);
  if (overdue) return { text: t('command.map.overdue', { stage, t: clockText(Math.min(0, remaining)) }), level: 'overdue' };
  const target = current.dueAt - a.raisedAt;
  return { text: `${stage} ${clockText(remaining)}`, level: remaining <= target * WARN_SHARE ? 'warn' : 'ok' };
}

export class AlarmClockLabels {
  private readonly labels: CesiumModule.LabelCollection;
  private readonly index = new Map<string, { label: CesiumModule.Label; alarm: Alarm; text: string; level: ClockLevel | null }>();
  private now = Date.now();

  constructor(private readonly viewer: CesiumModule.Viewer, private readonly heightOf: (msl: number | undefined) => number) {
    this.labels = viewer.scene.primitives.add(new Cesium.LabelCollection());
    (window as unknown as { __skyfenceClocks?: unknown }).__skyfenceClocks = {
      label: (id: string) => {
        const k = this.index.get(id);
        return k && k.label.show ? { text: k.text, level: k.level } : null;
      },
      count: () => [...this.index.values()].filter((k) => k.label.show).length,
    };
  }

  setVisible(on: boolean): void {
    this.labels.show = on;
    this.viewer.scene.requestRender();
  }

  /** The alarms on the map (the queue): those open with a position and a stage to time get a clock. */
  setAlarms(alarms: readonly Alarm[]): void {
    const timed = alarms
      .filter((a) => a.position && currentStage(a))
      .sort((x, y) => currentStage(x)!.dueAt - currentStage(y)!.dueAt)
      .slice(0, MAX_CLOCKS);
    const keep = new Set(timed.map((a) => a.id));
    for (const [id, k] of this.index) {
      if (!keep.has(id)) {
        this.labels.remove(k.label);
        this.index.delete(id);
      }
    }
    for (const a of timed) {
      const p = a.position!;
      const position = Cesium.Cartesian3.fromDegrees(p.lon, p.lat, this.heightOf(p.altM));
      const known = this.index.get(a.id);
      if (known) {
        known.label.position = position;
        known.alarm = a;
      } else {
        const label = this.labels.add({
          position, text: '', font: `700 13px ${FONT}`, fillColor: css('#ffffff'), showBackground: true, backgroundColor: css(COLORS.ok, 0.85),
          backgroundPadding: new Cesium.Cartesian2(5, 2), horizontalOrigin: Cesium.HorizontalOrigin.LEFT, verticalOrigin: Cesium.VerticalOrigin.CENTER,
          pixelOffset: new Cesium.Cartesian2(14, -2), distanceDisplayCondition: new Cesium.DistanceDisplayCondition(0, 60000), disableDepthTestDistance: Number.POSITIVE_INFINITY,
        });
        this.index.set(a.id, { label, alarm: a, text: '', level: null });
      }
    }
    this.tick(this.now);
  }

  /** Redraws every clock for the core's time `now` (once a second). */
  tick(now: number): void {
    this.now = now;
    // A frame only when a clock shows something new: a software-rendered console draws a frame in a quarter second.
    let changed = false;
    for (const k of this.index.values()) {
      const shown = clockLabel(k.alarm, now);
      if (!shown) {
        if (k.label.show) changed = true;
        k.label.show = false;
        k.level = null;
        continue;
      }
      if (!k.label.show) changed = true;
      k.label.show = true;
      if (shown.text !== k.text) {
        k.label.text = k.text = shown.text;
        changed = true;
      }
      if (shown.level !== k.level) {
        k.label.backgroundColor = css(COLORS[shown.level], shown.level === 'ok' ? 0.85 : 0.95);
        k.level = shown.level;
        changed = true;
      }
    }
    if (changed) this.viewer.scene.requestRender();
  }
}

const css = (c: string, alpha = 1) => Cesium.Color.fromCssColorString(c).withAlpha(alpha);

/** Ticks the clocks with the core's clock (the status store's `now`, once a second) and the UI language. */
export function followAlarmClocks(clocks: AlarmClockLabels): () => void {
  const status = useStatusStore();
  const scope = effectScope();
  scope.run(() => {
    watch(() => status.now, (now) => clocks.tick(now), { immediate: true });
    watch(i18n.global.locale, () => clocks.tick(status.now));
  });
  return () => scope.stop();
}
