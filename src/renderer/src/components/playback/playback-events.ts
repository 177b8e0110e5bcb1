// How playback sorts and words the kinds of recorded events. The core names the kinds; the UI groups them into
// four tones (alarm raised, alarm state change, operator action, drill) for the scrubber's ticks and the list,
// words every kind (playback.kind.<family>.<verb>, else the record's words), leaves out the noise (logins,
// check-ins) and shows a drill control once (the record and the drill log both hold it).
import { i18n, localText } from '../../i18n/index.ts';
import { actionText } from '../record/audit-words.ts';
import type { LocalText } from '../../../../shared/domain.ts';

export type EventTone = 'alarm' | 'state' | 'action' | 'drill' | 'other';
export interface IndexEvent { at: number; kind: string; subject?: string; text: string; actor?: string }

const t = (key: string, values?: Record<string, unknown>): string => (values ? i18n.global.t(key, values) : i18n.global.t(key));
const has = (key: string): boolean => i18n.global.te(key);

export function eventTone(kind: string): EventTone {
  if (/drill|inject|step|observation/.test(kind)) return 'drill';
  if (/raise/.test(kind)) return 'alarm';
  if (/state|ack|dispatch|scene|resol|clos/.test(kind)) return 'state';
  if (/action|audit|operator/.test(kind)) return 'action';
  return /alarm/.test(kind) ? 'alarm' : 'other';
}

export { isNoise, listedEvents } from './listed-events.ts';
import { isNoise } from './listed-events.ts';

export function eventKindText(kind: string): string {
  const dot = kind.indexOf('.');
  const key = dot > 0 ? `playback.kind.${kind.slice(0, dot)}.${kind.slice(dot + 1)}` : `playback.kinds.${kind}`;
  if (has(key)) return t(key);
  const recorded = actionText(kind);
  return recorded === kind && dot > 0 && has(`record.families.${kind.slice(0, dot)}`) ? t(`record.families.${kind.slice(0, dot)}`) : recorded;
}

/** An alarm type code (drone-threat) in the console's words (无人机威胁); other words left as they are. */
function wordCodes(text: string): string {
  return text
    .split(' · ')
    .map((part) => part.replace(/^(【[^】]*】)?([a-z]+(?:-[a-z]+)+|manual)$/, (all, mark: string | undefined, code: string) =>
      (has(`alarms.type.${code}`) ? `${mark ?? ''}${t(`alarms.type.${code}`)}` : all)))
    .map((part) => (part === 'system' ? t('playback.system') : part))
    .join(' · ');
}

/** m:ss of a duration in ms. */
const span = (ms: number) => {
  const s = Math.floor(ms / 1000);
  return `${Math.floor(s / 60)}:${String(s % 60).padStart(2, '0')}`;
};

/**
 * An event's text. A drill-log entry ("T+05:39 ack 309004": clock, step id, detail) is worded from its kind and
 * step: the step's action from the plan (`steps`), a measured time as m:ss, a speed as 10×; the clock is left
 * out (the list shows the instant). Others: alarm type codes worded.
 */
export function eventText(e: IndexEvent, steps?: ReadonlyMap<string, LocalText>): string {
  if (e.kind.startsWith('drill.') && !e.actor) {
    let rest = e.text.replace(/^T[+-]\d+:\d{2}\s*/, '');
    let step = '';
    if (e.subject && rest.startsWith(e.subject)) {
      rest = rest.slice(e.subject.length).trim();
      const action = steps?.get(e.subject);
      step = action ? localText(action) : e.subject;
    }
    if (/^\d+$/.test(rest)) {
      const n = Number(rest);
      rest = e.kind === 'drill.speed' ? `${n}×` : e.kind === 'drill.done' || e.kind === 'drill.late' ? t('playback.took', { t: span(n) }) : rest;
    }
    return [step, rest].filter(Boolean).join(' · ');
  }
  return wordCodes(e.text);
}
