// The permit area as the operator types it: one vertex per line, "longitude, latitude" (a comma, a Chinese
// comma or spaces between). Each wrong line is reported with its number and what is wrong with it, including
// the common slip of writing latitude first (checked against the airport's reference point).
export type AreaProblem = 'format' | 'range' | 'swapped' | 'tooFew' | 'tooMany';
export interface AreaLineError {
  /** From 1; 0 for the area as a whole. */
  line: number;
  problem: AreaProblem;
}

const NUMBER = /^[+-]?\d+(\.\d+)?$/;

export function parseArea(text: string, reference?: [number, number]): { area: Array<[number, number]>; errors: AreaLineError[] } {
  const area: Array<[number, number]> = [];
  const errors: AreaLineError[] = [];
  text.split(/\r?\n/).forEach((raw, i) => {
    const line = raw.trim();
    if (!line) return;
    const parts = line.split(/\s*[,，]\s*|\s+/).filter(Boolean);
    if (parts.length !== 2 || !parts.every((p) => NUMBER.test(p))) return void errors.push({ line: i + 1, problem: 'format' });
    const [lon, lat] = parts.map(Number) as [number, number];
    if (reference && Math.abs(lon - reference[1]) < 2 && Math.abs(lat - reference[0]) < 2 && Math.abs(lon - reference[0]) >= 2) {
      return void errors.push({ line: i + 1, problem: 'swapped' });
    }
    if (Math.abs(lon) > 180 || Math.abs(lat) > 90) return void errors.push({ line: i + 1, problem: Math.abs(lat) > 90 && Math.abs(lon) <= 90 ? 'swapped' : 'range' });
    area.push([lon, lat]);
  });
  if (!errors.length && area.length < 3) errors.push({ line: 0, problem: 'tooFew' });
  if (area.length > 200) errors.push({ line: 0, problem: 'tooMany' });
  return { area, errors };
}
