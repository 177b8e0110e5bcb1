// MSEL interchange: a plan's steps go out as a CSV (UTF-8 with BOM, RFC 4180) or an XLSX (bold frozen header, widths)
// that a coordinator can read, and come back as plan YAML with the same steps; a broken sheet gets problems that name
// its row and column, never an exception.
import ExcelJS from 'exceljs';
import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { parse } from 'yaml';
import { MSEL_MAX_BYTES, MSEL_MAX_ROWS, mselToPlanYaml, planToMsel, planToYaml } from '../../src/main/core/drills/msel.ts';
import type { PlanProblem } from '../../src/shared/drills.ts';
import { samplePlan } from '../fixtures/msel/sample-plan.ts';

const HEADERS = [
  '序号 Inject no.', '时间 Time', '概要 Synopsis', '注入内容 Inject text', '发出 From', '接收 To', '预期行动 Expected action', '目标 Objective', '备注 Notes',
];

/** The sample plan's steps as the plan file writes them (docs: the plan format), by hand; close-CP-1 lives in `closure:`. */
const EXPECTED_STEPS = [
  { id: 'inject-drone', at: 'T+00:30', unit: 'director', action: { zh: '导调组启动无人机进近盘旋科目', en: 'Control starts the approach-loiter scenario' },
    inject: { 'drone-scenario': 'approach-loiter' } },
  { id: 'ack', at: 'T+00:30', unit: 'duty-room', action: '值班员确认无人机报警', expect: { action: 'acknowledged', of: 'inject-drone', within: '01:00' } },
  { id: 'atc-call', at: 'T+00:30', unit: 'duty-room', action: { zh: '确认后通报空管', en: 'Tell ATC once acknowledged' },
    when: { action: 'acknowledged', of: 'inject-drone' }, expect: { action: 'atc-notified', of: 'inject-drone', within: '02:00' } },
  { id: 'cam-event', at: 'T+01:30', unit: 'director', action: { zh: '围界摄像机报入侵', en: 'Fence camera reports an intrusion' },
    inject: { 'camera-event': { camera: 'CAM-P-07', event: 'intrusion', note: { zh: '围界, 有人翻越: "北侧"', en: 'Fence, someone climbing' } } } },
  { id: 'cam-down', at: 'T+02:00', unit: 'director', action: { zh: '摄像机离线', en: 'Camera offline' },
    inject: { 'camera-outage': { camera: 'CAM-P-08', duration: '05:00' } } },
  { id: 'swat-report', at: 'T+02:30', unit: 'SWAT-1', action: { zh: '特巡1报告到达', en: 'SWAT 1 reports arrival' },
    inject: { 'unit-report': { unit: 'SWAT-1', report: 'arrived', position: [106.641, 29.705] } } },
  { id: 'zone', at: 'T+02:50', unit: 'director', action: { zh: '目标触圈', en: 'Target crosses the circle' },
    inject: { 'zone-crossing': { zone: 'circle-core', position: [106.645, 29.71] } } },
  { id: 'remind', at: 'T+03:00', unit: 'director', action: { zh: '=未派警时导调组提示', en: 'Control reminds if nobody is dispatched' },
    'if-not': { action: 'dispatched', of: 'inject-drone' },
    inject: { alarm: { severity: 3, note: { zh: '导调提示：请立即派警', en: 'Control: dispatch now' }, position: [106.6405, 29.7046] } } },
  { id: 'dispatch', at: 'T+03:00', unit: 'duty-room', action: { zh: '派警', en: 'Dispatch' }, expect: { action: 'dispatched', of: 'inject-drone', within: '03:00' } },
  { id: 'cordon', at: 'T+75:00', unit: 'SWAT-1', action: { zh: '现场警戒完成', en: 'Cordon up' }, expect: { action: 'confirmed', of: 'cordon', within: '10:00' } },
];

const csv = (lines: string[]) => Buffer.from(lines.join('\r\n'), 'utf8');
const where = (problems: PlanProblem[]) => problems.map((p) => `${p.file}:${p.line}:${p.column}: ${p.message}`);

async function xlsxOf(rows: unknown[][]): Promise<Buffer> {
  const book = new ExcelJS.Workbook();
  const sheet = book.addWorksheet('MSEL');
  for (const r of rows) sheet.addRow(r);
  return Buffer.from(await book.xlsx.writeBuffer());
}

