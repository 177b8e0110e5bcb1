// What an alarm's 1-3-5 clocks show at a moment of the core's clock: the stage being timed now, its time to
// due (amber in the last fifth of its target, red once overdue), and each stage reached with its time.
import { RESPONSE_STAGES, stageDueAt, stageReachedAt, type Alarm, type ResponseStage } from '../../../../shared/domain.ts';

export type ClockLevel = 'ok' | 'warn' | 'overdue';
/** The last share of a stage's target in which its countdown turns amber. */
export const WARN_SHARE = 0.2;

export interface StageView {
  stage: ResponseStage;
  dueAt: number;
  reachedAt: number | null;
  /** Reached after its due time, or still open past it, or marked overdue by the core. */
  late: boolean;
}

export interface ClockView {
  /** The stage being timed now; null once every stage is reached or the alarm is resolved or closed. */
  current: { stage: ResponseStage; dueAt: number; remainingMs: number; level: ClockLevel } | null;
  stages: StageView[];
}

export function clockView(alarm: Alarm, now: number): ClockView {
  const overdue = new Set(alarm.clock.overdue.map((o) => o.stage));
  const stages = RESPONSE_STAGES.map((stage): StageView => {
    const dueAt = stageDueAt(alarm, stage);
    const reachedAt = stageReachedAt(alarm, stage);
    return { stage, dueAt, reachedAt, late: overdue.has(stage) || (reachedAt ?? now) > dueAt };
  });
  const stopped = alarm.state === 'resolved' || alarm.state === 'closed';
  const open = stopped ? undefined : stages.find((s) => s.reachedAt === null);
  if (!open) return { current: null, stages };
  const remainingMs = open.dueAt - now;
  const targetMs = open.dueAt - alarm.raisedAt;
  const level: ClockLevel = remainingMs <= 0 || overdue.has(open.stage) ? 'overdue' : remainingMs <= targetMs * WARN_SHARE ? 'warn' : 'ok';
  return { current: { stage: open.stage, dueAt: open.dueAt, remainingMs, level }, stages };
}

/** m:ss (or h:mm:ss) of a duration, rounded up while counting down so that 0:00 means due. */
export function clockText(ms: number): string {
  const s = Math.max(0, ms >= 0 ? Math.ceil(ms / 1000) : Math.floor(-ms / 1000));
  const h = Math.floor(s / 3600);
  const m = Math.floor((s % 3600) / 60);
  const ss = String(s % 60).padStart(2, '0');
  return h ? `${h}:${String(m).padStart(2, '0')}:${ss}` : `${m}:${ss}`;
}
