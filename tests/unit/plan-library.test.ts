// The plan library as the console uses it: shipped and imported plans listed (a broken file with its problems,
// never startable), get() only a valid plan and only while its cameras exist, validate() stores nothing, import()
// stores a valid plan atomically under its id, records it, replaces an older version and refuses an older one.
import { copyFileSync, existsSync, mkdirSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterEach, beforeAll, describe, expect, it } from 'vitest';
import { PlanLibrary } from '../../src/main/core/drills/plan-library.ts';
import type { KnownCamera } from '../../src/main/core/drills/plan-check.ts';
import { ApiError } from '../../src/main/core/calls.ts';
import { loadSiteFile } from '../../src/main/core/site/load-site.ts';
import { SiteModel } from '../../src/main/core/site/site-model.ts';
import { buildLayout } from '../../src/sim/vms/layout.ts';
import { tempDirs } from '../fixtures/temp-dirs.ts';

const temp = tempDirs('skyfence-plans');
afterEach(() => temp.removeAll());
let site: SiteModel;
let demoCameras: KnownCamera[];
const coordinator = { username: 'drill', displayName: '王芳' };
const minimal = readFileSync('tests/fixtures/plans/valid-minimal.yaml', 'utf8');

beforeAll(async () => {
  site = new SiteModel(await loadSiteFile('resources/sites/zuck/site.json'));
  demoCameras = buildLayout(site.pack, { seed: 20261124, cameras: 300 }).map((c) => ({ id: `vms/${c.id}`, cameraId: c.id }));
});

async function library(opts: { shipped?: string[]; cameras?: () => KnownCamera[] } = {}) {
  const shippedDir = temp.make();
  const importedDir = join(temp.make(), 'plans');
  for (const f of opts.shipped ?? []) copyFileSync(f, join(shippedDir, f.split('/').pop()!));
  const records: Array<[string, string, string | null, Record<string, unknown>]> = [];
  const lib = new PlanLibrary({
    site, shippedDir, importedDir, siteDir: 'resources/sites/zuck', log: () => {},
    audit: async (...r) => void records.push(r), cameras: opts.cameras ?? (() => demoCameras),
  });
  await lib.load();
  return { lib, records, importedDir, shippedDir };
}

function apiError(fn: () => unknown): ApiError {
  try {
    fn();
  } catch (e) {
    return e as ApiError;
  }
  throw new Error('expected an ApiError');
}