describe('MSEL export', () => {
  it('writes CSV as UTF-8 with a BOM, the bilingual header in order, one row per step, RFC 4180 quoting', async () => {
    const data = await planToMsel(samplePlan(), 'csv');
    expect([...data.subarray(0, 3)]).toEqual([0xef, 0xbb, 0xbf]);
    const text = data.toString('utf8').slice(1);
    expect(text.split('\r\n')[0]).toBe(HEADERS.join(','));
    // A quoted field with doubled quotes and a comma stays one field.
    expect(text).toContain(`"camera-event: { camera: CAM-P-07, event: intrusion, note: { zh: '围界, 有人翻越: ""北侧""', en: ""Fence, someone climbing"" } }"`);
    expect(text).toContain('inject-drone,T+00:30,"导调组启动无人机进近盘旋科目\r\nControl starts the approach-loiter scenario",drone-scenario: approach-loiter,director (导调组)'.replace('\r\n', '\n'));
    expect(text).toContain('acknowledged of inject-drone within 01:00');
    expect(text).toContain('cordon,T+75:00,');
    // A text Excel would run as a formula is kept text by an apostrophe.
    expect(text).toContain(`"'=未派警时导调组提示`);
    expect(text.trimEnd().split('\r\n').filter((l) => /^[a-zA-Z][\w-]*,T\+/.test(l))).toHaveLength(samplePlan().steps.length);
  });

  it('writes XLSX with a bold, frozen header, set widths, the time as text, and one row per step', async () => {
    const book = new ExcelJS.Workbook();
    await book.xlsx.load((await planToMsel(samplePlan(), 'xlsx')) as unknown as ExcelJS.Buffer);
    const sheet = book.getWorksheet('MSEL')!;
    expect(sheet.getRow(1).values).toEqual([undefined, ...HEADERS]);
    expect(sheet.getRow(1).font?.bold).toBe(true);
    expect(sheet.views[0]).toMatchObject({ state: 'frozen', ySplit: 1 });
    expect(sheet.columns.map((c) => c.width)).toEqual([18, 10, 40, 56, 24, 24, 40, 36, 30]);
    expect(sheet.actualRowCount).toBe(1 + samplePlan().steps.length);
    const remind = sheet.getRow(10);
    expect(remind.getCell(1).value).toBe('remind');
    expect(remind.getCell(2).value).toBe('T+03:00');
    expect(remind.getCell(2).numFmt).toBe('@');
    expect(remind.getCell(4).value).toBe(
      'if-not: dispatched of inject-drone\nalarm: { severity: 3, note: { zh: 导调提示：请立即派警, en: "Control: dispatch now" }, position: [ 106.6405, 29.7046 ] }',
    );
    expect(remind.getCell(5).value).toBe('director (导调组)');
    expect(sheet.getRow(3).getCell(6).value).toBe('duty-room (值班室)、director (导调组)');
    expect(sheet.getRow(4).getCell(8).value).toContain('1-3-5');
  });
});

