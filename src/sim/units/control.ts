// The GPS simulator's control commands (POST /sim/control), checked with zod; a bad one gets one line naming
// the field and what to send.
import { z } from 'zod';

export const GPS_FAULTS = ['garbage', 'slow', 'http-500'] as const;
export type GpsFault = (typeof GPS_FAULTS)[number];

const unitId = z.string().min(1).max(32);
const gotoCommand = z.object({
  unitId,
  goto: z.object({ lon: z.number().min(-180).max(180), lat: z.number().min(-90).max(90) }).strict(),
}).strict();
const resumeCommand = z.object({ unitId, resume: z.literal(true) }).strict();
const silentCommand = z.object({ unitId, silent: z.boolean() }).strict();
const badFixCommand = z.object({ unitId, badFix: z.boolean() }).strict();
const faultCommand = z.object({
  fault: z.enum(GPS_FAULTS).nullable(),
  /** How long a slow answer takes (default 5 s). */
  delayMs: z.number().int().min(0).max(120_000).optional(),
}).strict();

export type GpsControl =
  | z.output<typeof gotoCommand>
  | z.output<typeof resumeCommand>
  | z.output<typeof silentCommand>
  | z.output<typeof badFixCommand>
  | z.output<typeof faultCommand>;

export const GPS_CONTROL_EXAMPLES =
  '{"unitId":"T2-P1","goto":{"lon":106.63,"lat":29.714}}, {"unitId":"T2-P1","resume":true}, {"unitId":"T2-P1","silent":true}, ' +
  '{"unitId":"T2-P1","badFix":true}, {"fault":"garbage"} (or "slow", "http-500", null)';

export function parseGpsControl(body: unknown): { ok: true; command: GpsControl } | { ok: false; error: string } {
  if (typeof body !== 'object' || body === null || Array.isArray(body)) return { ok: false, error: `send a JSON object: ${GPS_CONTROL_EXAMPLES}` };
  const schema = 'fault' in body ? faultCommand
    : 'goto' in body ? gotoCommand
    : 'resume' in body ? resumeCommand
    : 'silent' in body ? silentCommand
    : 'badFix' in body ? badFixCommand
    : null;
  if (!schema) return { ok: false, error: `the command has no goto, resume, silent, badFix or fault: send ${GPS_CONTROL_EXAMPLES}` };
  const parsed = schema.safeParse(body);
  if (parsed.success) return { ok: true, command: parsed.data };
  const first = parsed.error.issues[0];
  const more = parsed.error.issues.length - 1;
  return { ok: false, error: `${first.path.join('.') || 'body'}: ${first.message}${more ? ` (+${more} more)` : ''}` };
}
