// A plan's steps as an MSEL (Master Scenario Events List) sheet and back: CSV and XLSX (exceljs), with the columns
// exercise tools use (inject no., time, synopsis, inject text, from, to, expected action, objective, notes).
// PLACEHOLDER: the interchange owner replaces the bodies, keeping these signatures.
import type { Plan, PlanProblem } from '../../../shared/drills.ts';

export type MselFormat = 'csv' | 'xlsx';

export async function planToMsel(_plan: Plan, _format: MselFormat): Promise<Buffer> {
  throw new Error('MSEL export is not written yet');
}

/**
 * The plan YAML an MSEL sheet describes: the steps from its rows, the rest (metadata, units) from `base` (the plan
 * it was exported from, when known). Problems name the sheet row and column.
 */
export async function mselToPlanYaml(_data: Buffer, _format: MselFormat, _base: Plan | null): Promise<{ text: string; problems: PlanProblem[] }> {
  throw new Error('MSEL import is not written yet');
}
