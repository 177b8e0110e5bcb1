// How drone alarms and threat reasons read to the operator, in both languages: the alarm title the queue shows,
// the brief map label, the facts, and the reasons of the track card (renderer wording, from typed details).
import { beforeAll, describe, expect, it } from 'vitest';
import type { Alarm } from '../../src/shared/domain.ts';
import type { DroneTrack, ThreatReason } from '../../src/shared/drones.ts';

// The renderer's i18n reads the saved language from localStorage when it loads.
const stored = new Map<string, string>();
(globalThis as { localStorage?: unknown }).localStorage = { getItem: (k: string) => stored.get(k) ?? null, setItem: (k: string, v: string) => stored.set(k, v) };

let text: typeof import('../../src/renderer/src/composables/alarm-text.ts');
let words: typeof import('../../src/renderer/src/components/drones/drone-words.ts');
let response: typeof import('../../src/renderer/src/components/drones/drone-response-text.ts');
let i18n: typeof import('../../src/renderer/src/i18n/index.ts')['i18n'];
beforeAll(async () => {
  text = await import('../../src/renderer/src/composables/alarm-text.ts');
  words = await import('../../src/renderer/src/components/drones/drone-words.ts');
  response = await import('../../src/renderer/src/components/drones/drone-response-text.ts');
  i18n = (await import('../../src/renderer/src/i18n/index.ts')).i18n;
});
const inLocale = <T>(locale: 'zh-CN' | 'en', f: () => T): T => {
  i18n.global.locale.value = locale;
  try {
    return f();
  } finally {
    i18n.global.locale.value = 'zh-CN';
  }
};

const reasons: ThreatReason[] = [
  { code: 'circle', circleId: 'inner', ring: 'inner', name: { zh: '内圈识别布控圈', en: 'Inner identification circle' } },
  { code: 'penetration', surface: 'approach', runway: '02L', penetrationM: 31.4 },
  { code: 'path', kind: 'approach', runway: '02L', lateralM: -40.2, alongM: 1200 },
  { code: 'runway-in-use', runway: '02L' },
];
const base = {
  id: 'a1', source: 'drone', severity: 4, position: { lon: 106.63, lat: 29.69, altM: 526 }, circleId: 'inner', circleRing: 'inner', gridCellId: null,
  raisedAt: 0, updatedAt: 0, updates: 1, state: 'new', drill: false, acknowledgedAt: null, acknowledgedBy: null, closedAt: null, closedBy: null, resolution: null,
} as const;
const threat = {
  ...base, type: 'drone-threat',
  details: {
    trackId: 'UAS-000042', label: '1581F5FJD239C00BD4X', classification: 'drone', identity: null, pilot: null, level: 4, maxLevel: 4, reasons,
    surface: 'approach', runway: '02L', penetrationM: 31.4, maxPenetrationM: 35.2, altM: 526, runwayInUse: true, permitId: null, suggested: ['notify-atc'],
  },
} as unknown as Alarm;
const swarm = {
  ...base, type: 'drone-swarm',
  details: {
    swarmId: 'SW-1', trackIds: ['UAS-S1', 'UAS-S2'], count: 50, peak: 52, centroid: { lon: 106.63, lat: 29.69 }, level: 3, maxLevel: 3,
    reasons: [{ code: 'circle', circleId: 'outer', ring: 'outer', name: { zh: '外圈', en: 'Outer' } }, { code: 'circle', circleId: 'inner', ring: 'inner', name: { zh: '内圈', en: 'Inner' } }, { code: 'swarm', swarmId: 'SW-1', count: 50 }],
    suggested: [],
  },
} as unknown as Alarm;

