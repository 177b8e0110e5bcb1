// A new order must be noticed on a phone in a pocket: a short rising tone (Web Audio, no media files) and a
// vibration where the device has one. Phones let a page make sound only after a tap: the first tap on the page
// unlocks the audio (see unlockOrderTone).
let context: AudioContext | null = null;

export function unlockOrderTone(): void {
  try {
    context ??= new AudioContext();
    if (context.state === 'suspended') void context.resume();
  } catch {
    context = null; // no Web Audio here: the vibration and the screen must do
  }
}

export function alertNewOrder(): void {
  navigator.vibrate?.([300, 120, 300]);
  if (!context) return;
  const start = context.currentTime;
  for (const [offset, pitch] of [[0, 660], [0.2, 880], [0.4, 1175]] as const) {
    const osc = context.createOscillator();
    const gain = context.createGain();
    osc.frequency.value = pitch;
    gain.gain.setValueAtTime(0.0001, start + offset);
    gain.gain.exponentialRampToValueAtTime(0.3, start + offset + 0.02);
    gain.gain.exponentialRampToValueAtTime(0.0001, start + offset + 0.17);
    osc.connect(gain).connect(context.destination);
    osc.start(start + offset);
    osc.stop(start + offset + 0.18);
  }
}
