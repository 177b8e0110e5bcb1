// The cameras of every video source, their health, and what they raise. Video source adapters hand their
// inventory, health and events here (VideoIntake); the API asks it for cameras, states and media.
//  - Health is debounced: a camera counts offline only after `offlineAfterReports` reports in a row said so
//    (a blip raises nothing), online again at the first report that says so; frozen is the frozen check's
//    finding (frozen-check.ts).
//  - Offline and frozen cameras are grouped into one alarm per source and network group (video-alarms.ts),
//    written in one transaction per report whatever the number of cameras. A camera's state changes only
//    after the alarm write committed: a failed write (a full disk) leaves the states as they were, and the
//    next report writes again. After a restart the open group alarms are read back, so that cameras that
//    recovered meanwhile close them.
//  - Analytic events and plate reads become alarms with a snapshot kept as evidence; plate reads are stored.
// Every camera's id is `<sourceId>/<the source's camera id>`.
import type { Alarm, LocalText } from '../../../shared/domain.ts';
import type { Camera, CameraHealth, CameraState, PlateRead } from '../../../shared/video.ts';
import { SYSTEM, type AlarmService, type RaiseAlarm } from '../alarms/alarm-service.ts';
import { ApiError } from '../calls.ts';
import type { Clock } from '../clock.ts';
import type { EventBus } from '../event-bus.ts';
import { geodesicInverse } from '../geo/local-frame.ts';
import type { SiteModel } from '../site/site-model.ts';
import { evidenceIdForKey, type EvidenceStore } from './evidence.ts';
import { DEFAULT_FROZEN_CHECK, FrozenCheck } from './frozen-check.ts';
import { normalisePlate, type PlateStore } from './plates.ts';
import {
  GROUP_QUIET_AFTER_CLOSE_MS, GROUP_RECOVERED_NOTE, VIDEO_QUIET_AFTER_CLOSE_MS,
  analyticAlarm, analyticKey, groupAlarm, groupKey, plateAlarm, videoMerge, type GroupAlarmType,
} from './video-alarms.ts';
import type { VideoEventInput, VideoIntake, VideoSourceOptions } from './video-intake.ts';
import type { VideoSourceMedia } from './video-source.ts';

export const DEFAULT_OFFLINE_AFTER_REPORTS = 2;
/** A site checkpoint this near a checkpoint camera is the one it reads for. */
const CHECKPOINT_NEAR_M = 1_000;
/** Event pictures fetched at once, and the time a batch of events may spend fetching them (then: no picture). */
const SNAPSHOT_CONCURRENCY = 4;
const SNAPSHOT_TIMEOUT_MS = 3_000;
const SNAPSHOT_BUDGET_MS = 10_000;

interface Observed {
  /** Reports in a row that said offline. */
  offlineReports: number;
  /** What the last report said (null: none yet). */
  online: boolean | null;
  /** The frozen check's finding. */
  frozen: boolean;
}

interface SourceCameras {
  id: string;
  media: VideoSourceMedia;
  offlineAfterReports: number;
  /** By the source's own camera id. */
  cameras: Map<string, Camera>;
  observed: Map<string, Observed>;
  /** Committed: what clients were told and what the alarms say. */
  states: Map<string, CameraState>;
  /** Committed members (the source's camera ids) of each group alarm key. */
  members: Map<string, Set<string>>;
  frozen: FrozenCheck | null;
  /** Health commits of a source run one after another. */
  queue: Promise<void>;
  seeded: boolean;
  /** Event ids whose alarms and reads committed: a VMS replaying an event (a cursor that does not move) never counts it twice. */
  seenEvents: RecentIds;
}

/** Event ids of a source remembered (oldest forgotten first); the persisted cursor covers what lies further back. */
export const SEEN_EVENT_IDS = 20_000;

/** A bounded set: insertion order is the Set's own, so the oldest id is its first. */
class RecentIds {
  private readonly ids = new Set<string>();
  constructor(private readonly cap: number) {}

  has(id: string): boolean {
    return this.ids.has(id);
  }

  add(id: string): void {
    if (this.ids.has(id)) return;
    this.ids.add(id);
    if (this.ids.size > this.cap) this.ids.delete(this.ids.values().next().value!);
  }
}

