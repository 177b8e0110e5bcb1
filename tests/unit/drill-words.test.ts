// The words an operator reads in the drill and playback views: no internal codes where a name exists.
import { beforeAll, describe, expect, it } from 'vitest';

// The renderer's i18n reads the saved language from localStorage when it loads.
(globalThis as { localStorage?: unknown }).localStorage = { getItem: () => null, setItem: () => undefined };
// drill-time.ts reads the core's clock from the status store, whose module connects the API: an inert one.
(globalThis as { window?: unknown }).window ??= { skyfence: { call: async () => undefined, on: () => () => undefined } };

let eventKindText: typeof import('../../src/renderer/src/components/playback/playback-events.ts')['eventKindText'];
let eventText: typeof import('../../src/renderer/src/components/playback/playback-events.ts')['eventText'];
let listedEvents: typeof import('../../src/renderer/src/components/playback/playback-events.ts')['listedEvents'];
let injectText: typeof import('../../src/renderer/src/components/drills/drill-words.ts')['injectText'];
let speedsText: typeof import('../../src/renderer/src/components/drills/drill-words.ts')['speedsText'];
let stepConditions: typeof import('../../src/renderer/src/components/drills/drill-words.ts')['stepConditions'];
beforeAll(async () => {
  ({ eventKindText, eventText, listedEvents } = await import('../../src/renderer/src/components/playback/playback-events.ts'));
  ({ injectText, speedsText, stepConditions } = await import('../../src/renderer/src/components/drills/drill-words.ts'));
});

describe('playback event words', () => {
  it('words kinds and drill-log texts, without raw ms or step ids', () => {
    expect(eventKindText('drill.fire')).toBe('步骤触发');
    expect(eventKindText('alarm.overdue')).toBe('报警超时');
    const steps = new Map([['ack', { zh: '确认报警', en: 'Acknowledge' }]]);
    expect(eventText({ at: 0, kind: 'drill.late', subject: 'ack', text: 'T+05:39 ack 309004' }, steps)).toBe('确认报警 · 用时 5:09');
    expect(eventText({ at: 0, kind: 'alarm.overdue', actor: 'system', text: 'system · video-analytic' })).toBe('系统 · 视频智能分析');
    expect(eventText({ at: 0, kind: 'alarm.raise', text: '【演练】drone-threat' })).toBe('【演练】无人机威胁');
  });
  it('leaves out sessions and check-ins and lists a drill control once', () => {
    const listed = listedEvents([
      { at: 1000, kind: 'drill.start', actor: 'drill', text: '王芳' },
      { at: 1000, kind: 'drill.start', text: 'T+00:00' },
      { at: 2000, kind: 'session.login', actor: 'command', text: '陈刚' },
      { at: 3000, kind: 'duty.check-in', actor: 'system', text: 'system' },
      { at: 4000, kind: 'drill.fire', subject: 'ack', text: 'T+00:30 ack' },
    ]);
    expect(listed.map((e) => e.kind)).toEqual(['drill.start', 'drill.fire']);
    expect(listed[0].actor).toBe('drill');
  });
});

describe('drill words', () => {
  it('words scenarios, analytics, circles and steps', () => {
    const site = { perceptionCircles: [{ id: 'inner', ring: 'inner', name: { zh: '内圈识别布控圈', en: 'Inner' } }] } as never;
    expect(injectText({ kind: 'drone-scenario', scenario: 'approach-loiter' } as never)).toBe('无人机科目 进近航道盘旋');
    expect(injectText({ kind: 'camera-event', event: 'loitering', camera: 'FENCE-01' } as never)).toBe('视频事件 徘徊 · FENCE-01');
    expect(injectText({ kind: 'zone-crossing', zone: 'inner', position: { lon: 0, lat: 0 } } as never, { site })).toBe('目标进入 内圈识别布控圈');
    const steps = [{ id: 'inject-drone', action: { zh: '无人机进入进近航道', en: 'Drone on approach' } }];
    expect(stepConditions({ when: { action: 'acknowledged', of: 'inject-drone' } } as never, { steps }).join()).not.toContain('inject-drone');
  });
  it('lists the speeds a drill ran at', () => {
    expect(speedsText([{ kind: 'speed', detail: 1 }], 1, 10)).toBe('10× → 1×');
    expect(speedsText([], 10)).toBe('10×');
  });
});
