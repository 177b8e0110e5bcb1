// The published JSON Schema (resources/plans/plan.schema.json) and the parser describe the same format: the same
// keys, the same required keys, in every map. And every shipped plan validates against the sample site with the
// cameras the demo's VMS simulator reports.
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { PLAN_KEYS } from '../../src/main/core/drills/plan-parse.ts';
import { checkPlanText, formatProblem, loadPlanContext } from '../../src/main/core/drills/plan-check.ts';
import { loadSiteFile } from '../../src/main/core/site/load-site.ts';
import { SiteModel } from '../../src/main/core/site/site-model.ts';
import { buildLayout } from '../../src/sim/vms/layout.ts';

type JsonObject = { required?: string[]; properties?: Record<string, unknown>; oneOf?: JsonObject[]; $ref?: string; additionalProperties?: boolean };
const schema = JSON.parse(readFileSync('resources/plans/plan.schema.json', 'utf8'));
const defs = schema.$defs as Record<string, JsonObject>;

/** Where each of the parser's maps is in the schema. */
const WHERE: Record<keyof typeof PLAN_KEYS, JsonObject> = {
  plan: schema,
  text: defs.text.oneOf![1],
  unit: defs.unit,
  assembly: schema.properties.assembly,
  point: defs.point,
  announce: schema.properties.announce,
  step: defs.step,
  expect: defs.expect,
  condition: defs.condition,
  inject: defs.inject,
  'camera-event': defs.inject.properties!['camera-event'] as JsonObject,
  'camera-outage': defs.inject.properties!['camera-outage'] as JsonObject,
  'unit-report': defs.inject.properties!['unit-report'] as JsonObject,
  'zone-crossing': defs.inject.properties!['zone-crossing'] as JsonObject,
  alarm: defs.inject.properties!.alarm as JsonObject,
  closure: defs.closure,
  checkpoint: defs.checkpoint,
};

describe('plan.schema.json', () => {
  it('is JSON Schema 2020-12', () => {
    expect(schema.$schema).toBe('https://json-schema.org/draft/2020-12/schema');
  });

  it.each(Object.keys(PLAN_KEYS) as Array<keyof typeof PLAN_KEYS>)('agrees with the parser on the keys of %s', (shape) => {
    const node = WHERE[shape];
    const keys = PLAN_KEYS[shape];
    expect(node.additionalProperties).toBe(false);
    expect(Object.keys(node.properties ?? {}).sort()).toEqual([...keys.required, ...keys.optional].sort());
    expect([...(node.required ?? [])].sort()).toEqual([...keys.required].sort());
  });
});

describe('the shipped plans', () => {
  const files = readdirSync('resources/plans').filter((f) => f.endsWith('.yaml'));

  it('are the five of the sample airport', () => {
    expect(files.sort()).toEqual([
      'closure-inner-circle.yaml', 'drone-intrusion-approach.yaml', 'perimeter-breach-night.yaml', 'unattended-object-t2.yaml', 'violent-passenger-checkpoint.yaml',
    ]);
  });

  it('all validate against ZUCK with the demo VMS inventory, with every Art. 56 item in both languages', async () => {
    const site = new SiteModel(await loadSiteFile('resources/sites/zuck/site.json'));
    const cameras = buildLayout(site.pack, { seed: 20261124, cameras: 300 }).map((c) => ({ id: `vms/${c.id}`, cameraId: c.id }));
    const ctx = await loadPlanContext(site, 'resources/sites/zuck', cameras);
    for (const file of files) {
      const checked = checkPlanText(file, readFileSync(join('resources/plans', file), 'utf8'), ctx);
      expect(checked.problems.map(formatProblem), file).toEqual([]);
      const plan = checked.plan!;
      for (const text of [plan.title, plan.place, plan.procedures, plan.siteSetup, plan.simulatedConditions, plan.announce.end, plan.announce.abort]) {
        expect(text.zh, file).toMatch(/[\u4e00-\u9fff]/);
        expect(text.en, file).toMatch(/^[^\u4e00-\u9fff]*[A-Za-z]/);
      }
      expect(plan.assembly.points.length, file).toBeGreaterThan(0);
      expect(plan.units.length, file).toBeGreaterThan(3);
    }
  });
});
