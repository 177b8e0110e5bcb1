// ATTACK: the unit-gps platform answers with hostile fixes.
// (a) fixes for thousands of unknown device ids: the feed's `handed` map keeps every one, for ever;
// (b) a platform whose own clock (and fixes) say 2100: accepted (only "ahead of the platform's own time" is
//     checked), and from then on every true fix of that unit — GPS or terminal — is "not newer" and ignored:
//     the unit is frozen on the map at that position, and it survives a restart (unit_positions).
// (c) a fix on the other side of the earth is the unit's position; units.nearest still answers.
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { dispatch, type Session } from '../../src/main/core/api.ts';
import type { HttpJsonClient } from '../../src/main/core/sources/http-json.ts';
import { UnitGpsFeed } from '../../src/main/core/units/unit-gps-source.ts';
import type { Alarm } from '../../src/shared/domain.ts';
import { testCore } from '../fixtures/core.ts';

let t: Awaited<ReturnType<typeof testCore>>;
beforeEach(async () => { t = await testCore(); });
afterEach(() => t.dispose());
let answer: unknown;
const http: HttpJsonClient = { getJson: async () => answer } as unknown as HttpJsonClient;
const unitS: Session = { user: { username: 'unit-swat1', displayName: 'SWAT-1', role: 'unit', unitId: 'SWAT-1' }, origin: 'terminal:x' };
const duty: Session = { user: { username: 'duty', displayName: '李明', role: 'operator' }, origin: 'test' };
const iso = (ms: number) => new Date(ms).toISOString();

describe('attack: hostile GPS platform', () => {
  it('(a) remembers every unknown device id it was ever sent', async () => {
    t.core.sources.register({ id: 'gps', kind: 'unit-gps', name: { zh: 'g', en: 'g' }, silentAfterMs: 30_000 } as any);
    const feed = new UnitGpsFeed({ sourceId: 'gps', url: 'http://gps.invalid', timeoutMs: 1000 }, http, t.core.units.units, t.core.sources, () => undefined);
    for (let poll = 0; poll < 20; poll++) {
      const now = t.clock.now();
      answer = { timestamp: iso(now), fixes: Array.from({ length: 5000 }, (_, i) => ({ deviceId: `ghost-${poll}-${i}`, lon: 106.6, lat: 29.7, fixAt: iso(now) })) };
      await feed.pollOnce();
      t.clock.advance(2000);
    }
    const size = ((feed as any).handed as Map<string, number>).size;
    console.log('handed map after 20 polls of unknown ids:', size);
    expect(size).toBeLessThan(1000); // fails today: 100000
  }, 60_000);

  it('(b) a fix dated 2100 freezes the unit: later true fixes and terminal positions are ignored', async () => {
    t.core.sources.register({ id: 'gps', kind: 'unit-gps', name: { zh: 'g', en: 'g' }, silentAfterMs: 30_000 } as any);
    const feed = new UnitGpsFeed({ sourceId: 'gps', url: 'http://gps.invalid', timeoutMs: 1000 }, http, t.core.units.units, t.core.sources, () => undefined);
    const y2100 = Date.parse('2100-01-01T00:00:00Z');
    answer = { timestamp: iso(y2100), fixes: [{ deviceId: 'SWAT-1', lon: -73.98, lat: 40.75, fixAt: iso(y2100) }] };
    await feed.pollOnce();
    t.clock.advance(5000);
    const now = t.clock.now();
    answer = { timestamp: iso(now), fixes: [{ deviceId: 'SWAT-1', lon: 106.63, lat: 29.70, fixAt: iso(now) }] };
    await feed.pollOnce();
    await dispatch(t.core, unitS, 'terminal.report', { reportId: 'true-pos-1', kind: 'position', position: { lon: 106.631, lat: 29.701 }, at: now });
    const u = t.core.units.units.get('SWAT-1')!;
    console.log('SWAT-1 after a 2100 fix, a true GPS fix and a terminal fix:', JSON.stringify(u.position), new Date(u.positionAt!).toISOString(), 'stale:', u.stale);
    const alarm = (await dispatch(t.core, duty, 'alarms.raiseManual', { position: { lon: 106.63, lat: 29.70 }, severity: 3, note: 'x' })) as Alarm;
    const near = (await dispatch(t.core, duty, 'units.nearest', { alarmId: alarm.id, limit: 20 })) as any[];
    console.log('(c) nearest still answers; SWAT-1 is', JSON.stringify(near.find((c) => c.unit.id === 'SWAT-1') ?? 'absent'));
    expect(u.position!.lon).toBeCloseTo(106.631, 2); // fails today: still -73.98 (New York)
  }, 60_000);
});
