// The record calls (audit log, handover), served. Who may call what is in the contract (record.ts): reading the
// log is for commanders and administrators, checking it for administrators, the handover for those who work alarms.
import { recordCalls } from '../../../shared/contract/record.ts';
import type { AuditVerdict } from '../../../shared/response.ts';
import { ApiError, type Handlers } from '../calls.ts';
import { AuditReader } from './audit-reader.ts';

export const recordHandlers: Handlers<typeof recordCalls> = {
  'audit.list': ({ core }, filter) => new AuditReader(core.db).list(filter),
  async 'audit.verify'({ core, user }) {
    let verdict;
    try {
      verdict = await new AuditReader(core.db).verify(core.config.dataDir);
    } catch (err) {
      throw new ApiError('unavailable', `the record cannot be checked: ${(err as Error).message}`, { reason: 'audit-unreadable' });
    }
    const { explanation: _e, anchored: _a, ...result } = verdict;
    // The check itself goes on the record; a log that cannot take another entry (an unsealed one) says so in the verdict.
    await core.audit
      .record(user.username, 'audit.verify', null, { ok: result.ok, entries: result.entries, firstBroken: result.firstBroken })
      .catch(() => undefined);
    return result satisfies AuditVerdict;
  },
  'handover.draft': ({ core }) => core.handovers.draft(),
  'handover.submit': ({ core, user }, { note }) => core.handovers.submit(note, user),
  'handover.accept': ({ core, session, user }, { id, username, password }) => core.handovers.accept(id, { username, password }, session, user),
  'handover.cancel': ({ core, user }, { id }) => core.handovers.cancel(id, user),
  'handover.list': ({ core }, { limit }) => core.handovers.list(limit),
};
