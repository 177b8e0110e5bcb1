// The site's clocks file (`<site folder>/response/clocks.json`): the 1-3-5 targets per alarm type and zone. Rules
// are tried in order; the first whose every given criterion matches sets the targets (missing ones come from
// the default). JSON has no comments, so each rule carries its reason in `why`.
import { z } from 'zod';
import { ALARM_TYPES, DEFAULT_CLOCK_TARGETS, type AlarmType, type ClockTargets } from '../../../shared/domain.ts';
import { CIRCLE_RINGS } from '../../../shared/site.ts';
import { jsonPath } from '../site/load-site.ts';
import type { AlarmZone } from './alarm-service.ts';

/** Ten seconds to a day: shorter is no human response, longer is no clock. */
const seconds = z.number().int('whole seconds').min(10, 'at least 10 s').max(86_400, 'at most 86400 s (a day)');

const targetsSchema = z.object({ acknowledgeS: seconds, dispatchS: seconds, onSceneS: seconds }).strict();

/** Stages come in order: a unit cannot be due on the way before the alarm is due acknowledged. */
const inOrder = (t: ClockTargets) => t.acknowledgeS <= t.dispatchS && t.dispatchS <= t.onSceneS;
const ORDER_PROBLEM = 'the targets must not decrease: acknowledgeS ≤ dispatchS ≤ onSceneS';

const ruleSchema = z.object({
  id: z.string().regex(/^[A-Za-z0-9_.-]{1,40}$/, 'letters, digits, _ . and -; at most 40'),
  why: z.string().max(500).optional(),
  alarmTypes: z.array(z.enum(ALARM_TYPES)).min(1).optional(),
  circleRings: z.array(z.enum(CIRCLE_RINGS)).min(1).optional(),
  circleIds: z.array(z.string().min(1).max(40)).min(1).optional(),
  gridCellIds: z.array(z.string().regex(/^G\d{2}-\d{2}$/, 'a grid cell id like G03-07')).min(1).optional(),
  targets: targetsSchema.partial(),
}).strict();

export const clocksFileSchema = z.object({
  format: z.literal('skyfence-clocks'),
  version: z.literal(1),
  notice: z.string().max(1000).optional(),
  default: targetsSchema.refine(inOrder, ORDER_PROBLEM).default(DEFAULT_CLOCK_TARGETS),
  rules: z.array(ruleSchema).max(500),
}).strict().superRefine((file, ctx) => {
  const ids = new Set<string>();
  file.rules.forEach((rule, i) => {
    if (ids.has(rule.id)) ctx.addIssue({ code: 'custom', path: ['rules', i, 'id'], message: `a second rule "${rule.id}"` });
    ids.add(rule.id);
    if (!inOrder({ ...file.default, ...rule.targets })) {
      ctx.addIssue({ code: 'custom', path: ['rules', i, 'targets'], message: `${ORDER_PROBLEM} (with the default for the ones not given)` });
    }
  });
});

export type ClocksFile = z.infer<typeof clocksFileSchema>;
export type ClockRule = ClocksFile['rules'][number];

/** Reads the file's text: the file or `name: json-path: problem` lines. */
export function parseClocksFile(raw: string, name: string): { file: ClocksFile } | { problems: string[] } {
  let json: unknown;
  try {
    json = JSON.parse(raw);
  } catch (err) {
    return { problems: [`${name}: $: not valid JSON (${(err as Error).message})`] };
  }
  const parsed = clocksFileSchema.safeParse(json);
  if (!parsed.success) return { problems: parsed.error.issues.map((i) => `${name}: ${jsonPath(i.path)}: ${i.message}`) };
  return { file: parsed.data };
}

/** The first rule that matches, merged over the default; the default when none does. */
export function targetsFrom(file: Pick<ClocksFile, 'default' | 'rules'>, type: AlarmType, zone: AlarmZone): ClockTargets {
  const has = <T>(list: readonly T[] | undefined, value: T | null) => list === undefined || (value !== null && list.includes(value));
  const rule = file.rules.find((r) =>
    has(r.alarmTypes, type) && has(r.circleRings, zone.circleRing) && has(r.circleIds, zone.circleId) && has(r.gridCellIds, zone.gridCellId));
  return { ...file.default, ...rule?.targets };
}
