// What every figure of `npm run bench` shares: the smoke switch, the repeat count, number formatting, min and
// median, and interleaved repeats after a warm-up (see the method at the top of bench/run.ts).

// SKYFENCE_BENCH_SMOKE=1: the same method on tiny sizes, to check that the bench runs (its figures mean nothing).
export const SMOKE = process.env.SKYFENCE_BENCH_SMOKE === '1';
export const REPEATS = SMOKE ? 1 : 5;

export const fmt = (v: number, d = 0) => v.toLocaleString('en-US', { maximumFractionDigits: d, minimumFractionDigits: d });

const sorted = (v: number[]) => [...v].sort((a, b) => a - b);
export const min = (v: number[]) => sorted(v)[0];
export const median = (v: number[]) => {
  const s = sorted(v);
  return s.length % 2 ? s[(s.length - 1) / 2] : (s[s.length / 2 - 1] + s[s.length / 2]) / 2;
};

/**
 * Interleaved repeats (baseline, subject, baseline, subject…) after one untimed warm-up of each side; returns
 * what each timed run returned. Each side is called with `warmUp` true for its warm-up run.
 */
export async function interleaved<T = number>(baseline: (warmUp: boolean) => Promise<T>, subject: (warmUp: boolean) => Promise<T>, repeats = REPEATS) {
  await baseline(true);
  await subject(true);
  const a: T[] = [];
  const b: T[] = [];
  for (let i = 0; i < repeats; i++) {
    a.push(await baseline(false));
    b.push(await subject(false));
  }
  return { baseline: a, subject: b };
}
