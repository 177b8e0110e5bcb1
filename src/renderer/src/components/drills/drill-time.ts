// Drill time on screen: T+mm:ss words, and the clock run on from the core's last word (drillMs at its wall time
// asOf, advancing at `speed` while running). One 250 ms tick per mounted clock, not a store update per frame.
import { onBeforeUnmount, onMounted, ref, watch, type Ref } from 'vue';
import type { DrillState } from '../../../../shared/drills.ts';
import { useStatusStore } from '../../stores/status.ts';

/** T+mm:ss (minutes past 59 stay minutes: T+75:00), as plans write their times; negative is T-mm:ss. */
export function tPlus(ms: number): string {
  const sign = ms < 0 ? '-' : '+';
  const s = Math.floor(Math.abs(ms) / 1000);
  return `T${sign}${String(Math.floor(s / 60)).padStart(2, '0')}:${String(s % 60).padStart(2, '0')}`;
}

/** A duration in seconds as m:ss (a response time, a target). */
export function mmss(seconds: number): string {
  const s = Math.round(Math.abs(seconds));
  return `${seconds < 0 ? '-' : ''}${Math.floor(s / 60)}:${String(s % 60).padStart(2, '0')}`;
}

/** The drill time at the core's wall time `coreNow`, from the drill's last state. */
export function drillMsAt(d: Pick<DrillState, 'status' | 'drillMs' | 'asOf' | 'speed'>, coreNow: number): number {
  if (d.status !== 'running') return d.drillMs;
  return d.drillMs + Math.max(0, coreNow - d.asOf) * d.speed;
}

export const DRILL_TICK_MS = 250;

/** The running drill time of `drill` (null: 0), ticked every 250 ms on the core's clock (the status store's offset). */
export function useDrillClock(drill: Ref<DrillState | null>): Ref<number> {
  const status = useStatusStore();
  const ms = ref(0);
  const update = () => {
    ms.value = drill.value ? drillMsAt(drill.value, Date.now() + status.offsetMs) : 0;
  };
  let timer = 0;
  onMounted(() => {
    update();
    timer = window.setInterval(update, DRILL_TICK_MS);
  });
  onBeforeUnmount(() => clearInterval(timer));
  watch(drill, update);
  return ms;
}
