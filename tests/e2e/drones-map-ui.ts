// Drone tracks on the 3D map and their card, in Chromium against a console: tracks published through the drone
// store's test hook (window.__skyfenceDrones.apply, as drones.changed would bring them) are drawn coloured by
// threat, with stalk, trail and pilot; labels only where they matter; a click opens the card with every reason
// worded (Chinese, then English); the selected track's penetrated surface and its gap are drawn; a swarm is one
// outline; the layer switch hides them all. At scale (hundreds of quiet tracks) the quiet ones are points only,
// and selecting one draws it in full with the trail the store remembers. Registered by an e2e test file
// (registerDroneMapTests) on its host.
import { beforeAll, describe, expect, it } from 'vitest';
import type { Browser, Page } from 'playwright-core';
import type { DronesChanged } from '../../src/shared/contract/drones.ts';
import type { DroneTrack, ThreatAssessment } from '../../src/shared/drones.ts';
import { login, openConsole, settle, type RunningHost } from './harness.ts';

/** The aerodrome of the sample site (resources/sites/zuck/site.json). */
export const ELEVATION_M = 416.05;
/** 02L threshold and the runway's direction (towards 20R), from the sample site. */
const RWY_02L = { lon: 106.636749, lat: 29.705181 };
const RWY_20R = { lon: 106.646317, lat: 29.73283 };

/** A point `alongM` before the 02L threshold on the extended centreline, `lateralM` to its right. */
export function onApproach02L(alongM: number, lateralM = 0): { lon: number; lat: number } {
  const k = Math.cos((RWY_02L.lat * Math.PI) / 180);
  const dx = (RWY_20R.lon - RWY_02L.lon) * 111_320 * k;
  const dy = (RWY_20R.lat - RWY_02L.lat) * 110_540;
  const len = Math.hypot(dx, dy);
  const [ux, uy] = [dx / len, dy / len];
  const x = -ux * alongM + uy * lateralM;
  const y = -uy * alongM - ux * lateralM;
  return { lon: RWY_02L.lon + x / (111_320 * k), lat: RWY_02L.lat + y / 110_540 };
}

const NO_THREAT: ThreatAssessment = {
  level: 0, reasons: [], circleId: null, circleRing: null, inInspectionArea: false, lowestSurface: null, penetrationM: 0, clearanceM: null,
  path: null, runwayInUse: null, permitId: null, suggested: [],
};

/** A fused track as the core would send it; what is not given is a quiet, identified drone seen by one sensor. */
export function droneTrack(over: Partial<DroneTrack> & Pick<DroneTrack, 'id' | 'position'>): DroneTrack {
  const now = Date.now();
  return {
    label: over.id, state: 'active', classification: 'drone', confidence: 0.9, heightAglM: over.position.altM - ELEVATION_M,
    speedMps: 6, headingDeg: 20, verticalSpeedMps: 0,
    identity: { serial: over.id, registrationId: null, uaType: 'helicopter-or-multirotor', operatorId: null, selfIdText: null },
    pilot: null, contacts: [{ sensorId: 'rid-1', sensorKind: 'remote-id', objectId: over.id, lastSeen: now }],
    firstSeen: now - 60_000, lastSeen: now, threat: NO_THREAT, swarmId: null, drill: false,
    ...over,
  };
}

/** The drone loitering under the 02L approach, 31 m through the approach surface, runway in use, with its pilot. */
export function intruderUnderApproach(step = 0): DroneTrack {
  const at = onApproach02L(1200 + step * 8, 40);
  const altM = ELEVATION_M + 110 + step * 0.5;
  const surfaceM = altM - 31;
  return droneTrack({
    id: 'UAS-000042', label: '1581F5FJD239C00BD4X', position: { ...at, altM }, heightAglM: altM - ELEVATION_M,
    identity: { serial: '1581F5FJD239C00BD4X', registrationId: 'UAS-R-20240917', uaType: 'helicopter-or-multirotor', operatorId: 'CHN-OP-77812', selfIdText: '航拍' },
    pilot: { lon: at.lon + 0.004, lat: at.lat - 0.003 },
    threat: {
      level: 4, circleId: 'inner', circleRing: 'inner', inInspectionArea: true,
      lowestSurface: { surface: 'approach', runway: '02L', heightM: surfaceM }, penetrationM: 31, clearanceM: -31,
      path: { kind: 'approach', runway: '02L', lateralM: 40, alongM: 1200 }, runwayInUse: true, permitId: null,
      reasons: [
        { code: 'circle', circleId: 'inner', ring: 'inner', name: { zh: '内圈识别布控圈', en: 'Inner identification circle' } },
        { code: 'inspection-area' },
        { code: 'penetration', surface: 'approach', runway: '02L', penetrationM: 31 },
        { code: 'path', kind: 'approach', runway: '02L', lateralM: 40, alongM: 1200 },
        { code: 'runway-in-use', runway: '02L' },
      ],
      suggested: ['notify-atc', 'notify-clearance-office', 'consider-runway-suspension', 'dispatch-to-pilot'],
    },
  });
}

