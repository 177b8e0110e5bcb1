// The plan file's checks as a coordinator meets them: every kind of broken plan names its file, line and column and
// says what is wrong (and what would be right); all problems come at once; a closure plan's checkpoints become
// timed steps at the site's checkpoints; the 1-3-5 defaults fill `within`.
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { loadSiteFile } from '../../src/main/core/site/load-site.ts';
import { SiteModel } from '../../src/main/core/site/site-model.ts';
import { checkPlanText, formatProblem, loadPlanContext, planSummaryLine, type PlanSiteContext } from '../../src/main/core/drills/plan-check.ts';
import { parsePlan } from '../../src/main/core/drills/plan-parse.ts';
import { formatStepTime, parseDuration, parseStepTime } from '../../src/main/core/drills/plan-time.ts';
import { buildLayout } from '../../src/sim/vms/layout.ts';

const FIXTURES = 'tests/fixtures/plans';
let ctx: PlanSiteContext;

beforeAll(async () => {
  const site = new SiteModel(await loadSiteFile('resources/sites/zuck/site.json'));
  const cameras = buildLayout(site.pack, { seed: 20261124, cameras: 300 }).map((c) => ({ id: `vms/${c.id}`, cameraId: c.id }));
  ctx = await loadPlanContext(site, 'resources/sites/zuck', cameras);
});

const check = (name: string) => {
  const file = join(FIXTURES, name);
  return checkPlanText(file, readFileSync(file, 'utf8'), ctx);
};
const lines = (name: string) => check(name).problems.map(formatProblem);