export interface CameraRegistryDeps {
  clock: Clock;
  bus: EventBus;
  alarms: AlarmService;
  site: SiteModel;
  evidence: EvidenceStore;
  plates: PlateStore;
  log: (line: string) => void;
}

export class CameraRegistry implements VideoIntake {
  private readonly sources = new Map<string, SourceCameras>();
  private readonly checkpoints: Array<{ id: string; name: LocalText; at: [number, number] }>;
  private stopped = false;
  /** Event pictures being fetched and kept after their alarms were stored. */
  private readonly picturesInFlight = new Set<Promise<void>>();

  constructor(private readonly deps: CameraRegistryDeps) {
    this.checkpoints = deps.site.pack.features.features.flatMap((f) => {
      if (f.properties.kind !== 'checkpoint') return [];
      const g = f.geometry;
      const at = g.type === 'Point' ? g.coordinates : g.type === 'LineString' ? g.coordinates[0] : g.coordinates[0][0];
      return [{ id: f.id, name: f.properties.name, at: [at[0], at[1]] as [number, number] }];
    });
  }

  // ---- what the API asks ----

  list(): Camera[] {
    return [...this.sources.values()].flatMap((s) => [...s.cameras.values()]);
  }

  get(id: string): Camera | undefined {
    const found = this.locate(id);
    return found?.source.cameras.get(found.cameraId);
  }

  states(): CameraState[] {
    return [...this.sources.values()].flatMap((s) => [...s.states.values()].map((st) => ({ ...st })));
  }

  /** The source media that serves a camera, and the camera's id at that source. */
  media(id: string): { media: VideoSourceMedia; cameraId: string } | undefined {
    const found = this.locate(id);
    return found && found.source.cameras.has(found.cameraId) ? { media: found.source.media, cameraId: found.cameraId } : undefined;
  }

  /** Sends a PTZ camera to one of its presets and records it in the camera's state. */
  async setPreset(id: string, presetId: string): Promise<CameraState> {
    const found = this.locate(id);
    const camera = found?.source.cameras.get(found.cameraId);
    if (!found || !camera) throw new ApiError('not-found', `no camera ${id}`);
    if (!camera.presets.some((p) => p.id === presetId)) throw new ApiError('bad-request', `camera ${id} has no preset ${presetId}`, { fields: [{ path: 'presetId', problem: 'not a preset of this camera' }] });
    const goto = found.source.media.gotoPreset;
    if (!goto) throw new ApiError('unavailable', `the source of camera ${id} cannot move cameras`);
    try {
      await goto.call(found.source.media, found.cameraId, presetId);
    } catch (err) {
      throw new ApiError('unavailable', `camera ${id} did not move: ${(err as Error).message}`);
    }
    const before = found.source.states.get(found.cameraId) ?? { id, health: 'unknown' as const, since: this.deps.clock.now() };
    const state: CameraState = { ...before, presetId };
    found.source.states.set(found.cameraId, state);
    this.deps.bus.publish('cameras.changed', { states: [{ ...state }] });
    return { ...state };
  }

  counts(sourceId: string): { cameras: number; offline: number; frozen: number } {
    const s = this.sources.get(sourceId);
    if (!s) return { cameras: 0, offline: 0, frozen: 0 };
    let offline = 0;
    let frozen = 0;
    for (const st of s.states.values()) {
      if (st.health === 'offline') offline++;
      else if (st.health === 'frozen') frozen++;
    }
    return { cameras: s.cameras.size, offline, frozen };
  }

  /** Resolves once no snapshot check and no health write is in progress (tests on a manual clock wait for this). */
  async settled(): Promise<void> {
    for (const s of this.sources.values()) {
      await s.frozen?.idle();
      await s.queue;
    }
    while (this.picturesInFlight.size) await Promise.all([...this.picturesInFlight]);
  }

  /** Stops the frozen checks and waits for health writes in progress (the core is closing). */
  async stop(): Promise<void> {
    this.stopped = true;
    await Promise.all([...this.sources.values()].map(async (s) => {
      await s.frozen?.stop();
      await s.queue;
    }));
    await Promise.all([...this.picturesInFlight]);
  }

  // ---- what the adapters report ----