/** A radar-only drone (no identity), low threat. */
export function radarOnly(): DroneTrack {
  return droneTrack({
    id: 'UAS-000007', label: 'SAP-17', position: { ...onApproach02L(-2500, -900), altM: ELEVATION_M + 60 }, identity: null,
    contacts: [{ sensorId: 'sapient-1', sensorKind: 'sapient', objectId: '17', lastSeen: Date.now() }],
    threat: { ...NO_THREAT, level: 1, reasons: [{ code: 'no-remote-id' }], suggested: ['monitor'] },
  });
}

/**
 * n quiet drones (levels 0 and 1, every tenth a bird, every tenth a pilot known) on a grid `spacingM` apart
 * south-west of the 02L threshold, ids Q-0…; of every fifty, Q-5…Q-8 fly as one swarm `QS-<k>`.
 */
export function quietGrid(n: number, spacingM = 80, altM = ELEVATION_M + 60): DroneTrack[] {
  const side = Math.ceil(Math.sqrt(n));
  const origin = onApproach02L(-2000, -3000);
  const k = Math.cos((origin.lat * Math.PI) / 180);
  return Array.from({ length: n }, (_, i) => {
    const inSwarm = i % 50 >= 5 && i % 50 < 9;
    const bird = i % 10 === 3;
    return droneTrack({
      id: `Q-${i}`, ...(bird ? { classification: 'bird', identity: null } : {}),
      position: { lon: origin.lon + ((i % side) * spacingM) / (111_320 * k), lat: origin.lat + (Math.floor(i / side) * spacingM) / 110_540, altM },
      pilot: i % 10 === 1 ? { lon: origin.lon + ((i % side) * spacingM + 20) / (111_320 * k), lat: origin.lat + (Math.floor(i / side) * spacingM - 20) / 110_540 } : null,
      swarmId: inSwarm ? `QS-${Math.floor(i / 50)}` : null,
      threat: { ...NO_THREAT, level: bird ? 0 : (i % 2) as 0 | 1 },
    });
  });
}

/** n drones of one swarm around a point, level 3. */
export function swarm(n: number, centre = onApproach02L(-3500, 1500)): DroneTrack[] {
  return Array.from({ length: n }, (_, i) => droneTrack({
    id: `UAS-S${String(i).padStart(3, '0')}`, position: { lon: centre.lon + (i % 10) * 0.0006, lat: centre.lat + Math.floor(i / 10) * 0.0006, altM: ELEVATION_M + 80 },
    swarmId: 'SW-1', threat: { ...NO_THREAT, level: 3, reasons: [{ code: 'swarm', swarmId: 'SW-1', count: n }], suggested: ['notify-atc'] },
  }));
}

type Hooks = {
  droneCount(): number;
  droneState(id: string): { shown: boolean; colour: string; hollow: boolean; level: number; stalk: boolean; trailPoints: number; pilotShown: boolean; label: string; selected: boolean } | null;
  droneSelected(): { trackId: string | null; surface: string | null; gap: string | null; historyPoints: number };
  swarmState(id: string): { members: number; label: string; shown: boolean } | null;
  project(lon: number, lat: number, altM?: number): { x: number; y: number } | null;
  flyTo(lon: number, lat: number, altM?: number): void;
};
type W = { __skyfenceScene: Hooks; __skyfenceDrones: { apply(c: DronesChanged & { reset?: boolean }): void } };

/** What the page's drone hooks answer. */
export const dronesOf = (page: Page) => ({
  publish: (changed: DronesChanged) => page.evaluate((c) => (window as unknown as W).__skyfenceDrones.apply(c), changed),
  count: () => page.evaluate(() => (window as unknown as W).__skyfenceScene.droneCount()),
  state: (id: string) => page.evaluate((a) => (window as unknown as W).__skyfenceScene.droneState(a), id),
  selected: () => page.evaluate(() => (window as unknown as W).__skyfenceScene.droneSelected()),
  swarm: (id: string) => page.evaluate((a) => (window as unknown as W).__skyfenceScene.swarmState(a), id),
  project: (p: { lon: number; lat: number; altM?: number }) => page.evaluate((a) => (window as unknown as W).__skyfenceScene.project(a.lon, a.lat, a.altM), p),
  flyTo: (p: { lon: number; lat: number; altM?: number }) => page.evaluate((a) => (window as unknown as W).__skyfenceScene.flyTo(a.lon, a.lat, a.altM), p),
});

