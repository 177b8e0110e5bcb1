// The incident calls, served: roles and input shapes are checked by the dispatcher (closing is the commander's),
// the rest by the incidents service. The report is held for download behind a media ticket, as the video
// patrol report is, and its export goes on the record.
import type { incidentCalls } from '../../../shared/contract/incidents.ts';
import type { Person } from '../../../shared/domain.ts';
import type { CallContext, Handlers } from '../calls.ts';
import { videoCore } from '../video/video-core.ts';

const person = (ctx: CallContext): Person => ({ username: ctx.user.username, displayName: ctx.user.displayName });

export const incidentHandlers: Handlers<typeof incidentCalls> = {
  'incidents.types': async ({ core }) => core.incidents.types(),
  'incidents.list': async ({ core }, { openOnly }) => core.incidents.list(openOnly),
  'incidents.get': async ({ core }, { id }) => core.incidents.view(id),
  'incidents.open': async (ctx, input) => ctx.core.incidents.open(input, person(ctx)),
  'incidents.addAlarms': async (ctx, { id, alarmIds }) => ctx.core.incidents.addAlarms(id, alarmIds, person(ctx)),
  'incidents.step': async (ctx, { id, stepId, action, reason }) => ctx.core.incidents.step(id, stepId, action, reason, person(ctx)),
  'incidents.note': async (ctx, { id, text, snapshotId }) => ctx.core.incidents.note(id, text, snapshotId, person(ctx)),
  'incidents.close': async (ctx, { id, summary }) => ctx.core.incidents.close(id, summary, person(ctx)),
  async 'incidents.report'(ctx, { id, language }) {
    const incident = await ctx.core.incidents.get(id);
    const data = await ctx.core.incidents.reportPdf(id, language, person(ctx));
    const video = videoCore(ctx.core);
    const held = video.reports.hold({ contentType: 'application/pdf', filename: `案事件报告-${incident.number}.pdf`, data });
    const { ticket, expiresAt } = video.tickets.issue('report', held, ctx.user.username);
    await ctx.core.audit.record(ctx.user.username, 'incident.export', id, { number: incident.number, format: 'pdf', language, bytes: data.length });
    return { url: `/media/${ticket}`, expiresAt };
  },
};