  setCameras(sourceId: string, cameras: Camera[], media: VideoSourceMedia, opts: VideoSourceOptions = {}): void {
    let s = this.sources.get(sourceId);
    if (!s) {
      s = {
        id: sourceId, media, offlineAfterReports: opts.offlineAfterReports ?? DEFAULT_OFFLINE_AFTER_REPORTS,
        cameras: new Map(), observed: new Map(), states: new Map(), members: new Map(), frozen: null, queue: Promise.resolve(), seeded: false,
        seenEvents: new RecentIds(SEEN_EVENT_IDS),
      };
      this.sources.set(sourceId, s);
    }
    const src = s;
    src.media = media;
    src.offlineAfterReports = opts.offlineAfterReports ?? src.offlineAfterReports;
    const now = this.deps.clock.now();
    const next = new Map<string, Camera>();
    for (const c of cameras) {
      if (c.sourceId !== sourceId || c.id !== `${sourceId}/${c.cameraId}`) {
        this.deps.log(`video source ${sourceId}: camera ${c.id} is not named <source>/<camera>; skipped`);
        continue;
      }
      next.set(c.cameraId, { ...c, gridCellId: this.deps.site.gridCellAt(c.position.lon, c.position.lat)?.id ?? null });
    }
    let removed = false;
    for (const id of src.cameras.keys()) {
      if (next.has(id)) continue;
      removed = true;
      src.observed.delete(id);
      src.states.delete(id);
      src.frozen?.forget(id);
    }
    for (const id of next.keys()) {
      if (!src.states.has(id)) src.states.set(id, { id: `${sourceId}/${id}`, health: 'unknown', since: now });
      if (!src.observed.has(id)) src.observed.set(id, { offlineReports: 0, online: null, frozen: false });
    }
    src.cameras = next;
    if (opts.frozen !== false && !src.frozen && !this.stopped) {
      src.frozen = new FrozenCheck(this.deps.clock, { ...DEFAULT_FROZEN_CHECK, ...(opts.frozen ?? {}) }, {
        candidates: () => [...src.states.values()].filter((st) => st.health === 'online' || st.health === 'frozen').map((st) => st.id.slice(sourceId.length + 1)),
        isCandidate: (id) => {
          const h = src.states.get(id)?.health;
          return h === 'online' || h === 'frozen';
        },
        snapshot: (id, o) => src.media.snapshot(id, o),
        found: (id, frozen) => this.frozenFound(src, id, frozen),
        log: (line) => this.deps.log(`video source ${sourceId}: ${line}`),
      });
      src.frozen.start();
    }
    // Cameras that left the inventory leave their group alarms: written with the next commit, started now.
    if (removed && src.seeded) this.enqueue(src).catch((err) => this.deps.log(`video source ${sourceId}: ${(err as Error).message}`));
  }

  async reportHealth(sourceId: string, states: Array<{ cameraId: string; online: boolean }>): Promise<void> {
    const src = this.require(sourceId);
    for (const { cameraId, online } of states) {
      const o = src.observed.get(cameraId);
      if (!o) continue; // not in the inventory (yet): the next inventory brings it
      o.online = online;
      o.offlineReports = online ? 0 : o.offlineReports + 1;
    }
    await this.enqueue(src);
  }

  async reportEvents(sourceId: string, reported: VideoEventInput[]): Promise<void> {
    const src = this.require(sourceId);
    // Replays (seen before, or twice in this batch) are dropped; ids are remembered only once their alarms committed.
    const batch = new Set<string>();
    const events = reported.filter((ev) => {
      if (src.seenEvents.has(ev.eventId) || batch.has(ev.eventId)) return false;
      batch.add(ev.eventId);
      return true;
    });
    await this.raiseEvents(src, events);
    for (const id of batch) src.seenEvents.add(id);
  }

