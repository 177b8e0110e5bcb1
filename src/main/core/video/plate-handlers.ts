// Checkpoint calls: the search of plate reads (过车查询) and the watch list (布控名单). Changing the list is a
// commander's or an admin's (the contract's roles); each change is on the record and every console is told.
import type { videoCalls } from '../../../shared/contract/video.ts';
import type { Person } from '../../../shared/domain.ts';
import type { Handlers } from '../calls.ts';
import type { Core } from '../core.ts';

type PlateCalls = Pick<typeof videoCalls, 'plates.search' | 'watchlist.list' | 'watchlist.add' | 'watchlist.remove'>;

const person = (u: Person): Person => ({ username: u.username, displayName: u.displayName });

function announce(core: Core, by: Person): void {
  core.bus.publish('watchlist.changed', { entries: core.plates.watchList(), by });
}

export const plateHandlers: Handlers<PlateCalls> = {
  async 'plates.search'({ core }, input) {
    return core.plates.search(input);
  },

  async 'watchlist.list'({ core }) {
    return core.plates.watchList();
  },

  async 'watchlist.add'({ core, user }, { plate, reason }) {
    const by = person(user);
    const before = core.plates.watched(plate);
    const entry = await core.plates.addWatch(plate, reason, by, core.clock.now());
    await core.audit.record(by.username, 'watchlist.add', entry.plate, { reason, ...(before ? { previousReason: before.reason } : {}) });
    announce(core, by);
    return entry;
  },

  async 'watchlist.remove'({ core, user }, { plate }) {
    const by = person(user);
    const before = core.plates.watched(plate);
    const removed = await core.plates.removeWatch(plate);
    if (removed) {
      await core.audit.record(by.username, 'watchlist.remove', before?.plate ?? plate, { reason: before?.reason ?? null });
      announce(core, by);
    }
    return { removed };
  },
};