describe('PlanLibrary', () => {
  it('lists every shipped plan; a broken file is listed with its problems and cannot be got', async () => {
    const { lib } = await library({ shipped: ['resources/plans/drone-intrusion-approach.yaml', 'tests/fixtures/plans/bad-time.yaml'] });
    const list = lib.list();
    expect(list.map((p) => [p.id, p.file, p.version, p.steps, p.injects, p.problems.length])).toEqual([
      ['drone-intrusion-approach', 'drone-intrusion-approach.yaml', 4, 15, 5, 0],
      ['fixture-minimal', 'bad-time.yaml', 1, 2, 1, 1],
    ]);
    expect(list[1].problems[0]).toEqual({ file: 'bad-time.yaml', line: 34, column: 9, message: 'bad time "T+3:75": seconds are 00–59 (e.g. T+03:00)' });
    expect(lib.get('drone-intrusion-approach').steps).toHaveLength(15);
    const broken = apiError(() => lib.get('fixture-minimal'));
    expect([broken.code, broken.reason]).toEqual(['conflict', 'plan-invalid']);
    expect(broken.message).toContain('bad-time.yaml:34:9: bad time "T+3:75"');
    expect(apiError(() => lib.get('no-such-plan')).code).toBe('not-found');
  });

  it('refuses a plan whose camera the video sources no longer report, and one naming cameras before any is known', async () => {
    let cameras = demoCameras;
    const { lib } = await library({ shipped: ['resources/plans/perimeter-breach-night.yaml'], cameras: () => cameras });
    expect(lib.get('perimeter-breach-night').id).toBe('perimeter-breach-night');
    cameras = demoCameras.filter((c) => c.cameraId !== 'FENCE-04');
    const gone = apiError(() => lib.get('perimeter-breach-night'));
    expect([gone.code, gone.reason]).toEqual(['conflict', 'plan-invalid']);
    expect(gone.message).toMatch(/perimeter-breach-night\.yaml:\d+:\d+: unknown camera FENCE-04/);
    cameras = [];
    expect(apiError(() => lib.get('perimeter-breach-night')).message).toBe('plan perimeter-breach-night names cameras, and no video source has reported its cameras yet');
  });

  it('validates text without storing it', async () => {
    const { lib, importedDir, records } = await library();
    expect(lib.validate('mine.yaml', minimal)).toMatchObject({ plan: { id: 'fixture-minimal', steps: 3, problems: [] }, problems: [] });
    const bad = lib.validate('C:\\Users\\x\\mine.yaml', minimal.replace('T+01:00', 'T+1:99'));
    expect(bad.plan).toBeNull();
    expect(bad.problems).toEqual([{ file: 'mine.yaml', line: 34, column: 9, message: 'bad time "T+1:99": seconds are 00–59 (e.g. T+03:00)' }]);
    expect(existsSync(importedDir)).toBe(false);
    expect(lib.list()).toEqual([]);
    expect(records).toEqual([]);
  });

  it('imports a valid plan as <id>.yaml, records it, replaces it with a newer version and refuses an older one', async () => {
    const { lib, importedDir, records } = await library();
    const first = await lib.import('upload.yaml', minimal, coordinator);
    expect(first).toMatchObject({ plan: { id: 'fixture-minimal', version: 1, file: 'fixture-minimal.yaml' }, problems: [] });
    expect(readdirSync(importedDir)).toEqual(['fixture-minimal.yaml']);
    expect(records).toEqual([['drill', 'plan.import', 'fixture-minimal', { version: 1, replaced: null, file: 'upload.yaml', steps: 3 }]]);

    const v2 = minimal.replace('version: 1', 'version: 2').replace('action: 摄像机事件', 'action: 围界摄像机事件');
    expect((await lib.import('upload.yaml', v2, coordinator)).plan?.version).toBe(2);
    expect(readFileSync(join(importedDir, 'fixture-minimal.yaml'), 'utf8')).toBe(v2);
    expect(lib.get('fixture-minimal').steps[2].action.zh).toBe('围界摄像机事件');
    expect(records[1]).toEqual(['drill', 'plan.import', 'fixture-minimal', { version: 2, replaced: 1, file: 'upload.yaml', steps: 3 }]);

    const older = await lib.import('upload.yaml', minimal, coordinator).catch((e: ApiError) => e);
    expect(older).toBeInstanceOf(ApiError);
    expect([(older as ApiError).code, (older as ApiError).reason, (older as ApiError).message]).toEqual([
      'conflict', 'plan-version', 'plan fixture-minimal version 2 is loaded: an import must raise `version` (this file has 1)',
    ]);
    expect(readdirSync(importedDir)).toEqual(['fixture-minimal.yaml']);
    expect(records).toHaveLength(2);

    // A fresh library (the console restarted) finds the imported plan.
    const again = new PlanLibrary({ site, shippedDir: temp.make(), importedDir, siteDir: 'resources/sites/zuck', log: () => {}, cameras: () => demoCameras });
    await again.load();
    expect(again.list().map((p) => [p.id, p.version])).toEqual([['fixture-minimal', 2]]);
  });

  it('refuses a broken plan with its problems and writes nothing; a newer import overrides a shipped plan', async () => {
    const { lib, importedDir, records } = await library({ shipped: ['resources/plans/drone-intrusion-approach.yaml'] });
    const broken = await lib.import('x.yaml', readFileSync('tests/fixtures/plans/unknown-camera.yaml', 'utf8'), coordinator);
    expect(broken.plan).toBeNull();
    expect(broken.problems.map((p) => `${p.line}:${p.column}: ${p.message}`)).toEqual(['37:39: unknown camera FENCE-99: the video sources report 300 cameras (did you mean FENCE-09?)']);
    expect(existsSync(importedDir)).toBe(false);

    const shipped = readFileSync('resources/plans/drone-intrusion-approach.yaml', 'utf8');
    await expect(lib.import('d.yaml', shipped, coordinator)).rejects.toMatchObject({ code: 'conflict', reason: 'plan-version' });
    await lib.import('d.yaml', shipped.replace('version: 4', 'version: 5'), coordinator);
    expect(lib.list().map((p) => [p.id, p.version, p.file])).toEqual([['drone-intrusion-approach', 5, 'drone-intrusion-approach.yaml']]);
    expect(lib.get('drone-intrusion-approach').version).toBe(5);
    expect(records.map((r) => r[1])).toEqual(['plan.import']);
  });

  it('lists a file over the size cap as broken without reading it, and survives a missing folder', async () => {
    const { shippedDir } = await library();
    writeFileSync(join(shippedDir, 'huge.yaml'), 'x'.repeat(600 * 1024));
    mkdirSync(join(shippedDir, 'not-a-plan.yaml.d'));
    const lib = new PlanLibrary({ site, shippedDir, importedDir: join(shippedDir, 'missing'), siteDir: 'resources/sites/zuck', log: () => {} });
    await lib.load();
    expect(lib.list().map((p) => [p.file, p.problems[0]?.message])).toEqual([['huge.yaml', 'the file is larger than 524288 bytes']]);
  });
});
