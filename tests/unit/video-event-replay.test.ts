// A VMS whose event cursor does not move, or that hands an event again after its cursor moved: each event is
// counted once, the poll stops at the stuck page (it does not spin through its page budget) and the source
// shows the VMS's fault.
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { VmsEvent } from '../../src/main/core/video/vms-api.ts';
import type { Alarm } from '../../src/shared/domain.ts';
import { FakeVms, fakeCameras } from '../fixtures/video-fake-vms.ts';
import { videoCore, type VideoCore } from '../fixtures/video-core.ts';

let fake: FakeVms;
let v: VideoCore;

beforeEach(async () => {
  fake = await new FakeVms().start();
  fake.cameras = fakeCameras(1, { prefix: 'c' });
  v = await videoCore(fake);
});
afterEach(async () => {
  await v.dispose();
  await fake.stop();
});

const at = new Date(Date.UTC(2026, 10, 24, 8)).toISOString();
const intrusion = (id: string): VmsEvent => ({ id, camera: 'c-1', at, type: 'intrusion', hasSnapshot: false });
const eventRequests = () => fake.requests.filter((r) => r.startsWith('GET /api/events?'));
const updatesOf = (alarms: Alarm[]) => alarms.map((a) => a.updates);

describe('a VMS event cursor', () => {
  it('that does not advance fails the poll as malformed after one repeat, and its events count once', async () => {
    fake.faults = [{ path: /^\/api\/events$/, body: { events: [intrusion('e1'), intrusion('e2')], next: 'same', more: true } }];
    for (let i = 0; i < 3; i++) {
      expect(await v.poll()).toBe(false);
      await v.advance(1_000);
    }
    // The first poll reads after '' (next 'same', a real step) and then after 'same', which answers 'same' again.
    expect(eventRequests()).toEqual([
      'GET /api/events?after=&limit=500', 'GET /api/events?after=same&limit=500',
      'GET /api/events?after=same&limit=500', 'GET /api/events?after=same&limit=500',
    ]);
    const source = v.core.sources.get('vms')!;
    expect(source.health).not.toBe('ok');
    expect(source.problem).toMatchObject({ code: 'malformed', path: 'next', target: `${fake.url}api/events` });
    expect(source.problem!.message).toContain("the VMS's event cursor did not advance");
    expect(updatesOf(v.alarms('video-analytic'))).toEqual([2]); // e1 raised it, e2 updated it, replays nothing
  });

  it('a page whose next equals its after with events (more: false) is refused too; an empty one is fine', async () => {
    fake.faults = [{ path: /^\/api\/events$/, body: { events: [], next: '', more: false } }];
    expect(await v.poll()).toBe(true);
    fake.faults = [{ path: /^\/api\/events$/, body: { events: [intrusion('e1')], next: '', more: false } }];
    expect(await v.poll()).toBe(false);
    expect(v.core.sources.get('vms')!.problem!.message).toContain('did not advance');
    expect(updatesOf(v.alarms('video-analytic'))).toEqual([1]);
  });

  it('an event handed again after the cursor moved is not counted again', async () => {
    fake.faults = [{ path: /^\/api\/events$/, body: { events: [intrusion('e1'), intrusion('e2')], next: '2', more: false } }];
    expect(await v.poll()).toBe(true);
    fake.faults = [{ path: /^\/api\/events$/, body: { events: [intrusion('e2'), intrusion('e1')], next: '3', more: false } }];
    expect(await v.poll()).toBe(true);
    fake.faults = [{ path: /^\/api\/events$/, body: { events: [intrusion('e2'), intrusion('e3'), intrusion('e3')], next: '4', more: false } }];
    expect(await v.poll()).toBe(true);
    expect(v.core.sources.get('vms')!.health).toBe('ok');
    expect(updatesOf(v.alarms('video-analytic'))).toEqual([3]); // e1, e2, e3
  });

  it('an event whose alarm write failed is counted when it comes again', async () => {
    fake.faults = [{ path: /^\/api\/events$/, body: { events: [intrusion('e1')], next: '1', more: false } }];
    const report = v.core.alarms.report.bind(v.core.alarms);
    v.core.alarms.report = async () => { throw new Error('disk full'); };
    expect(await v.poll()).toBe(false);
    v.core.alarms.report = report;
    expect(await v.poll()).toBe(true);
    expect(updatesOf(v.alarms('video-analytic'))).toEqual([1]);
  });
});
