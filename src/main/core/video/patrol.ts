// Video patrol inspection (视频巡检): routes of cameras shown in turn; an operator starts a run, gives each
// camera a verdict (its snapshot kept as evidence), and finishes it; cameras left without a verdict are
// recorded as missed. A dead camera is exactly what a patrol must record: a snapshot that cannot be fetched
// still lets the check count (snapshotId null). Starts, checks and finishes are audited.
import { createHash, randomUUID } from 'node:crypto';
import type { Person } from '../../../shared/domain.ts';
import type { PatrolDue } from '../../../shared/contract/video.ts';
import type { Camera, PatrolRoute, PatrolRun, PatrolVerdict } from '../../../shared/video.ts';
import type { Clock } from '../clock.ts';
import { ApiError } from '../calls.ts';
import type { AuditTrail } from '../store/audit-log.ts';
import type { PatrolRepository } from './patrol-repository.ts';
import { localMidnight, localUtcOffset, patrolDue, type UtcOffset } from './patrol-schedule.ts';
import { SNAPSHOT_TIMEOUT_MS, type CameraDirectory, type EvidenceStore } from './video-ports.ts';

/** Runs one query returns at most (a shift has a few dozen). */
export const MAX_RUNS_LISTED = 500;
const DEMO_SCHEDULE = ['08:00', '14:00', '20:00'];
const DEMO_DWELL_S = 10;
const DEMO_MAX_CAMERAS = 24;
const PERIMETER = /围界|周界|fence|perimeter/i;

/** A route id from its name: ASCII words as they are, anything else (Chinese names) as a short stable hash. */
export function routeIdFromName(name: string): string {
  const slug = name.toLowerCase().replace(/[^a-z0-9]+/g, '-').replace(/^-+|-+$/g, '').slice(0, 32).replace(/-+$/, '');
  const ascii = /^[\x20-\x7e]+$/.test(name);
  return ascii && slug ? slug : `r-${createHash('sha256').update(name).digest('hex').slice(0, 10)}`;
}

/** Three sensible routes from an inventory: the busiest terminal area (出发层 first), the perimeter, the checkpoints. */
export function demoRoutes(cameras: readonly Camera[]): PatrolRoute[] {
  const route = (id: string, name: string, cams: readonly Camera[]): PatrolRoute[] =>
    cams.length === 0 ? [] : [{ id, name, cameraIds: cams.slice(0, DEMO_MAX_CAMERAS).map((c) => c.id), dwellS: DEMO_DWELL_S, schedule: DEMO_SCHEDULE }];
  const isPerimeter = (c: Camera) => PERIMETER.test(`${c.area?.zh ?? ''} ${c.area?.en ?? ''} ${c.name.zh} ${c.name.en}`);
  const byArea = new Map<string, Camera[]>();
  for (const c of cameras) {
    if (c.kind === 'checkpoint' || isPerimeter(c) || !c.area) continue;
    byArea.set(c.area.zh, [...(byArea.get(c.area.zh) ?? []), c]);
  }
  const areas = [...byArea.entries()].sort(([a, ca], [b, cb]) => Number(b.includes('出发')) - Number(a.includes('出发')) || cb.length - ca.length);
  const [areaName, areaCams] = areas[0] ?? ['', []];
  return [
    ...route('demo-area', `${areaName} 巡检`, areaCams),
    ...route('demo-perimeter', '围界巡检', cameras.filter(isPerimeter)),
    ...route('demo-checkpoints', '卡口巡检', cameras.filter((c) => c.kind === 'checkpoint')),
  ];
}

export class PatrolService {
  constructor(
    private readonly repo: PatrolRepository,
    private readonly cameras: CameraDirectory,
    private readonly evidence: EvidenceStore,
    private readonly audit: AuditTrail,
    private readonly clock: Clock,
    private readonly opts: { demo: boolean; utcOffset?: UtcOffset; log?: (line: string) => void },
  ) {}

  /** The routes; in demo mode, the first call with cameras known and no routes seeds three from the inventory. */
  async routes(): Promise<PatrolRoute[]> {
    const routes = await this.repo.routes();
    if (routes.length > 0 || !this.opts.demo) return routes;
    const seed = demoRoutes(this.cameras.list());
    if (seed.length === 0) return routes;
    if (await this.repo.seedRoutes(seed, this.clock.now())) await this.audit.record('system', 'patrol.seed-routes', null, { routes: seed.map((r) => r.id) });
    return this.repo.routes();
  }

  async saveRoute(input: Omit<PatrolRoute, 'id'> & { id?: string }, by: Person): Promise<PatrolRoute> {
    const problems: Array<{ path: string; problem: string }> = [];
    const seen = new Set<string>();
    input.cameraIds.forEach((id, i) => {
      if (!this.cameras.get(id)) problems.push({ path: `cameraIds.${i}`, problem: `unknown camera ${id}` });
      else if (seen.has(id)) problems.push({ path: `cameraIds.${i}`, problem: `camera ${id} is listed twice` });
      seen.add(id);
    });
    if (problems.length > 0) {
      throw new ApiError('bad-request', `patrol.saveRoute: ${problems.map((p) => `${p.path}: ${p.problem}`).join('; ')}`, { fields: problems });
    }
    const route: PatrolRoute = {
      id: input.id ?? routeIdFromName(input.name), name: input.name, cameraIds: input.cameraIds, dwellS: input.dwellS,
      schedule: [...new Set(input.schedule)].sort(),
    };
    await this.repo.upsertRoute(route, this.clock.now());
    await this.audit.record(by.username, 'patrol.save-route', route.id, { name: route.name, cameras: route.cameraIds.length, schedule: route.schedule });
    return route;
  }

