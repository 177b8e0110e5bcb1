// How drone alarms and threat reasons read to the operator, in both languages: the alarm title the queue shows,
// the brief map label, the facts, and the reasons of the track card (renderer wording, from typed details).
import { beforeAll, describe, expect, it } from 'vitest';
import type { Alarm } from '../../src/shared/domain.ts';
import type { ThreatReason } from '../../src/shared/drones.ts';

// The renderer's i18n reads the saved language from localStorage when it loads.
const stored = new Map<string, string>();
(globalThis as { localStorage?: unknown }).localStorage = { getItem: (k: string) => stored.get(k) ?? null, setItem: (k: string, v: string) => stored.set(k, v) };

let text: typeof import('../../src/renderer/src/composables/alarm-text.ts');
let words: typeof import('../../src/renderer/src/components/drones/drone-words.ts');
let i18n: typeof import('../../src/renderer/src/i18n/index.ts')['i18n'];
beforeAll(async () => {
  text = await import('../../src/renderer/src/composables/alarm-text.ts');
  words = await import('../../src/renderer/src/components/drones/drone-words.ts');
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
    expect(text.alarmTitle(threat)).toBe('无人机 1581F5… 侵入 02L 进近面 31 米 · 跑道使用中');
    expect(inLocale('en', () => text.alarmTitle(threat))).toBe('Drone 1581F5… penetrates the 02L approach surface by 31 m · runway in use');
    expect(text.alarmMapLabel(threat)).toBe('无人机 1581F5… · 侵入 31 米');
    // Not penetrating: the path it is on comes next.
    const onPath = { ...threat, details: { ...threat.details, penetrationM: 0, runwayInUse: false } } as Alarm;
    expect(text.alarmTitle(onPath)).toBe('无人机 1581F5… 位于 02L 进近航径');
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
    expect(words.reasonText({ code: 'permit-inside', permitId: 'P-9' })).toBe('在授权飞行范围内（P-9）');
    expect(inLocale('en', () => words.reasonText({ code: 'no-remote-id' }))).toBe('No Remote ID');
    expect(words.reasonText({ code: 'swarm', swarmId: 'S', count: 50 })).toBe('属于 50 架无人机组成的蜂群');
  });
});
