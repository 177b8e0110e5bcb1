// Alarm sounds made with Web Audio (no media files), one per severity: 紧急 (4) an urgent triple beep that
// repeats while any critical alarm is unacknowledged, 重要 (3) a double beep, 一般 (2) a single beep, 提示 (1)
// none. The operator may silence them for 5, 15 or 30 minutes, never for ever; the silence is remembered across
// a reload (and ends on time all the same). A critical alarm that comes in during a silence is counted, so that
// the queue's header can flash for it.
import { computed, ref } from 'vue';

export const SILENCE_MINUTES = [5, 15, 30] as const;
export type SilenceMinutes = (typeof SILENCE_MINUTES)[number];
const MAX_SILENCE_MS = 30 * 60_000;
const STORAGE_KEY = 'skyfence.silenceUntil';
/** How often the critical tone repeats while a critical alarm waits for acknowledgement. */
const REPEAT_MS = 4000;

function savedSilence(): number {
  const until = Number(localStorage.getItem(STORAGE_KEY) ?? 0);
  // A stored time further ahead than the longest silence was not written by this page: ignore it.
  return Number.isFinite(until) && until > Date.now() && until <= Date.now() + MAX_SILENCE_MS ? until : 0;
}

/** Browser-clock ms until which the sounds are silenced (0: not silenced). */
export const silencedUntil = ref(savedSilence());
/** Ticks once a second while silenced, for the remaining time shown. */
export const soundNow = ref(Date.now());
export const silenced = computed(() => silencedUntil.value > soundNow.value);
/** Critical alarms that came in during the silence and are still unacknowledged. */
const missed = ref(new Set<string>());
export const missedCritical = computed(() => missed.value.size);
/** What was played, newest last (a short record the end-to-end test reads; nothing else depends on it). */
export const playedTones: Array<{ severity: number; at: number }> = [];

/** How many tones were played since the page opened. */
let playedCount = 0;
let context: AudioContext | null = null;
let silenceTimer: number | undefined;
let repeatTimer: number | undefined;
let critical = new Set<string>();

function beep(pitch: number, offsets: number[], length = 0.16): void {
  try {
    context ??= new AudioContext();
    const start = context.currentTime;
    for (const offset of offsets) {
      const osc = context.createOscillator();
      const gain = context.createGain();
      osc.frequency.value = pitch;
      gain.gain.setValueAtTime(0.0001, start + offset);
      gain.gain.exponentialRampToValueAtTime(0.25, start + offset + 0.02);
      gain.gain.exponentialRampToValueAtTime(0.0001, start + offset + length);
      osc.connect(gain).connect(context.destination);
      osc.start(start + offset);
      osc.stop(start + offset + length + 0.02);
    }
  } catch {
    /* no audio device (a wall PC without speakers): the queue still shows everything */
  }
}

/** Plays the tone of a severity unless silenced. */
export function playAlarmTone(severity: number): void {
  if (severity < 2 || silenced.value) return;
  playedCount++;
  playedTones.push({ severity, at: Date.now() });
  if (playedTones.length > 50) playedTones.shift();
  if (severity >= 4) beep(1175, [0, 0.2, 0.4], 0.14);
  else if (severity === 3) beep(880, [0, 0.28]);
  else beep(660, [0], 0.2);
}

/** A new alarm: its tone now, or, during a silence, a critical one counted for the header. */
export function announceAlarm(alarm: { id: string; severity: number }): void {
  if (silenced.value) {
    if (alarm.severity >= 4) missed.value = new Set(missed.value).add(alarm.id);
    return;
  }
  playAlarmTone(alarm.severity);
}

/** The critical alarms still unacknowledged: the urgent tone repeats while there is one (and no silence). */
export function setCriticalWaiting(ids: ReadonlySet<string>): void {
  critical = new Set(ids);
  const still = [...missed.value].filter((id) => critical.has(id));
  if (still.length !== missed.value.size) missed.value = new Set(still);
  scheduleRepeat();
}

function scheduleRepeat(): void {
  const wanted = critical.size > 0 && !silenced.value;
  if (wanted && repeatTimer === undefined) repeatTimer = window.setInterval(() => playAlarmTone(4), REPEAT_MS);
  if (!wanted && repeatTimer !== undefined) {
    clearInterval(repeatTimer);
    repeatTimer = undefined;
  }
}

export function silenceFor(minutes: SilenceMinutes): void {
  silencedUntil.value = Date.now() + minutes * 60_000;
  localStorage.setItem(STORAGE_KEY, String(silencedUntil.value));
  startSilenceTicker();
}

export function endSilence(): void {
  silencedUntil.value = 0;
  localStorage.removeItem(STORAGE_KEY);
  missed.value = new Set();
  stopSilenceTicker();
  scheduleRepeat();
}

/** M: 5 → 15 → 30 minutes → sound back on. */
export function cycleSilence(): void {
  if (!silenced.value) return silenceFor(5);
  const left = silencedUntil.value - Date.now();
  const next = SILENCE_MINUTES.find((m) => m * 60_000 > left + 1000);
  if (next) silenceFor(next);
  else endSilence();
}

function startSilenceTicker(): void {
  soundNow.value = Date.now();
  scheduleRepeat();
  if (silenceTimer !== undefined) return;
  silenceTimer = window.setInterval(() => {
    soundNow.value = Date.now();
    if (!silenced.value) endSilence();
  }, 1000);
}
function stopSilenceTicker(): void {
  if (silenceTimer !== undefined) clearInterval(silenceTimer);
  silenceTimer = undefined;
  soundNow.value = Date.now();
}
if (silenced.value) startSilenceTicker();

// For the end-to-end test: which tones were played (a page cannot be listened to).
(window as unknown as { __skyfenceSound?: unknown }).__skyfenceSound = { playedTones, played: () => playedCount };
