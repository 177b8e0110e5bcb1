// ULIDs, as SAPIENT wants for report_id, object_id and alert_id: 48 bits of milliseconds then 80 random bits,
// in Crockford's base32 (26 characters), so that ids sort by time.
const CROCKFORD = '0123456789ABCDEFGHJKMNPQRSTVWXYZ';
export const ULID = /^[0-7][0-9A-HJKMNP-TV-Z]{25}$/;

export function ulid(nowMs: number, random: () => number = Math.random): string {
  if (!(Number.isInteger(nowMs) && nowMs >= 0 && nowMs < 2 ** 48)) throw new Error(`ulid: time ${nowMs} is not a millisecond count within 48 bits`);
  let time = '';
  for (let t = nowMs, i = 0; i < 10; i++, t = Math.floor(t / 32)) time = CROCKFORD[t % 32] + time;
  let rest = '';
  for (let i = 0; i < 16; i++) rest += CROCKFORD[Math.floor(random() * 32) % 32];
  return time + rest;
}
