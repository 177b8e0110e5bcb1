// The core: everything that thinks, in plain Node. Both shells (Electron, browser host) start it the same way.
import { chmodSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import type { SystemStatus } from '../../shared/domain.ts';
import type { ImagerySource } from '../../shared/site.ts';
import { Accounts } from './auth/accounts.ts';
import { SqliteUserRepository } from './auth/sqlite-user-repository.ts';
import { PasswordHasher } from './auth/password.ts';
import { ResumeTokens } from './auth/resume-tokens.ts';
import { SessionRegistry } from './auth/session-registry.ts';
import { SignInGuard } from './auth/sign-in-guard.ts';
import { AlarmService } from './alarms/alarm-service.ts';
import { systemClock, type Clock } from './clock.ts';
import type { CoreConfig } from './config.ts';
import { EventBus } from './event-bus.ts';
import { loadSiteFile } from './site/load-site.ts';
import { SiteModel } from './site/site-model.ts';
import { SqliteAuditLog, type AuditTrail } from './store/audit-log.ts';
import { Database } from './store/database.ts';
import { openConsoleDatabase } from './store/open-database.ts';
import { acquireInstanceLock, type InstanceLock } from './store/instance-lock.ts';
import { TrackService } from './tracks/track-service.ts';
import { SqliteAlarmRepository } from './alarms/sqlite-alarm-repository.ts';
import { MANUAL_FEED, MANUAL_PRUNE_EVERY_MS, MANUAL_TRACK_TTL_MS } from './sources/manual-feed.ts';
import { every } from './clock.ts';
import { startDataSources } from './sources/data-sources.ts';
import { fetchJsonClient, type HttpJsonClient } from './sources/http-json.ts';
import { SourceRegistry } from './sources/source-registry.ts';
import { CameraRegistry } from './video/camera-registry.ts';
import { SqliteEventCursors } from './video/event-cursors.ts';
import { EvidenceStore } from './video/evidence.ts';
import { PlateStore } from './video/plates.ts';
import type { VideoHttpClient } from './video/video-http.ts';
import { startDroneCore, type DroneCore } from './drones/drone-core.ts';
import { seedDemoPermit } from './drones/demo-permit.ts';
import { dirname } from 'node:path';
import { ResponseClock } from './alarms/response-clock.ts';
import { startUnitsCore, type UnitsCore } from './units/units-core.ts';
import { Duty } from './duty/duty.ts';
import { Incidents } from './incidents/incidents.ts';
import { Handovers } from './record/handovers.ts';
import { sealLegacyAudit } from './store/audit-chain.ts';
import { AuditHeadKeeper } from './record/audit-head.ts';
import { PlanLibrary } from './drills/plan-library.ts';
import { Drills } from './drills/drills.ts';
import { Playback } from './playback/playback.ts';
import { Recorder } from './playback/recorder.ts';

export interface Core {
  config: CoreConfig;
  clock: Clock;
  bus: EventBus;
  db: Database;
  site: SiteModel;
  accounts: Accounts;
  /** Throttles sign-ins and password changes: see auth/sign-in-guard.ts. */
  signIns: SignInGuard;
  resumeTokens: ResumeTokens;
  /** Live sessions per user, so that the core can end them. */
  sessions: SessionRegistry;
  audit: AuditTrail;
  alarms: AlarmService;
  tracks: TrackService;
  sources: SourceRegistry;
  /** Every video source's cameras, their health and media (see video/camera-registry.ts). */
  cameras: CameraRegistry;
  /** Snapshots kept as evidence. */
  evidence: EvidenceStore;
  /** Checkpoint plate reads and the watch list. */
  plates: PlateStore;
  /** Fused drone tracks, permits, the runways in use, the response to drone alarms. */
  drones: DroneCore;
  /** The 1-3-5 clocks: targets per alarm type and zone; overdue stages escalate. */
  responseClock: ResponseClock;
  /** Units, their positions and orders, and the unit terminals. */
  units: UnitsCore;
  /** Patrol duty (勤务): rosters, mandatory points, check-ins. */
  duty: Duty;
  /** Incidents (案事件) with their SOP checklists. */
  incidents: Incidents;
  /** The shift handover (交接班). */
  handovers: Handovers;
  /** Emergency plans (应急预案): shipped and imported, each checked against the site. */
  plans: PlanLibrary;
  /** The drill engine: one drill at a time, on its own clock. */
  drills: Drills;
  /** Playback of any recorded period. */
  playback: Playback;
  /** Records what playback replays and no other table keeps (tracks, camera health, unit states). */
  recorder: Recorder;
  /** The configured internal map server, from the configuration or else the site pack. */
  imagery: ImagerySource | undefined;
  status(): SystemStatus;
  /** Live duty or a drill (the drill engine switches it). */
  setMode(mode: SystemStatus['mode']): void;
  close(): Promise<void>;
}

export async function startCore(
  config: CoreConfig,
  opts: { clock?: Clock; log?: (line: string) => void; http?: HttpJsonClient; videoHttp?: VideoHttpClient } = {},
): Promise<Core> {
  const log = opts.log ?? ((line) => console.log(line));
  const clock = opts.clock ?? systemClock;
  // The site first: a broken site file stops here, before anything is locked or opened.
  const site = new SiteModel(await loadSiteFile(config.sitePath));
  const lock: InstanceLock = acquireInstanceLock(config.dataDir);
  let db: Database;
  try {
    db = await openConsoleDatabase(join(config.dataDir, 'skyfence.db'), { recover: config.recoverDb, log });
  } catch (err) {
    lock.release();
    throw err;
  }
  const bus = new EventBus();
  // Entries from before the chain (schema 7 and older) are sealed into it once.
  const sealed = await sealLegacyAudit(db);
  if (sealed) log(`The record: sealed ${sealed} older audit entries into the hash chain.`);
  // The chain's head, kept beside the database: the newest entries deleted (or the tail re-chained) show against it.
  const auditHead = new AuditHeadKeeper({ db, clock, dataDir: config.dataDir, log });
  await auditHead.start();
  const audit = new SqliteAuditLog(db, clock);
  const accounts = new Accounts(new SqliteUserRepository(db), clock, new PasswordHasher());
  const siteDir = dirname(config.sitePath);
  const alarms = new AlarmService(new SqliteAlarmRepository(db), bus, clock, site);
  const responseClock = new ResponseClock({ clock, bus, alarms, siteDir, log });
  await responseClock.load();
  const tracks = new TrackService(site, alarms, bus, clock);
  let mode: SystemStatus['mode'] = 'live';
  const setMode = (next: SystemStatus['mode']) => {
    if (next === mode) return;
    mode = next;
    bus.publish('status.changed', status());
  };
  const status = (): SystemStatus => ({
    mode,
    now: clock.now(),
    site: { icao: site.pack.icao, name: site.pack.name },
    sources: sources.list(),
  });
  // A source that goes down leaves its tracks on the map as stale; its next usable data makes them live again.
  const sources: SourceRegistry = new SourceRegistry(clock, alarms, {
    changed: () => bus.publish('status.changed', status()),
    liveChanged: (id, live) => tracks.setLive(id, live),
    log,
  });
  sources.register({ id: MANUAL_FEED, kind: 'manual', name: { zh: '人工位置上报', en: 'Manual position feed' }, silentAfterMs: Number.POSITIVE_INFINITY });
  const manualPrune = every(clock, MANUAL_PRUNE_EVERY_MS, () => tracks.pruneOlderThan(MANUAL_FEED, MANUAL_TRACK_TTL_MS));

  const created = await accounts.ensureFirstAccounts({ demo: config.demo, password: config.initialPassword });
  if (created) {
    const file = join(config.dataDir, 'initial-password.txt');
    if (!config.initialPassword) {
      writeFileSync(file, `${created.password}\n`, { mode: 0o600 });
      chmodSync(file, 0o600);
    }
    log(
      `First run: created the account(s) ${created.usernames.join(', ')}. ` +
        (config.initialPassword ? 'Their password is SKYFENCE_ADMIN_PASSWORD.' : `Their password is in ${file} (readable by you only); change it after logging in.`),
    );
  }

  const resumeTokens = new ResumeTokens(clock);

  const evidence = new EvidenceStore(db);
  const plates = new PlateStore(db);
  await plates.load();
  const cameras = new CameraRegistry({ clock, bus, alarms, site, evidence, plates, log });
  const drones = await startDroneCore({ db, clock, bus, site, alarms, audit, log });
  if (config.demo && config.simulators) {
    await seedDemoPermit(drones.permits, site, clock).catch((err: Error) => log(`Demo: the survey permit was not created: ${err.message}`));
  }
  const signIns = new SignInGuard(clock);
  const units = await startUnitsCore({
    db, clock, bus, site, alarms, audit, accounts, siteDir, demo: config.demo, demoPassword: created?.password ?? config.initialPassword, log,
  });
  const duty = new Duty({ db, clock, bus, site, audit, siteDir, unitIds: () => units.units.list().map((u) => u.id), log });
  await duty.load();
  const unsubscribeDuty = units.units.onPosition((unit) => void duty.onPosition(unit).catch((err: Error) => log(`duty: a check-in failed: ${err.message}`)));
  const incidents = new Incidents({ db, clock, bus, site, audit, alarms, dispatch: units.dispatch, siteDir, log });
  await incidents.load();
  const handovers = new Handovers({
    db, clock, bus, alarms, accounts, signIns,
    facts: async () => {
      const open = await incidents.list(true);
      const orders = await units.dispatch.list({ openOnly: true });
      return {
        incidents: open.map((i) => ({ id: i.id, number: i.number, title: i.title, typeId: i.typeId, pendingSteps: i.steps.filter((s) => s.state === 'pending').length })),
        openOrders: orders.length,
        unitsOnDuty: units.units.list().filter((u) => u.status !== 'off-duty').length,
      };
    },
  });
  const plans = new PlanLibrary({
    site, siteDir, shippedDir: join(config.appRoot, 'resources', 'plans'), importedDir: join(config.dataDir, 'plans'), log,
    audit: (actor, action, subject, details) => audit.record(actor, action, subject, details),
    // Cameras come from the video sources: a plan naming one that no source reports is refused at start.
    cameras: () => cameras.list().map((c) => ({ id: c.id, cameraId: c.cameraId })),
  });
  await plans.load();
  // The recording playback replays: general tracks, camera health, unit states, from the bus (see playback/recorder.ts).
  const recorder = new Recorder({ db, bus, clock, tracks, cameras, units: units.units, log });
  recorder.start();
  const playback = new Playback({ db, limits: recorder.limits });
  responseClock.start();
  const dataSources = await startDataSources(config, {
    clock, tracks, sources, http: opts.http ?? fetchJsonClient, video: cameras, cursors: new SqliteEventCursors(db, clock), videoHttp: opts.videoHttp, log,
    drones: drones.fusion, runways: drones.runways, units: units.units,
  });
  // After the data sources: a drill's range registers its own sources with them.
  const drills = new Drills({
    db, clock, bus, config, site, alarms, plans, cameras, tracks, drones: drones.fusion, units, sources: dataSources, log,
    setMode: (next) => setMode(next),
  });
  await drills.load();

  let closed = false;
  return {
    config, clock, bus, db, site, accounts, audit, alarms, tracks, sources, cameras, evidence, plates, drones, status,
    responseClock, units, duty, incidents, handovers, plans, drills, playback, recorder,
    setMode,
    signIns,
    resumeTokens,
    sessions: new SessionRegistry(resumeTokens),
    imagery: config.imagery ?? site.pack.imagery,
    async close() {
      if (closed) return;
      closed = true;
      manualPrune.cancel();
      await drills.stop();
      await playback.stop();
      await dataSources.stop();
      await cameras.stop();
      await drones.stop();
      await responseClock.stop();
      unsubscribeDuty();
      duty.stop();
      await units.stop();
      sources.stop();
      await sources.settled();
      await recorder.stop();
      await auditHead.stop();
      await db.close();
      lock.release();
    },
  };
}
