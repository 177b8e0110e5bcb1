// The status bar must say "VMS OK (16 offline)" as soon as cameras drop, though the source itself stays ok.
import { describe, expect, it } from 'vitest';
import { ManualClock } from '../../src/main/core/clock.ts';
import type { AlarmService } from '../../src/main/core/alarms/alarm-service.ts';
import { SourceRegistry } from '../../src/main/core/sources/source-registry.ts';

describe('source status counts', () => {
  it('announces a change of cameras offline or frozen at once, not every poll of other counts', () => {
    let changed = 0;
    const registry = new SourceRegistry(new ManualClock(), {} as AlarmService, { changed: () => changed++ });
    registry.register({ id: 'vms', kind: 'vms', name: { zh: '视频平台', en: 'VMS' }, silentAfterMs: 10_000 });
    registry.ok('vms', { cameras: 300, offline: 0, frozen: 0, events: 1 });
    const base = changed; // registered, then idle → ok
    registry.ok('vms', { cameras: 300, offline: 0, frozen: 0, events: 2 });
    expect(changed).toBe(base);
    registry.ok('vms', { cameras: 300, offline: 16, frozen: 0, events: 3 });
    expect(changed).toBe(base + 1);
    expect(registry.list().find((s) => s.id === 'vms')?.counts?.offline).toBe(16);
    registry.ok('vms', { cameras: 300, offline: 16, frozen: 1, events: 4 });
    expect(changed).toBe(base + 2);
    registry.stop();
  });
});