describe('MSEL round trip', () => {
  for (const format of ['csv', 'xlsx'] as const) {
    it(`plan → ${format} → YAML gives the same steps, the metadata from the base plan, the version one up`, async () => {
      const plan = samplePlan();
      const { text, problems } = await mselToPlanYaml(await planToMsel(plan, format), format, plan);
      expect(where(problems)).toEqual([]);
      const yaml = parse(text);
      expect(yaml.steps).toEqual(EXPECTED_STEPS);
      expect(yaml).toMatchObject({
        'skyfence-plan': 1, id: 'drone-intrusion-approach', version: 4, type: 'closure', kind: 'full-scale', 'event-type': 'drone-intrusion',
        title: { zh: '02L进近航道无人机闯入处置演练', en: 'Drone intrusion on the 02L approach' }, position: [106.6405, 29.7046], date: '2026-12-15', seed: 7,
        'site-setup': '导调组位于指挥中心', units: [{ id: 'SWAT-1' }, { id: 'director', name: { zh: '导调组', en: 'Exercise control' } }, { id: 'duty-room', name: { zh: '值班室', en: 'Duty room' } }, { id: 'atc', name: { zh: '空管塔台', en: 'ATC tower' } }],
        assembly: { points: [{ name: { zh: '北集结点', en: 'North assembly point' }, position: [106.64, 29.71] }], routes: ['经巡场路至02L端'] },
        closure: { zone: 'circle-outer', respond: '05:00', close: '10:00', checkpoints: [{ id: 'CP-1', unit: 'SWAT-1', within: '08:00', position: [106.62, 29.72] }] },
      });
      // Notes come back as comments on their steps.
      expect(text).toMatch(/# 届时 inject-drone 未派警才触发[^\n]*\n\s+- id: remind/);
    });
  }

  it('writes the whole plan as plan YAML (planToYaml), steps in the same shape', () => {
    const yaml = parse(planToYaml(samplePlan()));
    expect(yaml.steps).toEqual(EXPECTED_STEPS);
    expect(yaml.version).toBe(3);
  });

  it('takes a sheet edited in Excel: Chinese-only headers in another order, a moved time, a new row, a changed closure target', async () => {
    const plan = samplePlan();
    const data = readFileSync(new URL('../fixtures/msel/edited.csv', import.meta.url));
    const { text, problems } = await mselToPlanYaml(data, 'csv', plan);
    expect(where(problems)).toEqual([]);
    const yaml = parse(text);
    expect(yaml.steps.map((s: { id: string; at: string }) => `${s.id}@${s.at}`)).toEqual(['inject-drone@T+00:20', 'ack@T+00:20', 'onscene@T+05:00']);
    expect(yaml.steps[1]).toEqual({ id: 'ack', at: 'T+00:20', unit: 'duty-room', action: '值班员确认无人机报警', expect: { action: 'acknowledged', of: 'inject-drone' } });
    expect(yaml.steps[2]).toMatchObject({ unit: 'SWAT-1', expect: { action: 'on-scene', of: 'inject-drone', within: '04:30' } });
    expect(yaml.closure.checkpoints[0]).toMatchObject({ id: 'CP-1', within: '07:00' });
  });
});

describe('MSEL import problems', () => {
  const plan = samplePlan();
  const head = HEADERS.join(',');

  it('names the row and column of a bad time, a row without a time, an unparsable inject, an unknown unit, an unknown header', async () => {
    const { problems } = await mselToPlanYaml(csv([
      head + ',Owner',
      'a,T+1:75,发起,drone-scenario: approach-loiter,director,,,,,x',
      'b,,确认,,duty-room,,acknowledged of a within 01:00,,',
      'c,T+02:00,注入,"alarm: { severity: 7, note: x, position: [106.6, 29.7] }",director,,,,',
      'd,T+02:00,注入,"camera-event: { camera: CAM-1",director,,,,',
      'e,T+02:00,注入,fire: now,nobody-here,,,,',
      'f,T+03:00,派警,,duty-room,,dispatched of ghost within 03:00,,',
      'g,T+02:30,早了,,duty-room,,,,',
      'h,T+03:30,回告,,duty-room,,resolved of a,,',
    ]), 'csv', plan);
    const text = where(problems);
    expect(text).toContain('MSEL:1:10: unknown column header "Owner": the columns are ' + HEADERS.join(', '));
    expect(problems).toEqual(expect.arrayContaining([
      expect.objectContaining({ line: 2, column: 2, message: expect.stringMatching(/"T\+1:75" is not a time/) }),
      expect.objectContaining({ line: 3, column: 2, message: 'the row has no time: write T+mm:ss' }),
      expect.objectContaining({ line: 4, column: 4, message: expect.stringMatching(/alarm\.severity/) }),
      expect.objectContaining({ line: 5, column: 4, message: expect.stringMatching(/^the inject text does not parse/) }),
      expect.objectContaining({ line: 6, column: 4, message: expect.stringMatching(/the inject is one of drone-scenario, .*not "fire"/) }),
      expect.objectContaining({ line: 6, column: 5, message: expect.stringMatching(/"nobody-here" is not one of the plan's units/) }),
      expect.objectContaining({ line: 7, column: 7, message: '"ghost" is not a step of this sheet' }),
      expect.objectContaining({ line: 8, column: 2, message: expect.stringMatching(/T\+02:30 comes after T\+03:00 \(row 7\)/) }),
      expect.objectContaining({ line: 9, column: 7, message: expect.stringMatching(/"resolved" needs its target/) }),
    ]));
    expect(problems.every((p) => p.file === 'MSEL')).toBe(true);
  });

  it('names row and column in an XLSX too, and refuses a time Excel turned into a time of day', async () => {
    const data = await xlsxOf([
      HEADERS,
      ['a', new Date(Date.UTC(1899, 11, 30, 0, 30)), '发起', 'drone-scenario: approach-loiter', 'director'],
      ['b', 'T+00:40', '确认', 'when: noticed of a', 'duty-room'],
      ['c', 0.5, '派警', '', 'duty-room'],
    ]);
    const { problems } = await mselToPlanYaml(data, 'xlsx', plan);
    expect(where(problems)).toEqual([
      'MSEL:2:2: the time is an Excel date or time of day: write it as text, T+mm:ss',
      'MSEL:3:4: when: "noticed" is not an action: one of acknowledged, dispatched, on-scene, resolved, closed, incident-opened, atc-notified, unit-arrived, confirmed',
      'MSEL:4:2: the time is the number 0.5: write it as text, T+mm:ss',
    ]);
  });

  it('gives a clear problem, never a throw, for a file that is not a workbook, a ZIP that is not one, and a non-UTF-8 CSV', async () => {
    const notZip = await mselToPlanYaml(Buffer.from('序号,时间\n1,T+00:10\n'), 'xlsx', plan);
    expect(where(notZip.problems)).toEqual(['MSEL:1:1: the file is not an XLSX workbook (not a ZIP archive): save it from Excel as .xlsx, or import it as CSV']);
    expect(notZip.text).toBe('');
    // A real ZIP (an empty one) that holds no workbook.
    const emptyZip = Buffer.from([0x50, 0x4b, 0x05, 0x06, ...new Array(18).fill(0)]);
    const noBook = await mselToPlanYaml(emptyZip, 'xlsx', plan);
    expect(noBook.problems).toHaveLength(1);
    expect(noBook.problems[0]).toMatchObject({ file: 'MSEL', line: 1, column: 1, message: expect.stringMatching(/^the (file is not an XLSX workbook|workbook has no sheet)/) });
    const workbookAsCsv = await mselToPlanYaml(await planToMsel(plan, 'xlsx'), 'csv', plan);
    expect(where(workbookAsCsv.problems)).toEqual(['MSEL:1:1: the file is an XLSX workbook, not CSV: import it as XLSX']);
    const gbk = Buffer.from([0xd0, 0xf2, 0xba, 0xc5, 0x2c, 0x0a]);
    expect(where((await mselToPlanYaml(gbk, 'csv', plan)).problems)).toEqual(['MSEL:1:1: the CSV is not UTF-8 text: save it from Excel as "CSV UTF-8 (逗号分隔)"']);
    const open = await mselToPlanYaml(csv([head, 'a,T+00:10,"never closed,director']), 'csv', plan);
    expect(where(open.problems)).toEqual(['MSEL:2:3: a quoted field is never closed (a " is missing)']);
  });

  it('refuses a small XLSX that would unzip to more than 4 MiB, before unzipping it', async () => {
    // One central-directory entry that claims 100 MiB, then the end record pointing at it.
    const entry = Buffer.alloc(46);
    entry.writeUInt32LE(0x02014b50, 0);
    entry.writeUInt32LE(100 * 1024 * 1024, 24);
    const end = Buffer.alloc(22);
    end.writeUInt32LE(0x06054b50, 0);
    end.writeUInt16LE(1, 8);
    end.writeUInt16LE(1, 10);
    end.writeUInt32LE(46, 12);
    end.writeUInt32LE(0, 16);
    const { problems } = await mselToPlanYaml(Buffer.concat([entry, end]), 'xlsx', plan);
    expect(where(problems)).toEqual(['MSEL:1:1: the workbook unpacks to more than 4 MiB: an MSEL sheet is far smaller']);
  });

  it('caps the sheet at 512 KiB and 2,000 rows', async () => {
    const big = await mselToPlanYaml(Buffer.alloc(MSEL_MAX_BYTES + 1, 0x41), 'csv', plan);
    expect(where(big.problems)).toEqual([`MSEL:1:1: the sheet is ${MSEL_MAX_BYTES / 1024 + 1} KiB: at most 512 KiB`]);
    const rows = Array.from({ length: MSEL_MAX_ROWS + 1 }, (_, i) => `s${i},T+00:00,x,,director`);
    const many = await mselToPlanYaml(csv([head, ...rows]), 'csv', plan);
    expect(where(many.problems)).toEqual([`MSEL:${MSEL_MAX_ROWS + 2}:1: the sheet has ${MSEL_MAX_ROWS + 1} rows after the header: at most 2000`]);
    const fine = await mselToPlanYaml(csv([head, ...rows.slice(0, MSEL_MAX_ROWS)]), 'csv', plan);
    expect(fine.problems).toEqual([]);
    expect(parse(fine.text).steps).toHaveLength(MSEL_MAX_ROWS);
  });

  it('without a base plan writes a skeleton and says what is missing, where in the YAML', async () => {
    const { text, problems } = await mselToPlanYaml(csv([head, 'go,T+00:10,发起,drone-scenario: swarm,director (导调组)', 'ack,T+00:10,确认,,duty-room,,acknowledged of go,,']), 'csv', null, 'new-drill');
    const yaml = parse(text);
    expect(yaml).toMatchObject({ 'skyfence-plan': 1, id: 'new-drill', version: 1, units: [{ id: 'director' }, { id: 'duty-room' }] });
    expect(yaml.steps).toEqual([
      { id: 'go', at: 'T+00:10', unit: 'director', action: '发起', inject: { 'drone-scenario': 'swarm' } },
      { id: 'ack', at: 'T+00:10', unit: 'duty-room', action: '确认', expect: { action: 'acknowledged', of: 'go' } },
    ]);
    const lines = text.split('\n');
    const gaps = problems.filter((p) => p.message.startsWith('no plan'));
    expect(gaps.map((p) => p.message.match(/"([a-z-]+)" from/)?.[1])).toEqual(['title', 'event-type', 'place', 'position', 'date', 'procedures', 'site-setup', 'simulated-conditions']);
    for (const p of gaps) {
      expect(p.file).toBe('new-drill.yaml');
      expect(lines[p.line - 1]).toMatch(/^[a-z-]+: 待填写 TO FILL IN$/);
    }
  });
});
