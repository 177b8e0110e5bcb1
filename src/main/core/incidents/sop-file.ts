// The site's SOP file (`<site folder>/response/sops.json`): the incident types (案事件类型) and the checklist
// each brings (处置流程). Every problem is reported at once as `sops.json: json-path: what is wrong`, never as a
// stack; a missing file leaves the console with one general type, so that an alarm can still become an incident.
import { readFile } from 'node:fs/promises';
import { basename, join } from 'node:path';
import { z } from 'zod';
import type { IncidentType } from '../../../shared/response.ts';
import { jsonPath } from '../site/load-site.ts';

const text = z.object({ zh: z.string().trim().min(1).max(200), en: z.string().trim().min(1).max(200) }).strict();
const code = z.string().regex(/^[a-z0-9][a-z0-9-]{0,39}$/, 'lower-case letters, digits and -; at most 40');

const stepSchema = z.object({
  id: code,
  text,
  /** Seconds from the incident's opening by which the step should be done (where the 1-3-5 rule applies). */
  targetS: z.number().int().positive().max(86_400).optional(),
}).strict();

const typeSchema = z.object({
  id: code,
  name: text,
  steps: z.array(stepSchema).min(1).max(40),
}).strict();

export const sopFileSchema = z.object({
  format: z.literal('skyfence-sops'),
  version: z.literal(1),
  notice: text.optional(),
  types: z.array(typeSchema).min(1).max(100),
}).strict();

export type SopFile = z.infer<typeof sopFileSchema>;

export class SopFileError extends Error {
  constructor(readonly problems: string[]) {
    super(problems.join('\n'));
    this.name = 'SopFileError';
  }
}

/** Where a site keeps its SOPs. */
export const sopFilePath = (siteDir: string) => join(siteDir, 'response', 'sops.json');

/** Used when a site has no SOP file: a general checklist that fits any incident. */
export const GENERAL_INCIDENT_TYPE: IncidentType = {
  id: 'other',
  name: { zh: '其他', en: 'Other' },
  steps: [
    { id: 'verify', text: { zh: '核实警情', en: 'Verify the report' }, targetS: 60 },
    { id: 'dispatch', text: { zh: '派警处置', en: 'Dispatch a unit' }, targetS: 180 },
    { id: 'on-scene', text: { zh: '警力到场', en: 'Unit on scene' }, targetS: 300 },
    { id: 'evidence', text: { zh: '现场取证', en: 'Collect evidence' } },
    { id: 'restore', text: { zh: '恢复秩序', en: 'Restore normal operations' } },
  ],
};

/** Reads the site's SOPs; null when the site has none. Throws SopFileError naming every problem. */
export async function loadSopFile(file: string): Promise<IncidentType[] | null> {
  let raw: string;
  try {
    raw = await readFile(file, 'utf8');
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code === 'ENOENT') return null;
    throw new SopFileError([`${basename(file)}: cannot read the file (${(err as NodeJS.ErrnoException).code ?? 'error'})`]);
  }
  return parseSops(raw, basename(file));
}

export function parseSops(raw: string, name: string): IncidentType[] {
  let json: unknown;
  try {
    json = JSON.parse(raw);
  } catch (err) {
    throw new SopFileError([`${name}: $: not valid JSON (${(err as Error).message})`]);
  }
  const parsed = sopFileSchema.safeParse(json);
  if (!parsed.success) throw new SopFileError(parsed.error.issues.map((i) => `${name}: ${jsonPath(i.path)}: ${i.message}`));
  const problems: string[] = [];
  const typeIds = new Set<string>();
  parsed.data.types.forEach((type, t) => {
    if (typeIds.has(type.id)) problems.push(`${name}: $.types[${t}].id: "${type.id}" is used by an earlier type`);
    typeIds.add(type.id);
    const stepIds = new Set<string>();
    type.steps.forEach((step, s) => {
      if (stepIds.has(step.id)) problems.push(`${name}: $.types[${t}].steps[${s}].id: "${step.id}" is used by an earlier step of ${type.id}`);
      stepIds.add(step.id);
    });
  });
  if (problems.length) throw new SopFileError(problems);
  return parsed.data.types.map((t) => ({
    id: t.id,
    name: t.name,
    steps: t.steps.map((s) => ({ id: s.id, text: s.text, ...(s.targetS === undefined ? {} : { targetS: s.targetS }) })),
  }));
}
