// The simulator's control commands (POST /sim/control): start or stop a scenario, put a fault on a sensor, set a
// runway. Checked with zod; a bad command gets one line saying what is wrong and where, and what to send.
import { z } from 'zod';
import { SCENARIO_NAMES } from './scenarios.ts';

export const HTTP_FAULTS = ['none', 'malformed', 'silent', 'error500'] as const;
export type HttpFault = (typeof HTTP_FAULTS)[number];
export const SAPIENT_FAULTS = ['none', 'silent', 'garbage', 'drop-mid-message', 'oversize-prefix'] as const;
export type SapientFaultName = (typeof SAPIENT_FAULTS)[number];
export const HTTP_SENSORS = ['detection', 'remote-id', 'ops'] as const;
export type HttpSensor = (typeof HTTP_SENSORS)[number];

// `once`: no repeat after the run (a drill's inject); by default a started scenario repeats after a pause.
const scenarioCommand = z.object({ scenario: z.enum(SCENARIO_NAMES), action: z.enum(['start', 'stop']), once: z.boolean().optional() }).strict();
const httpFaultCommand = z.object({ sensor: z.enum(HTTP_SENSORS), fault: z.enum(HTTP_FAULTS) }).strict();
const sapientFaultCommand = z.object({ sensor: z.literal('sapient'), fault: z.enum(SAPIENT_FAULTS) }).strict();
const runwayCommand = z.object({
  runway: z.object({
    id: z.string().min(1).max(20),
    status: z.enum(['in-use', 'closed']),
    direction: z.string().max(4).nullable(),
    operations: z.enum(['arrivals', 'departures', 'mixed']).nullable(),
  }).strict(),
}).strict();

/** The simulated clock's rate: a drill's speed (0.5–10×) and its pauses, which the drill range follows. */
const rateCommand = z.union([
  z.object({ speed: z.number().min(0.1).max(100) }).strict(),
  z.object({ paused: z.boolean() }).strict(),
]);

export type ControlCommand =
  | z.output<typeof rateCommand>
  | z.output<typeof scenarioCommand>
  | z.output<typeof httpFaultCommand>
  | z.output<typeof sapientFaultCommand>
  | z.output<typeof runwayCommand>;

export const CONTROL_EXAMPLES =
  '{"scenario":"swarm","action":"start"}, {"sensor":"remote-id","fault":"silent"} or ' +
  '{"runway":{"id":"02L/20R","status":"in-use","direction":"20R","operations":"arrivals"}}, {"speed":2} or {"paused":true}';

/** The command in a parsed JSON body, or the one line that says what is wrong with it. */
export function parseControl(body: unknown): { ok: true; command: ControlCommand } | { ok: false; error: string } {
  if (typeof body !== 'object' || body === null || Array.isArray(body)) return { ok: false, error: `send a JSON object: ${CONTROL_EXAMPLES}` };
  const schema = 'scenario' in body ? scenarioCommand
    : 'sensor' in body ? ((body as { sensor?: unknown }).sensor === 'sapient' ? sapientFaultCommand : httpFaultCommand)
    : 'runway' in body ? runwayCommand
    : 'speed' in body || 'paused' in body ? rateCommand
    : null;
  if (!schema) return { ok: false, error: `the command names no scenario, sensor or runway: send ${CONTROL_EXAMPLES}` };
  const parsed = schema.safeParse(body);
  if (parsed.success) return { ok: true, command: parsed.data };
  const first = parsed.error.issues[0];
  const more = parsed.error.issues.length - 1;
  return { ok: false, error: `${first.path.join('.') || 'body'}: ${first.message}${more ? ` (+${more} more)` : ''}` };
}