  private async raiseEvents(src: SourceCameras, events: VideoEventInput[]): Promise<void> {
    const sourceId = src.id;
    type Known = { ev: VideoEventInput; camera: Camera };
    const analytic: Array<Known & { analytic: Exclude<VideoEventInput['type'], 'plate' | 'motion'> }> = [];
    const plates: Array<Known & { plate: NonNullable<VideoEventInput['plate']> }> = [];
    const strays: VideoEventInput[] = [];
    for (const ev of events) {
      const camera = src.cameras.get(ev.cameraId);
      if (!camera) {
        strays.push(ev);
        continue;
      }
      if (ev.type === 'motion') continue; // counted by the source, never an alarm
      if (ev.type === 'plate') {
        if (!ev.plate) this.deps.log(`video source ${sourceId}: plate event ${ev.eventId} has no plate; skipped`);
        else plates.push({ ev, camera, plate: ev.plate });
        continue;
      }
      analytic.push({ ev, camera, analytic: ev.type });
    }
    if (strays.length) {
      // One line per batch, not per event: a stray camera may send motion every second.
      const some = strays.slice(0, 5).map((e) => `${e.eventId} (${e.cameraId})`).join(', ');
      this.deps.log(`video source ${sourceId}: skipped ${strays.length} event(s) of cameras not in its inventory: ${some}${strays.length > 5 ? ', …' : ''}`);
    }
    if (!analytic.length && !plates.length) return;

    // Pictures only where they become evidence: the first event of a camera and kind with no open alarm, and
    // new reads of watch-listed plates. A replayed event finds its picture kept under the same id.
    const open = await this.deps.alarms.openByKeys([...new Set(analytic.map((a) => analyticKey(a.camera.id, a.analytic)))]);
    const readId = (ev: VideoEventInput) => `${sourceId}/${ev.eventId}`;
    const stored = await this.deps.plates.existing(plates.map((p) => readId(p.ev)));
    const seenIds = new Set<string>();
    const newPlates = plates.filter((p) => {
      const id = readId(p.ev);
      if (stored.has(id) || seenIds.has(id)) return false;
      seenIds.add(id);
      return true;
    });
    const wanted = new Map<string, Known>();
    const pictured = new Set<string>();
    for (const a of analytic) {
      const key = analyticKey(a.camera.id, a.analytic);
      if (open.has(key) || pictured.has(key)) continue;
      pictured.add(key);
      wanted.set(a.ev.eventId, a);
    }
    for (const p of newPlates) if (this.deps.plates.watched(p.plate.text)) wanted.set(p.ev.eventId, p);
    // The alarm names its picture's id now (derived from the event) and the picture is fetched after the alarm is
    // stored, outside the poll: a VMS slow to draw pictures must not slow the camera-health reads behind it.
    const pictures = [...wanted.values()].filter((w) => w.ev.snapshot);
    const snapshots = new Map(pictures.map((w) => [w.ev.eventId, evidenceIdForKey(evidenceKey(sourceId, w.ev))]));

    const inputs: RaiseAlarm[] = analytic.map((a) => analyticAlarm(a.camera, a.analytic, a.ev.eventId, snapshots.get(a.ev.eventId) ?? null, a.ev.label));
    const reads: Array<PlateRead & { snapshotId: string | null }> = [];
    for (const p of newPlates) {
      const checkpoint = this.checkpointOf(p.camera);
      const plate = normalisePlate(p.plate.text);
      const entry = this.deps.plates.watched(plate);
      const read = {
        id: readId(p.ev), sourceId, cameraId: p.camera.id, checkpointId: checkpoint.id, plate,
        direction: p.plate.direction, lane: p.plate.lane, at: p.ev.at, watchHit: !!entry, snapshotId: snapshots.get(p.ev.eventId) ?? null,
      };
      reads.push(read);
      if (entry) inputs.push(plateAlarm(p.camera, read, checkpoint.name, entry.reason, read.snapshotId));
    }
    // The alarms first: a read stored without its alarm would be skipped as a replay next time.
    await this.deps.alarms.report(inputs, SYSTEM, videoMerge(), { quietAfterCloseMs: VIDEO_QUIET_AFTER_CLOSE_MS });
    const fresh = await this.deps.plates.record(reads);
    for (const r of fresh) this.deps.bus.publish('plates.read', r);
    if (pictures.length) {
      const job: Promise<void> = this.keepSnapshots(sourceId, pictures).then(() => undefined, () => undefined).finally(() => this.picturesInFlight.delete(job));
      this.picturesInFlight.add(job);
    }
  }

  // ---- health commits ----

  private frozenFound(src: SourceCameras, cameraId: string, frozen: boolean): void {
    const o = src.observed.get(cameraId);
    if (!o || o.frozen === frozen) return;
    o.frozen = frozen;
    // A failed write is written again by the next report or finding.
    this.enqueue(src).catch((err) => this.deps.log(`video source ${src.id}: frozen-feed alarm not stored: ${(err as Error).message}`));
  }