  /** Starts a run, or returns this user's open run of the route. */
  async start(routeId: string, by: Person): Promise<PatrolRun> {
    // A demo route may be started before anyone listed the routes (which seeds them).
    const route = (await this.repo.route(routeId)) ?? (await this.routes()).find((r) => r.id === routeId);
    if (!route) throw new ApiError('not-found', `no patrol route ${routeId}`);
    const fresh: PatrolRun = {
      id: randomUUID(), routeId, routeName: route.name, by: { username: by.username, displayName: by.displayName },
      startedAt: this.clock.now(), finishedAt: null, checks: [], missed: [],
    };
    const { run, created } = await this.repo.startRun(fresh);
    if (created) await this.audit.record(by.username, 'patrol.start', run.id, { route: routeId });
    return run;
  }

  async check(input: { runId: string; cameraId: string; verdict: PatrolVerdict; note: string }, by: Person): Promise<PatrolRun> {
    const { run, route } = await this.openRunOf(input.runId, by);
    if (!route.cameraIds.includes(input.cameraId)) {
      throw new ApiError('bad-request', `patrol.check: camera ${input.cameraId} is not on the route ${route.name}`, {
        fields: [{ path: 'cameraId', problem: `not on the route ${route.name}` }],
      });
    }
    const at = this.clock.now();
    const snapshotId = await this.keepSnapshot(input.cameraId, at);
    // The run may have been finished while the snapshot was fetched: then the check is refused. Its snapshot
    // stays in the evidence store (harmless: the store has no delete, and its cap prunes it oldest first like any other).
    if (!(await this.repo.addCheck(run.id, { cameraId: input.cameraId, verdict: input.verdict, note: input.note, at, snapshotId }))) {
      throw new ApiError('conflict', 'this patrol run was finished before the check was recorded', { reason: 'already-finished' });
    }
    await this.audit.record(by.username, 'patrol.check', run.id, { camera: input.cameraId, verdict: input.verdict, snapshot: snapshotId });
    return (await this.repo.run(run.id))!;
  }

  async finish(runId: string, by: Person): Promise<PatrolRun> {
    const { run, route } = await this.openRunOf(runId, by);
    if (!(await this.repo.finishRun(run.id, this.clock.now(), route.cameraIds))) throw new ApiError('conflict', 'this patrol run is already finished', { reason: 'already-finished' });
    const done = (await this.repo.run(run.id))!;
    await this.audit.record(by.username, 'patrol.finish', run.id, { route: run.routeId, checked: done.checks.length, missed: done.missed.length });
    return done;
  }

  runs(from: number, to: number): Promise<PatrolRun[]> {
    if (from > to) throw new ApiError('bad-request', 'the period ends before it starts', { fields: [{ path: 'to', problem: 'before from' }] });
    return this.repo.runsBetween(from, to, MAX_RUNS_LISTED);
  }

  async due(): Promise<PatrolDue[]> {
    const now = this.clock.now();
    const offset = this.opts.utcOffset ?? localUtcOffset;
    const [routes, runs] = await Promise.all([this.routes(), this.repo.runsBetween(localMidnight(now, offset), now, MAX_RUNS_LISTED)]);
    return patrolDue(routes, runs, now, offset);
  }

  /** The snapshot now, kept as evidence; null when the camera gives none (then the check records that). */
  private async keepSnapshot(cameraId: string, at: number): Promise<string | null> {
    const source = this.cameras.media(cameraId);
    if (!source) return null;
    try {
      const jpeg = await source.media.snapshot(source.cameraId, { timeoutMs: SNAPSHOT_TIMEOUT_MS });
      return await this.evidence.save(cameraId, jpeg, at);
    } catch (err) {
      this.opts.log?.(`patrol: no snapshot of ${cameraId}: ${(err as Error).message}`);
      return null;
    }
  }

  private async openRunOf(runId: string, by: Person): Promise<{ run: PatrolRun; route: PatrolRoute }> {
    const run = await this.repo.run(runId);
    if (!run) throw new ApiError('not-found', `no patrol run ${runId}`);
    if (run.by.username !== by.username) throw new ApiError('forbidden', `this patrol run is ${run.by.displayName}'s`, { reason: 'not-your-run' });
    if (run.finishedAt !== null) throw new ApiError('conflict', 'this patrol run is already finished', { reason: 'already-finished' });
    const route = await this.repo.route(run.routeId);
    if (!route) throw new ApiError('not-found', `the route ${run.routeId} of this run no longer exists`);
    return { run, route };
  }
}
