// The video calls: cameras and "who can see this", media links by ticket, PTZ presets, the video wall's
// layouts and video patrol inspection with its report. Each handler checks what only the core knows (that a
// camera exists) and hands the work to its service; roles and input shapes are checked by the dispatcher.
import type { videoCalls } from '../../../shared/contract/video.ts';
import type { Person } from '../../../shared/domain.ts';
import { ApiError, type CallContext, type Handlers } from '../calls.ts';
import { buildPatrolReport } from './patrol-report.ts';
import { videoCore } from './video-core.ts';
import { camerasCovering } from './who-can-see.ts';

type VideoCalls = Omit<typeof videoCalls, 'plates.search' | 'watchlist.list' | 'watchlist.add' | 'watchlist.remove'>;

const person = (ctx: CallContext): Person => ({ username: ctx.user.username, displayName: ctx.user.displayName });
const mediaUrl = (ticket: string) => `/media/${ticket}`;

function cameraOf(ctx: CallContext, id: string) {
  const camera = videoCore(ctx.core).cameras.get(id);
  if (!camera) throw new ApiError('not-found', `no camera ${id}`, { fields: [{ path: 'cameraId', problem: 'unknown camera' }] });
  return camera;
}

export const videoHandlers: Handlers<VideoCalls> = {
  async 'video.cameras'(ctx) {
    const { cameras } = videoCore(ctx.core);
    return { cameras: cameras.list(), states: cameras.states() };
  },

  async 'video.whoCanSee'(ctx, { point, limit }) {
    const { cameras } = videoCore(ctx.core);
    return camerasCovering(cameras.list(), cameras.states(), point, { limit: limit ?? 10 });
  },

  async 'video.media'(ctx, input) {
    const { tickets } = videoCore(ctx.core);
    if (input.kind === 'evidence') {
      const { ticket, expiresAt } = tickets.issue('evidence', input.snapshotId, ctx.user.username);
      return { url: mediaUrl(ticket), expiresAt };
    }
    cameraOf(ctx, input.cameraId);
    const { ticket, expiresAt } = tickets.issue(input.kind, input.cameraId, ctx.user.username);
    return { url: mediaUrl(ticket), expiresAt };
  },

  async 'video.gotoPreset'(ctx, { cameraId, presetId }) {
    const camera = cameraOf(ctx, cameraId);
    if (camera.kind !== 'ptz') throw new ApiError('bad-request', `camera ${cameraId} is not a PTZ camera`, { fields: [{ path: 'cameraId', problem: 'not a PTZ camera' }] });
    if (!camera.presets.some((p) => p.id === presetId)) {
      throw new ApiError('bad-request', `camera ${cameraId} has no preset ${presetId}`, { fields: [{ path: 'presetId', problem: 'no such preset on this camera' }] });
    }
    const state = await videoCore(ctx.core).cameras.setPreset(cameraId, presetId);
    await ctx.core.audit.record(ctx.user.username, 'video.goto-preset', cameraId, { presetId });
    return state;
  },

  async 'wall.layouts'(ctx) {
    return videoCore(ctx.core).walls.list();
  },
  async 'wall.saveLayout'(ctx, input) {
    return videoCore(ctx.core).walls.save(input, { ...person(ctx), role: ctx.user.role });
  },
  async 'wall.deleteLayout'(ctx, { name }) {
    return videoCore(ctx.core).walls.delete(name, { ...person(ctx), role: ctx.user.role });
  },

  async 'patrol.routes'(ctx) {
    return videoCore(ctx.core).patrol.routes();
  },
  async 'patrol.saveRoute'(ctx, input) {
    return videoCore(ctx.core).patrol.saveRoute(input, person(ctx));
  },
  async 'patrol.due'(ctx) {
    return videoCore(ctx.core).patrol.due();
  },
  async 'patrol.start'(ctx, { routeId }) {
    return videoCore(ctx.core).patrol.start(routeId, person(ctx));
  },
  async 'patrol.check'(ctx, input) {
    return videoCore(ctx.core).patrol.check(input, person(ctx));
  },
  async 'patrol.finish'(ctx, { runId }) {
    return videoCore(ctx.core).patrol.finish(runId, person(ctx));
  },
  async 'patrol.runs'(ctx, { from, to }) {
    return videoCore(ctx.core).patrol.runs(from, to);
  },
  async 'patrol.report'(ctx, { from, to, format }) {
    const video = videoCore(ctx.core);
    const runs = await video.patrol.runs(from, to);
    const cameraName = (id: string) => video.cameras.get(id)?.name.zh ?? id;
    const file = await buildPatrolReport(format, { from, to, runs, generatedAt: ctx.core.clock.now(), generatedBy: person(ctx), cameraName }, video.evidence);
    const { ticket, expiresAt } = video.tickets.issue('report', video.reports.hold(file), ctx.user.username);
    await ctx.core.audit.record(ctx.user.username, 'patrol.report', null, { from, to, format, runs: runs.length });
    return { url: mediaUrl(ticket), expiresAt };
  },
};