  private enqueue(src: SourceCameras): Promise<void> {
    const run = src.queue.then(() => this.commit(src));
    src.queue = run.catch(() => undefined);
    return run;
  }

  /** What each camera's health is by what was observed, before the alarms say so. */
  private desiredHealth(src: SourceCameras, cameraId: string): CameraHealth {
    const o = src.observed.get(cameraId)!;
    if (o.offlineReports >= src.offlineAfterReports) return 'offline';
    if (o.online === true) return o.frozen ? 'frozen' : 'online';
    return src.states.get(cameraId)?.health ?? 'unknown';
  }

  private async commit(src: SourceCameras): Promise<void> {
    if (!src.seeded) await this.seed(src);
    const desired = new Map<string, CameraHealth>();
    const wanted = new Map<string, Set<string>>();
    for (const [id, camera] of src.cameras) {
      const health = this.desiredHealth(src, id);
      desired.set(id, health);
      if (health === 'offline' || health === 'frozen') {
        const key = groupKey(`camera-${health}`, src.id, camera);
        let set = wanted.get(key);
        if (!set) wanted.set(key, (set = new Set()));
        set.add(id);
      }
    }
    const groupSizes = new Map<string, number>();
    for (const c of src.cameras.values()) if (c.group !== null) groupSizes.set(c.group, (groupSizes.get(c.group) ?? 0) + 1);
    const raise: RaiseAlarm[] = [];
    const resolve: string[] = [];
    const newOutage = new Set<string>();
    for (const key of new Set([...wanted.keys(), ...src.members.keys()])) {
      const now = wanted.get(key) ?? new Set<string>();
      const before = src.members.get(key) ?? new Set<string>();
      if (now.size === before.size && [...now].every((id) => before.has(id))) continue;
      if (!now.size) {
        resolve.push(key);
        continue;
      }
      if (!before.size) newOutage.add(key);
      const type = key.slice(0, key.indexOf(':')) as GroupAlarmType;
      const affected = [...now].map((id) => src.cameras.get(id)!);
      const first = affected[0];
      const groupSize = first.group === null ? 1 : groupSizes.get(first.group) ?? 1;
      raise.push(groupAlarm(type, src.id, key, first.group, affected, groupSize));
    }
    // One transaction for every group that changed; then the closes of groups that are whole again.
    await this.deps.alarms.report(raise, SYSTEM, videoMerge(newOutage), { quietAfterCloseMs: GROUP_QUIET_AFTER_CLOSE_MS });
    for (const key of resolve) {
      const type = key.slice(0, key.indexOf(':')) as GroupAlarmType;
      await this.deps.alarms.resolveByKey(key, GROUP_RECOVERED_NOTE[type], {
        details: (open) => ({ ...(open.details as Extract<Alarm, { type: GroupAlarmType }>['details']), cameraIds: [] }),
      });
    }
    // Committed: now the cameras' states follow.
    src.members = wanted;
    const now = this.deps.clock.now();
    const changed: CameraState[] = [];
    for (const [id, health] of desired) {
      const before = src.states.get(id);
      if (before?.health === health) continue;
      const state: CameraState = { ...(before ?? { id: `${src.id}/${id}` }), health, since: now };
      src.states.set(id, state);
      changed.push({ ...state });
      const o = src.observed.get(id)!;
      if (health === 'offline' || health === 'unknown') {
        o.frozen = false;
        src.frozen?.forget(id);
      } else if (health === 'online' && before?.health === 'offline') {
        // Back from offline: looked at first (a camera that reboots may come back with a hung encoder). Cameras
        // seen for the first time are left to the round: 5,000 of them must not crowd out the ones that matter.
        src.frozen?.checkSoon(id);
      }
    }
    if (changed.length) this.deps.bus.publish('cameras.changed', { states: changed });
  }

