// The plan, drill and playback calls, served. Roles are in the contract (drills.ts): the coordinator alone starts,
// steers and aborts a drill. Exports are held behind a media ticket, as the other reports are, and go on the record.
import type { drillCalls } from '../../../shared/contract/drills.ts';
import type { Person } from '../../../shared/domain.ts';
import { ApiError, type CallContext, type Handlers } from '../calls.ts';
import { videoCore } from '../video/video-core.ts';
import { afterActionHtml, afterActionPdf } from './after-action-export.ts';
import { drillAlertsCap } from './cap.ts';
import { mselToPlanYaml, planToMsel } from './msel.ts';

const person = (ctx: CallContext): Person => ({ username: ctx.user.username, displayName: ctx.user.displayName });

/** Holds a file for download and returns its link; the export goes on the record. */
async function download(ctx: CallContext, file: { contentType: string; filename: string; data: Buffer }, action: string, subject: string, details: Record<string, unknown>) {
  const video = videoCore(ctx.core);
  const { ticket, expiresAt } = video.tickets.issue('report', video.reports.hold(file), ctx.user.username);
  await ctx.core.audit.record(ctx.user.username, action, subject, { ...details, bytes: file.data.length });
  return { url: `/media/${ticket}`, expiresAt };
}

const period = (p: { from: number; to: number; drillId?: string }) => {
  if (p.to <= p.from) throw new ApiError('bad-request', 'the period ends before it starts', { fields: [{ path: 'to', problem: 'must be after from' }] });
  return p;
};

export const drillHandlers: Handlers<typeof drillCalls> = {
  'plans.list': async ({ core }) => core.plans.list(),
  'plans.get': async ({ core }, { id }) => core.plans.get(id),
  'plans.validate': async ({ core }, { file, text }) => core.plans.validate(file, text),
  'plans.import': async (ctx, { file, text }) => ctx.core.plans.import(file, text, person(ctx)),
  async 'plans.exportMsel'(ctx, { id, format }) {
    const plan = ctx.core.plans.get(id);
    const data = await planToMsel(plan, format);
    const contentType = format === 'csv' ? 'text/csv; charset=utf-8' : 'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet';
    return download(ctx, { contentType, filename: `MSEL-${plan.id}-v${plan.version}.${format}`, data }, 'plan.export', plan.id, { format });
  },
  async 'plans.importMsel'(ctx, { id, format, dataBase64 }) {
    const data = Buffer.from(dataBase64, 'base64');
    let base = null;
    try {
      base = ctx.core.plans.get(id);
    } catch {
      base = null;
    }
    return mselToPlanYaml(data, format, base, id);
  },
  'drill.start': async (ctx, { planId, seed, speed }) => ctx.core.drills.start(planId, { seed, speed }, person(ctx)),
  'drill.control': async (ctx, { id, action, reason }) => ctx.core.drills.control(id, action, reason, person(ctx)),
  'drill.speed': async (ctx, { id, speed }) => ctx.core.drills.setSpeed(id, speed, person(ctx)),
  'drill.confirm': async (ctx, { id, stepId }) => ctx.core.drills.confirm(id, stepId, person(ctx)),
  'drill.observe': async (ctx, { id, text, stepId }) => ctx.core.drills.observe(id, text, stepId, person(ctx)),
  'drill.current': async ({ core }) => core.drills.current(),
  'drill.list': async ({ core }, { limit }) => core.drills.list(limit),
  'drill.report': async ({ core }, { id }) => core.drills.report(id),
  async 'drill.exportReport'(ctx, { id, format, lang }) {
    const report = await ctx.core.drills.report(id);
    const data = format === 'pdf' ? await afterActionPdf(report, lang) : Buffer.from(afterActionHtml(report, lang), 'utf8');
    const contentType = format === 'pdf' ? 'application/pdf' : 'text/html; charset=utf-8';
    return download(ctx, { contentType, filename: `复盘报告-${report.drill.planId}-${id.slice(0, 8)}.${format}`, data }, 'drill.export', id, { format, lang });
  },
  async 'drill.exportCap'(ctx, { id }) {
    const report = await ctx.core.drills.report(id);
    const alarms = (await Promise.all(report.alarms.map((a) => ctx.core.alarms.get(a.id)))).filter((a) => a !== null);
    const xml = drillAlertsCap(report, alarms, { icao: ctx.core.site.pack.icao, name: ctx.core.site.pack.name.zh ?? String(ctx.core.site.pack.name) });
    return download(ctx, { contentType: 'application/xml; charset=utf-8', filename: `CAP-${id.slice(0, 8)}.xml`, data: Buffer.from(xml, 'utf8') }, 'drill.export', id, { format: 'cap' });
  },
  'playback.open': async ({ core }, input) => core.playback.open('drillId' in input ? await drillPeriod(core, input.drillId) : period(input)),
  'playback.frame': async ({ core }, { from, to, at, drillId }) => core.playback.frame(period({ from, to, drillId }), at),
};

async function drillPeriod(core: CallContext['core'], drillId: string) {
  const drill = await core.drills.get(drillId);
  if (drill.status === 'running' || drill.status === 'paused') throw new ApiError('conflict', 'a drill is played back once it has ended', { reason: 'drill-running' });
  return { from: drill.startedAt, to: drill.endedAt ?? drill.startedAt, drillId };
}
