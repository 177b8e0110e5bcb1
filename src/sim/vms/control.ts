// POST /sim/control: the faults and events a test or a drill scripts. Every body is checked, and a bad one
// gets an error that names the field.
import { z } from 'zod';
import { ANALYTIC_KINDS } from '../../shared/video.ts';

export const API_MODES = ['none', 'slow', 'error500', 'malformed', 'silent'] as const;
export type ApiMode = (typeof API_MODES)[number];
export const MAX_CONTROL_BODY = 4096;
export const MAX_BURST = 5000;
export const DEFAULT_SLOW_MS = 3000;

const id = z.string().min(1).max(64);
export const CONTROL_ACTIONS = ['camera', 'group', 'api', 'burst', 'event', 'plate'] as const;

const controlSchemas = {
  camera: z.object({ action: z.literal('camera'), id, state: z.enum(['offline', 'online', 'frozen']) }).strict(),
  group: z.object({ action: z.literal('group'), group: id, state: z.enum(['offline', 'online']) }).strict(),
  api: z.object({ action: z.literal('api'), mode: z.enum(API_MODES), delayMs: z.number().int().min(0).max(600_000).optional() }).strict(),
  burst: z.object({ action: z.literal('burst'), count: z.number().int().min(1).max(MAX_BURST), type: z.enum([...ANALYTIC_KINDS, 'plate']).optional() }).strict(),
  event: z.object({ action: z.literal('event'), camera: id, type: z.enum(ANALYTIC_KINDS), label: z.string().min(1).max(80).optional() }).strict(),
  plate: z.object({
    action: z.literal('plate'),
    camera: id,
    plate: z.string().min(1).max(16),
    direction: z.enum(['in', 'out']).optional(),
    lane: z.number().int().min(1).max(32).optional(),
  }).strict(),
};

export type ControlCommand = { [K in keyof typeof controlSchemas]: z.infer<(typeof controlSchemas)[K]> }[keyof typeof controlSchemas];

/** The command in a control body, or the reason it is not one. */
export function parseControl(body: string): { ok: true; command: ControlCommand } | { ok: false; error: string } {
  let json: unknown;
  try {
    json = JSON.parse(body);
  } catch (err) {
    return { ok: false, error: `the body is not JSON (${(err as Error).message}); send e.g. {"action":"camera","id":"T2-DEP-SEC-03","state":"offline"}` };
  }
  if (typeof json !== 'object' || json === null || Array.isArray(json)) return { ok: false, error: 'the body must be a JSON object with "action"' };
  const action = (json as { action?: unknown }).action;
  if (typeof action !== 'string' || !(CONTROL_ACTIONS as readonly string[]).includes(action)) {
    return { ok: false, error: `action: must be one of ${CONTROL_ACTIONS.join(', ')}` };
  }
  const parsed = controlSchemas[action as keyof typeof controlSchemas].safeParse(json);
  if (!parsed.success) return { ok: false, error: parsed.error.issues.map((i) => `${i.path.join('.') || 'body'}: ${i.message}`).join('; ') };
  return { ok: true, command: parsed.data };
}
