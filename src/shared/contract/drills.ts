// Plans, drills and playback: the calls and their roles. Reading plans and watching a drill is for every console
// role (an operator must see that a drill runs); starting, steering, aborting a drill and adding observations is for
// the drill coordinator (导调员) only, enforced here in the contract. Playback only reads.
import { z } from 'zod';
import { ANY_ROLE } from './define.ts';
import type { AfterActionReport, DrillObservation, DrillState, PlanProblem, PlanSummary, Plan, PlaybackFrame, PlaybackIndex } from '../drills.ts';
import type { MediaLink } from './video.ts';
import { call } from './define.ts';

const id = z.string().min(1).max(100);
const planId = z.string().regex(/^[a-z0-9][a-z0-9-]{0,63}$/, 'a plan id is lower-case letters, digits and "-"');
const timeMs = z.number().int().min(0).max(8_640_000_000_000);
const COORDINATOR = ['coordinator'] as const;
/** Who reviews: the coordinator, the commander and the administrator. */
const REVIEWERS = ['coordinator', 'commander', 'admin'] as const;
/**
 * A plan's YAML text as sent from the UI: 64 Ki characters (a shipped plan is about 15 K; Chinese is three bytes a
 * character, and the whole call must fit the host's 256 KiB frame).
 */
const PLAN_TEXT_MAX = 64 * 1024;
/** An MSEL sheet, base64: about 145 KiB of file, inside the same frame. */
const MSEL_BASE64_MAX = 200_000;

export const drillCalls = {
  /** The plans in resources/plans and the data folder, each with its problems (a broken one is listed, not startable). */
  'plans.list': call(z.object({}).strict(), ANY_ROLE).returns<PlanSummary[]>(),
  'plans.get': call(z.object({ id: planId }).strict(), ANY_ROLE).returns<Plan>(),
  /** Checks a plan's text against the format and this site; nothing is stored. */
  'plans.validate': call(z.object({ file: z.string().min(1).max(120), text: z.string().max(PLAN_TEXT_MAX) }).strict(), REVIEWERS)
    .returns<{ plan: PlanSummary | null; problems: PlanProblem[] }>(),
  /** Stores a plan in the data folder once it validates (a newer version of an id replaces the older). */
  'plans.import': call(z.object({ file: z.string().min(1).max(120), text: z.string().max(PLAN_TEXT_MAX) }).strict(), COORDINATOR)
    .returns<{ plan: PlanSummary | null; problems: PlanProblem[] }>(),
  /** A plan's steps as an MSEL sheet (CSV or XLSX). */
  'plans.exportMsel': call(z.object({ id: planId, format: z.enum(['csv', 'xlsx']) }).strict(), REVIEWERS).returns<MediaLink>(),
  /** A plan's steps read back from an MSEL sheet, as plan YAML to check and import. */
  'plans.importMsel': call(
    z.object({ id: planId, format: z.enum(['csv', 'xlsx']), dataBase64: z.string().max(MSEL_BASE64_MAX) }).strict(),
    COORDINATOR,
  ).returns<{ text: string; problems: PlanProblem[] }>(),

  /** Starts a drill from a plan that validates; refused while one runs. */
  'drill.start': call(
    z.object({ planId, seed: z.number().int().min(0).max(2 ** 31 - 1).optional(), speed: z.number().min(0.5).max(10).default(1) }).strict(),
    COORDINATOR,
  ).returns<DrillState>(),
  'drill.control': call(
    z.object({ id, action: z.enum(['pause', 'resume', 'skip', 'end', 'abort']), reason: z.string().trim().max(500).optional() }).strict(),
    COORDINATOR,
  ).returns<DrillState>(),
  'drill.speed': call(z.object({ id, speed: z.number().min(0.5).max(10) }).strict(), COORDINATOR).returns<DrillState>(),
  /** The coordinator confirms a step the console cannot see (expect: confirmed). */
  'drill.confirm': call(z.object({ id, stepId: z.string().min(1).max(64) }).strict(), COORDINATOR).returns<DrillState>(),
  'drill.observe': call(
    z.object({ id, text: z.string().trim().min(1).max(2000), stepId: z.string().min(1).max(64).optional() }).strict(),
    COORDINATOR,
  ).returns<DrillObservation>(),
  /** The drill running now (or paused), or null. */
  'drill.current': call(z.object({}).strict(), ANY_ROLE).returns<DrillState | null>(),
  'drill.list': call(z.object({ limit: z.number().int().min(1).max(200).default(50) }).strict(), REVIEWERS).returns<DrillState[]>(),
  'drill.report': call(z.object({ id }).strict(), REVIEWERS).returns<AfterActionReport>(),
  'drill.exportReport': call(z.object({ id, format: z.enum(['pdf', 'html']), lang: z.enum(['zh-CN', 'en']).default('zh-CN') }).strict(), REVIEWERS)
    .returns<MediaLink>(),
  /** The drill's alerts as CAP 1.2 XML, status Exercise. */
  'drill.exportCap': call(z.object({ id }).strict(), REVIEWERS).returns<MediaLink>(),

  /** Opens a recorded period (a drill's, or any live one) for playback. */
  'playback.open': call(
    z.union([z.object({ drillId: id }).strict(), z.object({ from: timeMs, to: timeMs }).strict()]),
    REVIEWERS,
  ).returns<PlaybackIndex>(),
  /** The picture at one instant of a period opened before. */
  'playback.frame': call(z.object({ from: timeMs, to: timeMs, at: timeMs, drillId: id.optional() }).strict(), REVIEWERS).returns<PlaybackFrame>(),
};

export interface DrillEvents {
  /** Every change of the running drill (status, speed, steps, observations). */
  'drill.changed': DrillState;
}
