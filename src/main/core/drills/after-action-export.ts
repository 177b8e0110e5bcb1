// The after-action report as a document: HTML (self-contained, the timeline chart as inline SVG) and PDF (the CJK
// font of the other reports), in Chinese or English.
// PLACEHOLDER: the evaluation owner replaces the bodies, keeping these signatures.
import type { AfterActionReport } from '../../../shared/drills.ts';

export type ReportLang = 'zh-CN' | 'en';

export function afterActionHtml(_report: AfterActionReport, _lang: ReportLang): string {
  throw new Error('the after-action report is not written yet');
}

export async function afterActionPdf(_report: AfterActionReport, _lang: ReportLang): Promise<Buffer> {
  throw new Error('the after-action report is not written yet');
}
