// The drone calls: the fused picture and its history, permits, the runways in use, and the response to a
// drone alarm. Roles and input shapes are checked by the dispatcher; the services check the rest.
import type { droneCalls } from '../../../shared/contract/drones.ts';
import type { Person } from '../../../shared/domain.ts';
import { type CallContext, type Handlers } from '../calls.ts';

const person = (ctx: CallContext): Person => ({ username: ctx.user.username, displayName: ctx.user.displayName });

export const droneHandlers: Handlers<typeof droneCalls> = {
  async 'drones.list'(ctx) {
    return ctx.core.drones.fusion.list();
  },
  async 'drones.history'(ctx, query) {
    return ctx.core.drones.fusion.history(query);
  },
  async 'permits.list'(ctx, { includeInactive }) {
    return ctx.core.drones.permits.list({ includeInactive });
  },
  async 'permits.create'(ctx, input) {
    return ctx.core.drones.permits.create(input, person(ctx));
  },
  async 'permits.revoke'(ctx, { id, reason }) {
    return ctx.core.drones.permits.revoke(id, reason, person(ctx));
  },
  async 'runways.state'(ctx) {
    return ctx.core.drones.runways.state();
  },
  async 'droneResponse.get'(ctx, { alarmId }) {
    return ctx.core.drones.responses.get(alarmId);
  },
  async 'droneResponse.record'(ctx, input) {
    return ctx.core.drones.responses.record(input, person(ctx));
  },
  async 'droneResponse.close'(ctx, { alarmId, outcome, note }) {
    return ctx.core.drones.responses.close(alarmId, outcome, note, person(ctx));
  },
};