describe('broken plan files', () => {
  const cases: Array<[string, string]> = [
    ['syntax-error.yaml', '21:1: YAML: Flow sequence in block collection must be sufficiently indented and end with a ]'],
    ['unknown-key.yaml', '4:1: unknown key `titel` in the plan (did you mean title?)'],
    ['missing-key.yaml', '28:5: step ack: missing key `unit`'],
    ['bad-time.yaml', '34:9: bad time "T+3:75": seconds are 00–59 (e.g. T+03:00)'],
    ['out-of-order.yaml', '34:9: step look (T+00:10) is listed after step ack (T+00:30): list steps in time order'],
    ['duplicate-id.yaml', '33:9: duplicate step id ack (also at line 28)'],
    ['unknown-unit.yaml', "30:11: unknown unit SWAT-2: a step's unit is one of the plan's units (did you mean SWAT-1?)"],
    ['unknown-site-unit.yaml', '14:9: unknown unit SWAT-9: not in units.json (did you mean SWAT-1?); a unit from outside the site needs a `name`'],
    ['of-no-step.yaml', '32:41: `of: inject-dron` names no step of this plan (did you mean inject-drone?)'],
    ['unknown-camera.yaml', '37:39: unknown camera FENCE-99: the video sources report 300 cameras (did you mean FENCE-09?)'],
    ['unknown-scenario.yaml',
      '27:31: unknown drone scenario approach-loiterr: the drone simulator has approach-loiter, centreline-crossing, survey-permit, swarm, radar-only, bird-flock, random-traffic; did you mean approach-loiter?'],
    ['unknown-event-type.yaml', '7:13: unknown event-type drone-intrusions: not an incident type of sops.json (did you mean drone-intrusion?)'],
    ['unknown-zone.yaml', "37:38: unknown zone middle: the site's perception circles are remote, outer, inner, core-t3a, core-t2"],
    ['zone-not-inside.yaml', '37:57: [106.6323, 29.6922] is not inside zone core-t2 (核心圈核查管控区（T1/T2）): a crossing happens inside the circle'],
    ['unknown-checkpoint.yaml', '27:13: unknown checkpoint CP-9: the site has CP-1, CP-2, CP-3, CP-4; did you mean CP-1?; another place needs `name` and `position`'],
    ['swapped-position.yaml', '9:11: position [29.6922, 106.6323] is not a place: longitude is −180–180, latitude −90–90; are longitude and latitude swapped?'],
    ['outside-site.yaml', '9:11: [116.6323, 39.6922] is outside the site (1433.9 km from the aerodrome, beyond its outermost circle)'],
  ];
  it.each(cases)('%s: file:line:column: message', (name, expected) => {
    const checked = check(name);
    expect(checked.plan).toBeNull();
    expect(checked.problems.map(formatProblem)).toContain(`${FIXTURES}/${name}:${expected}`);
  });

  it('reports a missing key where its map starts, and an unknown key where it is written', () => {
    expect(lines('unknown-key.yaml')).toEqual([`${FIXTURES}/unknown-key.yaml:1:1: the plan: missing key \`title\``, `${FIXTURES}/unknown-key.yaml:4:1: unknown key \`titel\` in the plan (did you mean title?)`]);
  });

  it('reports every problem of a file at once, in file order, site checks included', () => {
    expect(lines('many-problems.yaml')).toEqual([
      `${FIXTURES}/many-problems.yaml:3:10: version must be a whole number 1–1000000, not "one"`,
      `${FIXTURES}/many-problems.yaml:6:7: kind is full-scale | single-unit | tabletop, not "table-top" (did you mean tabletop?)`,
      `${FIXTURES}/many-problems.yaml:32:41: \`of: nothing\` names no step of this plan (one of: inject-drone, ack, look)`,
      `${FIXTURES}/many-problems.yaml:34:9: bad time "T+01:60": seconds are 00–59 (e.g. T+03:00)`,
      `${FIXTURES}/many-problems.yaml:37:39: unknown camera FENCE-99: the video sources report 300 cameras (did you mean FENCE-09?)`,
    ]);
  });

  it('refuses an inject on a camera the video sources do not have, and leaves cameras unchecked while none is known', () => {
    const text = readFileSync(join(FIXTURES, 'unknown-camera.yaml'), 'utf8');
    expect(checkPlanText('x.yaml', text, ctx).plan).toBeNull();
    expect(checkPlanText('x.yaml', text, { ...ctx, cameras: null }).problems).toEqual([]);
  });

  it('names a step by its id, not by its place in the list', () => {
    const text = readFileSync(join(FIXTURES, 'valid-minimal.yaml'), 'utf8');
    const broken = text.replace('expect: { action: acknowledged, of: inject-drone }', 'expect: { action: acknowledged, of: inject-drone, within: soon }');
    const messages = parsePlan('m.yaml', broken).problems.map((p) => p.message);
    expect(messages).toContain('step ack: expect.within: bad duration "soon": a duration is mm:ss (e.g. 05:00)');
    expect(messages.join('\n')).not.toMatch(/steps\[\d+\]/);
  });

  it('puts a YAML error at the end of the file on its last line, not on a line past it', () => {
    const text = 'skyfence-plan: 1\nid: x\ntitle: [a, b\n';
    const [problem] = parsePlan('end.yaml', text).problems;
    expect(problem.line).toBeLessThanOrEqual(3);
    expect(problem.column).toBeLessThanOrEqual('title: [a, b'.length + 1);
  });

  it('never throws on text that is not a plan', () => {
    for (const text of ['', '- a\n- b\n', 'just words', '{', '\t\tx: [', 'a: *nothing', 'x'.repeat(600_000)]) {
      const r = parsePlan('junk.yaml', text);
      expect(r.plan).toBeNull();
      expect(r.problems.length).toBeGreaterThan(0);
      expect(r.problems[0]).toMatchObject({ file: 'junk.yaml', line: expect.any(Number), column: expect.any(Number) });
    }
  });
});

