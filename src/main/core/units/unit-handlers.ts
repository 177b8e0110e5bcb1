// The units, dispatch and terminal calls of the contract, served. Roles are checked by the dispatcher; a
// terminal (role unit) speaks only for the unit its account is tied to.
import { unitCalls } from '../../../shared/contract/units.ts';
import { ApiError, type CallContext, type Handlers } from '../calls.ts';

/** The unit a terminal's account speaks for. */
function ownUnit({ user }: CallContext): string {
  if (!user.unitId) throw new ApiError('forbidden', `the account ${user.username} is not tied to a unit`, { reason: 'no-unit' });
  return user.unitId;
}

export const unitHandlers: Handlers<typeof unitCalls> = {
  'units.list': async ({ core }) => core.units.units.list(),
  'units.nearest': async ({ core }, { alarmId, limit }) => {
    const alarm = await core.alarms.get(alarmId);
    if (!alarm) throw new ApiError('not-found', `there is no alarm ${alarmId}`, { reason: 'no-such-alarm' });
    return core.units.units.nearest(alarm, limit);
  },
  'units.setStatus': ({ core, user }, { unitId, status }) => core.units.units.setStatus(unitId, status, user),
  'dispatch.send': ({ core, user }, { alarmId, unitIds, guidance }) => core.units.dispatch.send(alarmId, unitIds, guidance, user),
  'dispatch.cancel': ({ core, user }, { orderId, reason }) => core.units.dispatch.cancel(orderId, reason, user),
  'dispatch.list': ({ core }, filter) => core.units.dispatch.list(filter),
  'terminal.state': async (ctx) => ctx.core.units.dispatch.terminalState(ownUnit(ctx)),
  'terminal.report': async (ctx, report) => ctx.core.units.dispatch.terminalReport(ownUnit(ctx), report, ctx.user),
};
