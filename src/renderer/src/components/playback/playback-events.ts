// How playback sorts and words the kinds of recorded events. The core names the kinds; the UI groups them into
// four tones (alarm raised, alarm state change, operator action, drill) for the scrubber's ticks and the list,
// and words a kind it knows (playback.kinds) or shows it as sent.
import { i18n } from '../../i18n/index.ts';

export type EventTone = 'alarm' | 'state' | 'action' | 'drill' | 'other';

export function eventTone(kind: string): EventTone {
  if (/drill|inject|step|observation/.test(kind)) return 'drill';
  if (/raise/.test(kind)) return 'alarm';
  if (/state|ack|dispatch|scene|resol|clos/.test(kind)) return 'state';
  if (/action|audit|operator/.test(kind)) return 'action';
  return /alarm/.test(kind) ? 'alarm' : 'other';
}

export function eventKindText(kind: string): string {
  const key = `playback.kinds.${kind}`;
  return i18n.global.te(key) ? i18n.global.t(key) : kind;
}