async function setLayer(page: Page, id: string, on: boolean): Promise<void> {
  const box = page.locator(`[data-testid=layer-${id}]`);
  const checked = (await box.getAttribute('class'))?.includes('is-checked') ?? false;
  if (checked !== on) await box.click();
}

/** Flies to a track, clicks it on the canvas, and waits for its card. */
export async function clickDrone(page: Page, track: DroneTrack): Promise<void> {
  const drones = dronesOf(page);
  await drones.flyTo(track.position);
  await page.waitForTimeout(1500);
  await settle(page);
  const spot = await drones.project(track.position);
  if (!spot) throw new Error(`${track.id} is off screen after flying to it`);
  const box = (await page.locator('[data-testid=scene]').boundingBox())!;
  await page.mouse.click(box.x + spot.x, box.y + spot.y);
  // Plain Playwright waits (no vitest): the bench and scripts use this too.
  await page.locator(`[data-testid=drone-card][data-track-id="${track.id}"]`).waitFor({ timeout: 10_000 });
}

let host: RunningHost;
let browser: Browser;

/** Registered by an e2e test file on its console (no drone sensors needed: the tracks are published in the page). */
export function registerDroneMapTests(ctx: { host(): RunningHost; browser(): Browser }): void {
  beforeAll(() => {
    host = ctx.host();
    browser = ctx.browser();
  });

  describe('drones on the map', () => {
    it('draws each track by threat with stalk, trail and pilot, labels only what matters, and a swarm as one outline', async () => {
      const page = await openConsole(browser, host);
      await login(page);
      const drones = dronesOf(page);
      await drones.publish({ updated: [intruderUnderApproach(0), radarOnly(), ...swarm(12)], removed: [] });
      await expect.poll(() => drones.count(), { timeout: 10_000 }).toBe(14);

      const intruder = (await drones.state('UAS-000042'))!;
      expect(intruder).toMatchObject({ shown: true, level: 4, colour: '#eb5757', hollow: false, stalk: true, pilotShown: true });
      expect(intruder.label).toBe('…C00BD4X · 110 米');
      const quiet = (await drones.state('UAS-000007'))!;
      expect(quiet).toMatchObject({ level: 1, colour: '#4aa3df', pilotShown: false, label: '' });

      // Moving: the trail takes every new fix (drawn at most once a second, so within a second or two).
      const before = intruder.trailPoints;
      for (let step = 1; step <= 3; step++) {
        await drones.publish({ updated: [intruderUnderApproach(step)], removed: [] });
        await page.evaluate(() => new Promise((r) => requestAnimationFrame(() => requestAnimationFrame(r))));
      }
      await expect.poll(async () => (await drones.state('UAS-000042'))!.trailPoints, { timeout: 5_000 }).toBe(before + 3);

      expect(await drones.swarm('SW-1')).toMatchObject({ members: 12, label: '无人机蜂群 12 架', shown: true });

      // Lost: hollow grey, whatever its level.
      await drones.publish({ updated: [{ ...radarOnly(), state: 'lost' }], removed: [] });
      await expect.poll(async () => (await drones.state('UAS-000007')), { timeout: 5_000 }).toMatchObject({ colour: '#9aa5b1', hollow: true });

      // Removed tracks leave the map; the layer switch hides the rest.
      await drones.publish({ updated: [], removed: ['UAS-000007'] });
      await expect.poll(() => drones.count(), { timeout: 5_000 }).toBe(13);
      await setLayer(page, 'drones', false);
      expect(await drones.count()).toBe(0);
      expect((await drones.state('UAS-000042'))!.shown).toBe(false);
      await setLayer(page, 'drones', true);
      await page.context().close();
    });

    it('at scale draws quiet tracks as points only, and a selected one in full with its swarm and the trail the store kept', async () => {
      const page = await openConsole(browser, host);
      await login(page);
      const drones = dronesOf(page);
      await setLayer(page, 'alarms', false);
      await setLayer(page, 'tracks', false);
      const quiet = quietGrid(400);
      // Q-6 flies three fixes before anyone looks at it: the store keeps them for its trail.
      const q6 = quiet[6];
      await drones.publish({ updated: [...quiet, intruderUnderApproach(0)], removed: [] });
      for (let step = 1; step <= 3; step++) {
        await drones.publish({ updated: [{ ...q6, position: { ...q6.position, lat: q6.position.lat + step * 0.0001 } }], removed: [] });
      }
      await expect.poll(() => drones.count(), { timeout: 10_000 }).toBe(401);
      const moved = { ...q6, position: { ...q6.position, lat: q6.position.lat + 3 * 0.0001 } };

      // The level-4 intruder keeps everything; quiet drones, birds and pilots of quiet drones are points only.
      expect(await drones.state('UAS-000042')).toMatchObject({ stalk: true, pilotShown: true, label: '…C00BD4X · 110 米' });
      expect((await drones.state('UAS-000042'))!.trailPoints).toBeGreaterThanOrEqual(1);
      for (const id of ['Q-1', 'Q-3', 'Q-6', 'Q-7']) {
        expect(await drones.state(id)).toMatchObject({ shown: true, stalk: false, trailPoints: 0, pilotShown: false, label: '' });
      }
      expect((await drones.state('Q-3'))!.colour).toBe('#8fbf9f');

      // Selected: drawn in full with the four fixes the store kept, labelled; the rest of its swarm in full too.
      await clickDrone(page, moved);
      expect(await drones.state('Q-6')).toMatchObject({ selected: true, stalk: true, trailPoints: 4 });
      expect((await drones.state('Q-6'))!.label).not.toBe('');
      await expect.poll(() => drones.state('Q-7'), { timeout: 5_000 }).toMatchObject({ stalk: true, selected: false });
      expect((await drones.state('Q-11'))!.stalk).toBe(false);

      // Another selected: the first swarm goes back to points.
      await clickDrone(page, quiet[1]);
      expect(await drones.state('Q-1')).toMatchObject({ selected: true, stalk: true, pilotShown: true });
      expect(await drones.state('Q-6')).toMatchObject({ selected: false, stalk: false, trailPoints: 0, label: '' });
      expect((await drones.state('Q-7'))!.stalk).toBe(false);

      // Few again: every track in full.
      await drones.publish({ updated: [], removed: quiet.slice(100).map((t) => t.id) });
      await expect.poll(() => drones.count(), { timeout: 5_000 }).toBe(101);
      expect((await drones.state('Q-3'))!.stalk).toBe(true);
      expect((await drones.state('Q-11'))!.pilotShown).toBe(true);
      await page.context().close();
    });

    it('opens the card from a click, with identity, every reason, the surface it penetrates and the gap; in English on request', async () => {
      for (const locale of ['zh-CN', 'en'] as const) {
        const page = await openConsole(browser, host, { locale });
        await login(page);
        // Only what the drone map adds is checked (the English sign-in logs CSP complaints of its own).
        const problems = (page as Page & { problems?: string[] }).problems ?? [];
        const problemsBefore = problems.length;
        const drones = dronesOf(page);
        await setLayer(page, 'alarms', false);
        await setLayer(page, 'tracks', false);
        const track = intruderUnderApproach(0);
        await drones.publish({ updated: [track, radarOnly()], removed: [] });
        await expect.poll(() => drones.count(), { timeout: 10_000 }).toBe(2);
        await clickDrone(page, track);

        const card = page.locator('[data-testid=drone-card]');
        const reasons = await card.locator('[data-testid=drone-reasons]').innerText();
        if (locale === 'zh-CN') {
          expect(reasons).toContain('侵入 02L 进近面 31 米');
          expect(reasons).toContain('位于 02L 进近航径，距跑道入口 1.2 公里，偏离中心线 40 米');
          expect(reasons).toContain('跑道 02L 使用中');
          expect(await card.locator('[data-testid=drone-identity]').innerText()).toContain('1581F5FJD239C00BD4X');
          expect(await card.locator('[data-testid=drone-height]').innerText()).toBe('离地 110 米 · 海拔 526 米');
          expect(await card.locator('[data-testid=drone-suggested]').innerText()).toContain('通知空管');
        } else {
          expect(reasons).toContain('Penetrates the 02L approach surface by 31 m');
          expect(reasons).toContain('1.2 km out on the 02L approach, 40 m off the centreline');
          expect(await card.locator('[data-testid=drone-height]').innerText()).toBe('110 m AGL · 526 m MSL');
        }
        const selected = await drones.selected();
        expect(selected).toMatchObject({ trackId: 'UAS-000042', surface: 'approach 02L' });
        expect(selected.gap).toBe(locale === 'en' ? '31 m above the surface' : '超出限制面 31 米');
        expect((await drones.state('UAS-000042'))!.selected).toBe(true);

        // The radar-only drone: no identity, said so.
        await clickDrone(page, radarOnly());
        expect(await card.locator('[data-testid=drone-identity]').innerText()).toBe(locale === 'en' ? 'No Remote ID (radar or other sensors only)' : '无远程识别（仅雷达等探测）');
        expect((await drones.selected()).surface).toBeNull();

        // History: fetched from drones.history and reported (this console stores none for published tracks).
        await card.locator('[data-testid=drone-history]').click();
        await expect.poll(() => card.locator('[data-testid=drone-history-facts]').innerText(), { timeout: 10_000 }).toBe(locale === 'en' ? 'No stored points yet' : '尚无存储的航迹点');
        expect(problems.slice(problemsBefore)).toEqual([]);
        await page.context().close();
      }
    });
  });
}
