// An audible cue for new major and critical alarms: two short tones made with Web Audio (no media files),
// muted by a switch that is remembered on this machine.
import { ref } from 'vue';

const STORAGE_KEY = 'skyfence.sound';
export const soundOn = ref(localStorage.getItem(STORAGE_KEY) !== 'off');
let context: AudioContext | null = null;

export function setSound(on: boolean): void {
  soundOn.value = on;
  localStorage.setItem(STORAGE_KEY, on ? 'on' : 'off');
}

export function playAlarmTone(severity: number): void {
  if (!soundOn.value || severity < 3) return;
  context ??= new AudioContext();
  const start = context.currentTime;
  const pitch = severity >= 4 ? 988 : 740;
  for (const offset of [0, 0.28]) {
    const osc = context.createOscillator();
    const gain = context.createGain();
    osc.frequency.value = pitch;
    gain.gain.setValueAtTime(0.0001, start + offset);
    gain.gain.exponentialRampToValueAtTime(0.25, start + offset + 0.02);
    gain.gain.exponentialRampToValueAtTime(0.0001, start + offset + 0.22);
    osc.connect(gain).connect(context.destination);
    osc.start(start + offset);
    osc.stop(start + offset + 0.24);
  }
}