describe('drone alarm wording', () => {
  it('titles a drone threat by its worst fact and the runway in use', () => {
    expect(text.alarmTitle(threat)).toBe('无人机 …C00BD4X 侵入 02L 进近面 31 米 · 跑道使用中');
    expect(inLocale('en', () => text.alarmTitle(threat))).toBe('Drone …C00BD4X penetrates the 02L approach surface by 31 m · runway in use');
    expect(text.alarmMapLabel(threat)).toBe('无人机 …C00BD4X · 侵入 31 米');
    // Not penetrating: the path it is on comes next.
    const onPath = { ...threat, details: { ...threat.details, penetrationM: 0, runwayInUse: false } } as Alarm;
    expect(text.alarmTitle(onPath)).toBe('无人机 …C00BD4X 位于 02L 进近航径');
  });

  it('titles a swarm once, with its count and innermost ring', () => {
    expect(text.alarmTitle(swarm)).toBe('无人机蜂群 50 架 · 内圈');
    expect(inLocale('en', () => text.alarmTitle(swarm))).toBe('Drone swarm of 50 · inner ring');
    expect(text.alarmFacts(swarm, undefined)).toContain('最多同时 52 架');
    expect(text.alarmDroneIds(swarm)).toEqual(['UAS-S1', 'UAS-S2']);
  });

  it('lists every reason as a fact, and the deepest penetration', () => {
    expect(text.alarmFacts(threat, undefined)).toEqual([
      '位于内圈识别布控圈', '侵入 02L 进近面 31 米', '位于 02L 进近航径，距跑道入口 1.2 公里，偏离中心线 40 米', '跑道 02L 使用中', '最大侵入 35 米 · 高度 526 米（海拔）',
    ]);
    expect(text.alarmTrackId(threat)).toBe('UAS-000042');
  });

  it('words permits by operator and why a flight is outside it', () => {
    const permit = { id: 'P-1', operator: '重庆测绘院' } as never;
    expect(words.reasonText({ code: 'permit-outside', permitId: 'P-1', why: 'ceiling' }, () => permit)).toBe('超出授权飞行（重庆测绘院）：超过授权限高');
    expect(words.reasonText({ code: 'permit-inside', permitId: 'P-9' })).toBe('在授权飞行范围内（授权 P-9）');
    // A permit not (yet) known to the renderer: a short form of its uuid, never the whole of it.
    expect(words.reasonText({ code: 'permit-outside', permitId: '4f1c2d3e-5a6b-4c7d-8e9f-0a1b2c3d4e5f', why: 'area' })).toBe('超出授权飞行（授权 …c3d4e5f）：飞出授权区域');
    expect(inLocale('en', () => words.reasonText({ code: 'no-remote-id' }))).toBe('No Remote ID');
    expect(words.reasonText({ code: 'swarm', swarmId: 'S', count: 50 })).toBe('属于 50 架无人机组成的蜂群');
  });

  it('keeps the end of a long id, where serials and ULIDs of one maker or sensor differ', () => {
    expect(words.shortLabel('1581F5FJD239C00BD4X')).toBe('…C00BD4X');
    expect(words.shortLabel('01M8TF3ZQ9XK2V5FKD22A')).toBe('…5FKD22A');
    expect(words.shortLabel('UAS-000003')).toBe('UAS-000003');
  });

  it('words a suspended runway as suspended, a landed drone, and how many of a swarm have no Remote ID', () => {
    expect(words.reasonText({ code: 'runway-suspended', runway: '02L' })).toBe('跑道 02L 已暂停（无人机处置）');
    expect(inLocale('en', () => words.reasonText({ code: 'runway-suspended', runway: '02L' }))).toBe('Runway 02L suspended (drone response)');
    const suspended = { ...threat, details: { ...(threat as Extract<Alarm, { type: 'drone-threat' }>).details, runwayInUse: false, reasons: [...reasons.slice(0, 3), { code: 'runway-suspended', runway: '02L' }] } } as Alarm;
    expect(text.alarmTitle(suspended)).toBe('无人机 …C00BD4X 侵入 02L 进近面 31 米 · 跑道已暂停');
    expect(words.reasonText({ code: 'landed', heightAglM: 1.6 })).toBe('已落地（离地 2 米）');
    expect(words.reasonText({ code: 'no-remote-id', count: 28 })).toBe('28 架无远程识别');
    expect(inLocale('en', () => words.reasonText({ code: 'no-remote-id', count: 28 }))).toBe('28 without Remote ID');
    const swarmOf28 = { ...swarm, details: { ...(swarm as Extract<Alarm, { type: 'drone-swarm' }>).details, reasons: [{ code: 'no-remote-id', count: 28 }] } } as Alarm;
    expect(text.alarmFacts(swarmOf28, undefined)).toEqual(['28 架无远程识别', '最多同时 52 架']);
  });

  it('words UA types in both languages, and a reserved value by its number', () => {
    expect(words.uaTypeText('helicopter-or-multirotor')).toBe('直升机/多旋翼');
    expect(words.uaTypeText('hybrid-lift')).toBe('复合翼（垂直起降固定翼）');
    expect(inLocale('en', () => words.uaTypeText('hybrid-lift'))).toBe('Hybrid lift (VTOL fixed wing)');
    expect(words.uaTypeText('reserved-12')).toBe('保留值 12');
  });
});

describe('positions and the pre-filled message', () => {
  it('gives latitude first, labelled, in both languages', () => {
    expect(words.latLonText({ lon: 106.631861, lat: 29.692634 })).toBe('北纬 29.69263，东经 106.63186');
    expect(inLocale('en', () => words.latLonText({ lon: 106.631861, lat: 29.692634 }))).toBe('29.69263° N, 106.63186° E');
    expect(inLocale('en', () => words.latLonText({ lon: -3.5, lat: -12.25 }))).toBe('12.25000° S, 3.50000° W');
  });

  it('fills the message from the live track when it is fresher than the alarm, with the time of that position', () => {
    const alarm = { ...threat, updatedAt: 1_000 } as Extract<Alarm, { type: 'drone-threat' }>;
    const live = {
      id: 'UAS-000042', lastSeen: 61_000, position: { lon: 106.64, lat: 29.7, altM: 600 }, pilot: { lon: 106.6, lat: 29.71 },
      identity: null, threat: {
        level: 4, reasons: [{ code: 'penetration', surface: 'approach', runway: '02L', penetrationM: 88.2 }, { code: 'runway-suspended', runway: '02L' }],
        lowestSurface: { surface: 'approach', runway: '02L', heightM: 511.8 }, penetrationM: 88.2, path: null, runwayInUse: false,
      },
    } as unknown as DroneTrack;
    const { alarm: now, at } = response.withLatestFix(alarm, new Map([[live.id, live]]));
    expect(at).toBe(61_000);
    const message = response.notificationMessage(now, undefined, null, at);
    expect(message).toContain(`位置时间：${new Date(61_000).toLocaleString('zh-CN', { hour12: false })}`);
    expect(message).toContain('位置：北纬 29.70000，东经 106.64000');
    expect(message).toContain('超过02L 跑道进近面（第一段） 88.2 米');
    expect(message).toContain('受威胁跑道：02L（已暂停）');
    expect(message).toContain('飞手位置：北纬 29.71000，东经 106.60000');

    // Without the track in the picture (or with an older fix), the alarm as it was last written.
    expect(response.withLatestFix(alarm, new Map())).toEqual({ alarm, at: 1_000 });
    expect(response.withLatestFix(alarm, new Map([[live.id, { ...live, lastSeen: 500 }]]))).toEqual({ alarm, at: 1_000 });
  });
});