  /** Reads back the open group alarms of a source (from before a restart), so that recoveries close them. */
  private async seed(src: SourceCameras): Promise<void> {
    const keys = new Set<string>();
    for (const c of src.cameras.values()) {
      keys.add(groupKey('camera-offline', src.id, c));
      keys.add(groupKey('camera-frozen', src.id, c));
    }
    const open = await this.deps.alarms.openByKeys([...keys]);
    for (const [key, alarm] of open) {
      if (alarm.type !== 'camera-offline' && alarm.type !== 'camera-frozen') continue;
      const health: CameraHealth = alarm.type === 'camera-offline' ? 'offline' : 'frozen';
      const members = new Set<string>();
      for (const full of alarm.details.cameraIds) {
        const id = full.slice(src.id.length + 1);
        const camera = src.cameras.get(id);
        if (!full.startsWith(`${src.id}/`) || !camera || groupKey(alarm.type, src.id, camera) !== key) continue;
        members.add(id);
        const state = src.states.get(id);
        if (state && state.health === 'unknown') src.states.set(id, { ...state, health });
        if (health === 'frozen') {
          src.observed.get(id)!.frozen = true;
          src.frozen?.assumeFrozen(id);
        }
      }
      src.members.set(key, members);
    }
    src.seeded = true;
  }

  // ---- events ----

  /** Fetches and keeps event pictures, a few at once, within a time budget; resolves event id → evidence id. */
  private async keepSnapshots(sourceId: string, items: Array<{ ev: VideoEventInput; camera: Camera }>): Promise<Map<string, string>> {
    const kept = new Map<string, string>();
    const deadline = Date.now() + SNAPSHOT_BUDGET_MS;
    const queue = items.filter((i) => i.ev.snapshot);
    const worker = async () => {
      for (let item = queue.shift(); item; item = queue.shift()) {
        if (Date.now() > deadline) {
          this.deps.log(`video source ${sourceId}: no time left for the picture of event ${item.ev.eventId}; raised without it`);
          continue;
        }
        try {
          const jpeg = await withTimeout(item.ev.snapshot!(), SNAPSHOT_TIMEOUT_MS);
          if (jpeg) kept.set(item.ev.eventId, await this.deps.evidence.save(item.camera.id, jpeg, item.ev.at, { key: evidenceKey(sourceId, item.ev) }));
        } catch (err) {
          // The alarm matters more than its picture: raised without one.
          this.deps.log(`video source ${sourceId}: the picture of event ${item.ev.eventId} was not kept: ${(err as Error).message}`);
        }
      }
    };
    await Promise.all(Array.from({ length: Math.min(SNAPSHOT_CONCURRENCY, queue.length) }, worker));
    return kept;
  }

  /** The checkpoint a camera reads plates for: the site's (by the VMS's id, else the nearest), else the VMS's id. */
  private checkpointOf(camera: Camera): { id: string; name: LocalText } {
    const byId = camera.checkpointId ? this.checkpoints.find((c) => c.id === camera.checkpointId) : undefined;
    if (byId) return byId;
    let best: { id: string; name: LocalText } | undefined;
    let bestM = CHECKPOINT_NEAR_M;
    for (const c of this.checkpoints) {
      const d = geodesicInverse([camera.position.lon, camera.position.lat], c.at).distanceM;
      if (d <= bestM) {
        best = c;
        bestM = d;
      }
    }
    if (best) return best;
    const id = camera.checkpointId ?? camera.id;
    return { id, name: camera.checkpointId ? { zh: camera.checkpointId, en: camera.checkpointId } : camera.name };
  }

  private locate(id: string): { source: SourceCameras; cameraId: string } | undefined {
    const slash = id.indexOf('/');
    if (slash <= 0) return undefined;
    const source = this.sources.get(id.slice(0, slash));
    return source && { source, cameraId: id.slice(slash + 1) };
  }

  private require(sourceId: string): SourceCameras {
    const s = this.sources.get(sourceId);
    if (!s) throw new Error(`video source ${sourceId} has reported no inventory yet`);
    return s;
  }
}

function withTimeout<T>(p: Promise<T>, ms: number): Promise<T> {
  let timer: NodeJS.Timeout | undefined;
  const late = new Promise<never>((_, reject) => {
    timer = setTimeout(() => reject(new Error(`no picture within ${ms / 1000} s`)), ms);
  });
  return Promise.race([p, late]).finally(() => clearTimeout(timer));
}

/** Where an event's picture is kept: one id per source and event, however often the event comes. */
const evidenceKey = (sourceId: string, ev: VideoEventInput) => `${sourceId}/${ev.eventId}`;
