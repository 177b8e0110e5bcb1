// Drones end to end, in Chromium, against the drone simulator as its own process with its four systems (the
// detection API, the Remote ID receiver, the SAPIENT radar node, the runway feed), each polled or connected over
// loopback by the console as a real one would be. Each scenario must give the tracks, threat and alarms an
// operator relies on; sensor faults must show and heal without losing the picture.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Browser, Page } from 'playwright-core';
import type { Alarm } from '../../src/shared/domain.ts';
import type { AlarmList } from '../../src/shared/contract/index.ts';
import type { DroneHistory } from '../../src/shared/contract/drones.ts';
import type { DroneTrack } from '../../src/shared/drones.ts';
import { loadSiteFile } from '../../src/main/core/site/load-site.ts';
import { SiteModel } from '../../src/main/core/site/site-model.ts';
import { SURVEY_PERMIT } from '../../src/sim/drone-detection/scenarios.ts';
import { SAMPLE_SITE_FILE } from '../fixtures/sites.ts';
import { startDroneHost, type DroneHost } from './drone-harness.ts';
import { registerDroneMapTests } from './drones-map-ui.ts';
import { registerDroneResponseTests } from './drone-response-ui.ts';
import { feedClient, launchBrowser, login, openConsole, settle } from './harness.ts';

let drones: DroneHost;
let browser: Browser;
let page: Page;
let feed: Awaited<ReturnType<typeof feedClient>>;
let site: SiteModel;

beforeAll(async () => {
  // Four times real time: the scenarios play out in a minute or two of the test.
  drones = await startDroneHost({ speed: 4 });
  browser = await launchBrowser();
  feed = await feedClient(drones.host, drones.host.token);
  await feed.call('session.login', { username: 'command', password: 'e2e-password-1' });
  site = new SiteModel(await loadSiteFile(SAMPLE_SITE_FILE));
});
afterAll(async () => {
  feed?.close();
  await browser?.close();
  await drones?.stop();
});

const tracks = () => feed.call('drones.list', {}) as Promise<DroneTrack[]>;
const openAlarms = async () => ((await feed.call('alarms.list', {})) as AlarmList).alarms.filter((a) => a.state !== 'closed');
const ofType = <T extends Alarm['type']>(alarms: Alarm[], type: T) => alarms.filter((a): a is Extract<Alarm, { type: T }> => a.type === type);
const status = () => page.locator('[data-testid=status-bar]');
const sourceText = (id: string) => page.locator(`[data-testid=source-status][data-source=${id}]`).innerText();

/** The drone of the radar-only scenario: no identity, seen by the radar alone, and not one of the swarm. */
const radarOnly = (t: DroneTrack) => t.classification === 'drone' && t.identity === null && t.swarmId === null && t.contacts.every((c) => c.sensorKind === 'sapient');

/** Polls `find` over the picture until it gives something (the simulator plays in real time). */
async function waitForTrack(find: (all: DroneTrack[]) => DroneTrack | undefined, what: string, timeoutMs = 60_000): Promise<DroneTrack> {
  let found: DroneTrack | undefined;
  await expect.poll(async () => (found = find(await tracks())) !== undefined, { timeout: timeoutMs, message: what }).toBe(true);
  return found!;
}

// Injected tracks first, while the sky is empty: the map's drawing and the card (tests/e2e/drones-map-ui.ts).
if (!process.env.SKIP_MAP) registerDroneMapTests({ host: () => drones.host, browser: () => browser });