describe('a good plan', () => {
  it('reads the minimal fixture with the 1-3-5 default target and the site unit name', () => {
    const { plan, problems } = check('valid-minimal.yaml');
    expect(problems).toEqual([]);
    expect(plan!.steps.map((s) => [s.id, s.atS])).toEqual([['inject-drone', 30], ['ack', 30], ['look', 60]]);
    expect(plan!.steps[1].expect).toEqual({ action: 'acknowledged', of: 'inject-drone', targetS: 60 });
    expect(plan!.units.find((u) => u.id === 'SWAT-1')).toEqual({ id: 'SWAT-1', name: { zh: '特警巡逻一组', en: 'SWAT patrol 1' }, site: true });
    expect(plan!.units.find((u) => u.id === 'director')).toMatchObject({ site: false, name: { zh: '导调组', en: 'Exercise control' } });
    expect(plan!.title).toEqual({ zh: '测试预案', en: '测试预案' });
    expect(plan!.seed).toBe(1);
    expect(planSummaryLine(plan!)).toBe('fixture-minimal v1: 桌面演练, 3 steps, 2 injects, 1 timed actions — OK');
  });

  it("turns a closure plan's checkpoints into unit-arrived steps at T+0 at the site's checkpoint, 50 m", () => {
    const { plan, problems } = check('closure-own-checkpoint.yaml');
    expect(problems).toEqual([]);
    expect(plan!.steps.map((s) => s.id)).toEqual(['order', 'close-CP-2', 'close-TMP-1', 'later']);
    const cp2 = plan!.steps[1];
    expect(cp2).toMatchObject({ atS: 0, unit: 'TRF-1', expect: { action: 'unit-arrived', of: 'close-CP-2', targetS: 360 }, place: { lon: 106.6680114, lat: 29.705903, radiusM: 50 } });
    expect(cp2.action.zh).toContain('2 号卡口');
    expect(plan!.steps[2].place).toEqual({ lon: 106.6592, lat: 29.7201, radiusM: 50 });
    expect(plan!.closure).toMatchObject({ zone: 'inner', respondS: 300, closeS: 600 });
    expect(plan!.closure!.checkpoints[0]).toMatchObject({ id: 'CP-2', position: { lon: 106.6680114, lat: 29.705903 }, targetS: 360 });
  });

  it('refuses a checkpoint whose target is later than the circle is closed', () => {
    const text = readFileSync(join(FIXTURES, 'closure-own-checkpoint.yaml'), 'utf8').replace("within: '09:00'", "within: '12:00'");
    expect(checkPlanText('c.yaml', text, ctx).problems.map(formatProblem)).toEqual([
      'c.yaml:25:83: checkpoint TMP-1: within 12:00 is later than closure.close 10:00',
    ]);
  });
});

describe('Chinese text folded over lines', () => {
  it('joins Chinese lines without a stray space and keeps the spaces of English', () => {
    const text = readFileSync(join(FIXTURES, 'valid-minimal.yaml'), 'utf8').replace(/^procedures:.*$/m, [
      'procedures:',
      '  zh: >-',
      '    接警后 3 分钟内派出',
      '    就近警力，封控机场高速',
      '    方向。',
      '  en: >-',
      '    Dispatch the nearest',
      '    unit within 3 minutes.',
    ].join('\n'));
    const { plan, problems } = parsePlan('fold.yaml', text);
    expect(problems).toEqual([]);
    expect(plan!.procedures).toEqual({ zh: '接警后 3 分钟内派出就近警力，封控机场高速方向。', en: 'Dispatch the nearest unit within 3 minutes.' });
  });

  it('leaves the shipped plans with no space between two Chinese characters', async () => {
    const { readdirSync } = await import('node:fs');
    for (const name of readdirSync('resources/plans').filter((f) => f.endsWith('.yaml'))) {
      const { plan, problems } = checkPlanText(name, readFileSync(join('resources/plans', name), 'utf8'), ctx);
      expect(problems).toEqual([]);
      const texts = JSON.stringify(plan);
      expect(texts.match(/[\u4e00-\u9fff，。、；：）] [\u4e00-\u9fff（，。]/g) ?? [], name).toEqual([]);
    }
  });
});

describe('plan times', () => {
  it('reads T+mm:ss and mm:ss, minutes past 59 included, and refuses seconds past 59 or zero targets', () => {
    expect(parseStepTime('T+75:00')).toEqual({ seconds: 4500 });
    expect(parseStepTime('T+00:00')).toEqual({ seconds: 0 });
    expect(parseStepTime('T+3:75')).toEqual({ error: 'bad time "T+3:75": seconds are 00–59 (e.g. T+03:00)' });
    expect(parseStepTime('3:00')).toEqual({ error: 'bad time "3:00": a step time is T+mm:ss (e.g. T+03:00)' });
    expect(parseDuration('05:00')).toEqual({ seconds: 300 });
    expect(parseDuration('00:00')).toEqual({ error: 'bad duration "00:00": it must be longer than 00:00' });
    expect(parseDuration(300)).toEqual({ error: 'a duration is mm:ss (e.g. 05:00), not 300' });
    expect(formatStepTime(4500)).toBe('T+75:00');
  });
});