describe('drones from the simulated sensors', () => {
  beforeAll(async () => {
    page = await openConsole(browser, drones.host);
    await login(page);
    await settle(page);
    // The survey company's permit, issued by a commander through the contract as the permits dialog does.
    const now = Date.now();
    await feed.call('permits.create', { ...SURVEY_PERMIT, validFrom: now - 3_600_000, validTo: now + 86_400_000, purpose: '航测' });
    for (const scenario of ['approach-loiter', 'survey-permit', 'swarm', 'radar-only', 'bird-flock']) {
      await drones.sim.control({ scenario, action: 'start' });
    }
  });

  it('shows every sensor healthy in the status bar, and the runways in use from the operations feed', async () => {
    for (const id of ['drone-detection', 'remote-id', 'sapient-radar', 'runway-ops']) {
      await expect.poll(() => sourceText(id), { timeout: 20_000, message: id }).toContain('正常');
    }
    const runways = (await feed.call('runways.state', {})) as { runways: Array<{ runwayId: string; status: string; direction: string | null }> };
    expect(runways.runways.map((r) => [r.runwayId, r.status, r.direction])).toEqual([
      ['02L/20R', 'in-use', '02L'], ['02R/20L', 'in-use', '02R'], ['03R/21L', 'closed', null],
    ]);
  });

  it('fuses the loitering drone under the 02L approach from three sensors into one track that penetrates the approach surface by what the geometry says, with one alarm', async () => {
    const loiter = await waitForTrack((all) => all.find((t) => t.threat.reasons.some((r) => r.code === 'penetration' && r.surface === 'approach' && r.runway === '02L')),
      'a drone penetrating the 02L approach surface', 90_000);
    // Seen by the detection API, the Remote ID receiver and the radar: one track, with its identity and its pilot.
    expect(new Set(loiter.contacts.map((c) => c.sensorKind))).toEqual(new Set(['detection', 'remote-id', 'sapient']));
    expect(loiter.identity?.serial).toBe(loiter.label);
    expect(loiter.pilot).not.toBeNull();
    // The penetration is the clearance model's at the track's own position (Annex 14 approach surface of 02L).
    const c = site.clearance.classify(loiter.position.lon, loiter.position.lat, loiter.position.altM);
    expect(c.lowestSurface).toMatchObject({ surface: 'approach', runway: '02L' });
    expect(loiter.threat.penetrationM).toBeCloseTo(c.penetrationM, 1);
    expect(loiter.threat).toMatchObject({ level: 4, runwayInUse: true });
    expect(loiter.threat.suggested).toContain('notify-atc');

    // One alarm for this drone, whatever the number of detections, and its title says the surface and the metres.
    const mine = ofType(await openAlarms(), 'drone-threat').filter((a) => a.details.trackId === loiter.id);
    expect(mine).toHaveLength(1);
    expect(mine[0]).toMatchObject({ severity: 4, source: 'drone', details: { surface: 'approach', runway: '02L', runwayInUse: true } });
    const item = page.locator(`[data-testid=alarm-item][data-alarm-id="${mine[0].id}"]`);
    await expect.poll(() => item.innerText(), { timeout: 10_000 }).toMatch(/02L.*进近面.*\d+ 米/s);
    // On the map: drawn red, with its stalk and pilot.
    await expect.poll(() => page.evaluate((id) => (window as any).__skyfenceScene.droneState(id), loiter.id), { timeout: 10_000 })
      .toMatchObject({ shown: true, level: 4, stalk: true, pilotShown: true });
    // Its stored history is queryable by track.
    const history = (await feed.call('drones.history', { trackId: loiter.id })) as DroneHistory;
    expect(history.points.length).toBeGreaterThan(5);
    expect(new Set(history.points.map((p) => p.sensorKind))).toEqual(new Set(['detection', 'remote-id', 'sapient']));
  });

  it('raises nothing for the survey drone inside its permit, and an alarm naming the permit once it strays', async () => {
    const survey = await waitForTrack((all) => all.find((t) => t.identity?.serial === SURVEY_PERMIT.serials[0]), 'the survey drone');
    const permits = (await feed.call('permits.list', {})) as Array<{ id: string; operatorId: string | null }>;
    const permit = permits.find((p) => p.operatorId === SURVEY_PERMIT.operatorId);
    expect(permit).toBeDefined();
    if (survey.threat.reasons.some((r) => r.code === 'permit-inside')) {
      expect(survey.threat.level).toBe(0);
      expect(ofType(await openAlarms(), 'drone-threat').filter((a) => a.details.trackId === survey.id)).toEqual([]);
    }
    // Above its ceiling on the third pass, then out of its area: one alarm, naming the permit and why.
    let alarm: Extract<Alarm, { type: 'drone-threat' }> | undefined;
    await expect.poll(async () => (alarm = ofType(await openAlarms(), 'drone-threat').find((a) => a.details.trackId === survey.id)) !== undefined,
      { timeout: 120_000, message: 'the survey drone straying out of its permit' }).toBe(true);
    expect(alarm!.details.permitId).toBe(permit!.id);
    expect(alarm!.details.reasons).toContainEqual(expect.objectContaining({ code: 'permit-outside', permitId: permit!.id }));
  });

  it('makes the swarm of 50 one grouped alarm, not one per drone', async () => {
    await expect.poll(async () => (await tracks()).filter((t) => t.swarmId).length, { timeout: 60_000 }).toBeGreaterThanOrEqual(45);
    const all = await tracks();
    const members = all.filter((t) => t.swarmId);
    expect(new Set(members.map((t) => t.swarmId)).size).toBe(1);
    const alarms = await openAlarms();
    const swarms = ofType(alarms, 'drone-swarm');
    expect(swarms).toHaveLength(1);
    expect(swarms[0].details.count).toBeGreaterThanOrEqual(45);
    const memberIds = new Set(members.map((t) => t.id));
    expect(ofType(alarms, 'drone-threat').filter((a) => memberIds.has(a.details.trackId))).toEqual([]);
    await expect.poll(() => page.locator('[data-testid=alarm-item][data-alarm-type=drone-swarm]').innerText(), { timeout: 10_000 }).toMatch(/蜂群 \d+ 架/);
  });

  it('shows the radar-only drone as a track without identity, and raises nothing for the bird flock', async () => {
    const radar = await waitForTrack((all) => all.find(radarOnly), 'a drone only the radar sees');
    expect(radar.threat.reasons.map((r) => r.code)).toContain('no-remote-id');
    const birds = await waitForTrack((all) => all.find((t) => t.classification === 'bird'), 'a bird');
    expect(birds.threat.level).toBe(0);
    const birdIds = new Set((await tracks()).filter((t) => t.classification === 'bird').map((t) => t.id));
    expect(birdIds.size).toBeGreaterThanOrEqual(10);
    expect(ofType(await openAlarms(), 'drone-threat').filter((a) => birdIds.has(a.details.trackId))).toEqual([]);

    // Its alarm, selected in the queue, shows its card: no Remote ID, seen by the radar only.
    let alarm: Alarm | undefined;
    await expect.poll(async () => (alarm = ofType(await openAlarms(), 'drone-threat').find((a) => a.details.trackId === radar.id)) !== undefined, { timeout: 30_000 }).toBe(true);
    await page.locator(`[data-testid=alarm-item][data-alarm-id="${alarm!.id}"]`).click();
    const card = page.locator(`[data-testid=drone-card][data-track-id="${radar.id}"]`);
    await expect.poll(() => card.locator('[data-testid=drone-identity]').innerText(), { timeout: 10_000 }).toContain('无远程识别');
  });

  it('shows a Remote ID receiver that goes silent, and takes it back when it answers again', async () => {
    await drones.sim.control({ sensor: 'remote-id', fault: 'silent' });
    await expect.poll(() => sourceText('remote-id'), { timeout: 30_000 }).toMatch(/降级|中断/);
    await drones.sim.control({ sensor: 'remote-id', fault: 'none' });
    await expect.poll(() => sourceText('remote-id'), { timeout: 30_000 }).toContain('正常');
  });

  it('survives a SAPIENT connection dropped mid-message and garbage on the socket: reconnects, and the radar track goes on with its history', async () => {
    const radar = await waitForTrack((all) => all.find(radarOnly), 'the radar track');
    const before = ((await feed.call('drones.history', { trackId: radar.id })) as DroneHistory).points.length;
    for (const fault of ['drop-mid-message', 'garbage']) {
      await drones.sim.control({ sensor: 'sapient', fault });
      await expect.poll(() => drones.host.output(), { timeout: 15_000, message: fault }).toMatch(fault === 'garbage' ? /sapient sapient-radar: .*(does not decode|exceeds)/ : /sapient sapient-radar: .*mid-message/);
    }
    await expect.poll(() => sourceText('sapient-radar'), { timeout: 30_000 }).toContain('正常');
    // The same track, still fed by the radar; the detections stored before the faults are all still there, and more come.
    await expect.poll(async () => ((await feed.call('drones.history', { trackId: radar.id })) as DroneHistory).points.length, { timeout: 20_000 })
      .toBeGreaterThan(before + 3);
    expect((await tracks()).some((t) => t.id === radar.id && t.state === 'active')).toBe(true);
  });
});

registerDroneResponseTests({
  page: () => page,
  async raiseDroneAlarm() {
    // The loitering drone's alarm: it has a pilot and threatens 02L/20R (in use).
    let found: Alarm | undefined;
    await expect.poll(async () => (found = ofType(await openAlarms(), 'drone-threat').find((a) => a.details.runway === '02L' && a.details.pilot)) !== undefined,
      { timeout: 90_000 }).toBe(true);
    return found!.id;
  },
  async raisedAt(alarmId) {
    return (await openAlarms()).find((a) => a.id === alarmId)!.raisedAt;
  },
});
