// CAP 1.2 export of a drill's alerts: the document validates against the CAP 1.2 schema (written from the OASIS
// specification, tests/fixtures/cap/CAP-v1.2.xsd) with xmllint; it says Exercise, is restricted to the drill's
// participants, carries one <info> per drill alarm (never a live one) with the documented severity mapping, and
// escapes every text. Broken documents fail the schema, so the schema really checks.
import { spawnSync } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { capTime, drillAlertsCap } from '../../src/main/core/drills/cap.ts';
import type { Alarm, Severity } from '../../src/shared/domain.ts';
import type { AfterActionReport } from '../../src/shared/drills.ts';
import { samplePlan } from '../fixtures/msel/sample-plan.ts';

const XSD = new URL('../fixtures/cap/CAP-v1.2.xsd', import.meta.url).pathname;
const scratch = mkdtempSync(join(tmpdir(), 'skyfence-cap-'));
afterAll(() => rmSync(scratch, { recursive: true, force: true }));

const xmllint = spawnSync('xmllint', ['--version']);
if (xmllint.error) throw new Error('xmllint is missing: install libxml2-utils (apt-get install libxml2-utils) to check CAP against its schema');

/** xmllint's verdict on a document against the CAP 1.2 schema. */
function validate(xml: string, name = 'alert.xml'): { ok: boolean; output: string } {
  const file = join(scratch, name);
  writeFileSync(file, xml);
  const run = spawnSync('xmllint', ['--noout', '--schema', XSD, file], { encoding: 'utf8' });
  return { ok: run.status === 0, output: `${run.stdout}${run.stderr}` };
}
function xpath(xml: string, expr: string): string {
  const file = join(scratch, 'query.xml');
  writeFileSync(file, xml);
  const run = spawnSync('xmllint', ['--xpath', expr, file], { encoding: 'utf8' });
  if (run.status !== 0) throw new Error(run.stderr);
  // xmllint ends its answer with a line break of its own.
  return run.stdout.replace(/\n$/, '');
}
const cap = (path: string) => path.split('/').map((s) => (s && !s.startsWith('@') && !s.includes('(') ? `*[local-name()='${s}']` : s)).join('/');

const T0 = Date.UTC(2026, 11, 15, 2, 0, 0); // 10:00 in Beijing
let n = 0;
function alarm(severity: Severity, over: Partial<Alarm> = {}): Alarm {
  n++;
  return {
    id: `al-${n}`, source: 'drill', severity, position: { lon: 106.6405, lat: 29.7046 }, circleId: 'circle-core', circleRing: null, gridCellId: 'G-12',
    raisedAt: T0 + n * 30_000, updatedAt: T0 + n * 30_000, updates: 1, state: 'closed', drill: true, acknowledgedAt: null, acknowledgedBy: null,
    assignedTo: null, dispatchedAt: null, onSceneAt: null, resolvedAt: null, resolvedBy: null, escalatedAt: null,
    clock: { targets: { acknowledgeS: 60, dispatchS: 180, onSceneS: 300 }, overdue: [] }, incidentId: null, closedAt: null, closedBy: null,
    resolution: { category: 'drill', note: '' }, type: 'manual', details: { note: 'x' },
    ...over,
  } as Alarm;
}

function report(alarms: Alarm[]): AfterActionReport {
  const plan = samplePlan();
  return {
    drill: {
      id: 'd0c1e2f3-0000-4000-8000-000000000001', planId: plan.id, planVersion: plan.version, title: plan.title, kind: plan.kind, type: plan.type,
      status: 'ended', speed: 10, seed: 7, startedAt: T0, endedAt: T0 + 600_000, drillMs: 6_000_000, asOf: T0 + 600_000, coordinator: 'drill',
      steps: [], observations: [],
    },
    plan: { id: plan.id, version: plan.version, title: plan.title, kind: plan.kind, type: plan.type, eventType: plan.eventType, place: plan.place, units: plan.units },
    timeline: [],
    measures: [],
    alarms: alarms.map((a, i) => ({ id: a.id, title: i === 0 ? '02L 进近 <无人机> & "盘旋" \u0001' : `报警 ${a.id}`, raisedS: 30 + i * 30, acknowledgedS: 42, dispatchedS: i === 0 ? 150 : undefined, closed: 'drill' })),
    missed: [],
    observations: [],
    summary: { met: 0, late: 0, missed: 0, durationS: 600 },
  };
}

const sender = { icao: 'ZUCK', name: '重庆江北国际机场' };

describe('CAP 1.2 export of a drill', () => {
  const alarms = [alarm(4), alarm(3, { position: null }), alarm(2), alarm(1)];
  const live = alarm(4, { drill: false, source: 'manual' });
  const xml = drillAlertsCap(report(alarms), [...alarms, live], sender);

  it('validates against the CAP 1.2 schema', () => {
    const verdict = validate(xml);
    expect(verdict.output).toContain('validates');
    expect(verdict.ok).toBe(true);
  });

  it('is an Exercise alert, restricted to the drill participants, sent in +08:00, with a note that says 演练 / EXERCISE', () => {
    expect(xml).toMatch(/^<\?xml version="1.0" encoding="UTF-8"\?>\n<alert xmlns="urn:oasis:names:tc:emergency:cap:1.2">/);
    expect(xpath(xml, `string(${cap('/alert/status')})`)).toBe('Exercise');
    expect(xpath(xml, `string(${cap('/alert/msgType')})`)).toBe('Alert');
    expect(xpath(xml, `string(${cap('/alert/scope')})`)).toBe('Restricted');
    expect(xpath(xml, `string(${cap('/alert/restriction')})`)).toContain('机场公安');
    expect(xpath(xml, `string(${cap('/alert/sent')})`)).toBe('2026-12-15T10:10:00+08:00');
    expect(xpath(xml, `string(${cap('/alert/note')})`)).toMatch(/^演练 \/ EXERCISE/);
    expect(xpath(xml, `string(${cap('/alert/identifier')})`)).toBe('ZUCK-SKYFENCE-DRILL-d0c1e2f3-0000-4000-8000-000000000001');
    expect(xpath(xml, `string(${cap('/alert/sender')})`)).toBe('skyfence@zuck');
  });

  it('has one <info> per drill alarm, never the live one, with the severity mapping and a circle at the alarm', () => {
    expect(xpath(xml, `count(${cap('/alert/info')})`)).toBe('4');
    expect(xml).not.toContain(live.id + '<');
    const field = (i: number, name: string) => xpath(xml, `string(${cap(`/alert/info`)}[${i}]/${cap(name)})`);
    expect([1, 2, 3, 4].map((i) => `${field(i, 'urgency')}/${field(i, 'severity')}/${field(i, 'certainty')}`)).toEqual([
      'Immediate/Extreme/Observed', 'Immediate/Severe/Likely', 'Expected/Moderate/Possible', 'Future/Minor/Possible',
    ]);
    expect(field(1, 'language')).toBe('zh-CN');
    expect(field(1, 'category')).toBe('Security');
    expect(field(1, 'event')).toBe('人工报警（演练）');
    expect(field(1, 'effective')).toBe(capTime(alarms[0].raisedAt));
    expect(field(1, 'area/circle')).toBe('29.704600,106.640500 0.5');
    expect(field(1, 'area/areaDesc')).toBe('圈层 circle-core · 网格 G-12 · 02L跑道进近端');
    expect(field(1, 'description')).toContain('派警 dispatched +150s');
    // An alarm without a position has its area described, without a circle.
    expect(xpath(xml, `count(${cap('/alert/info')}[2]/${cap('area/circle')})`)).toBe('0');
  });

  it('escapes every text and drops characters XML cannot hold', () => {
    expect(xml).toContain('<headline>【演练 EXERCISE】02L 进近 &lt;无人机&gt; &amp; &quot;盘旋&quot; </headline>');
    expect(xpath(xml, `string(${cap('/alert/info')}[1]/${cap('headline')})`)).toBe('【演练 EXERCISE】02L 进近 <无人机> & "盘旋" ');
  });

  it('gives identical XML for the same report (the export is reproducible)', () => {
    expect(drillAlertsCap(report(alarms), [...alarms, live], sender)).toBe(xml);
  });
});

describe('CAP headlines', () => {
  it("words a drone's bare serial and an analytic code, not the raw labels", () => {
    const alarms = [
      alarm(4, { type: 'drone-threat', details: { label: '1581F830F552C2CA7113' } } as Partial<Alarm>),
      alarm(3, { type: 'video-analytic' } as Partial<Alarm>),
    ];
    const r = report(alarms);
    r.alarms[0] = { ...r.alarms[0], type: 'drone-threat', title: '1581F830F552C2CA7113' };
    r.alarms[1] = { ...r.alarms[1], type: 'video-analytic', title: '围界西南段01 loitering' };
    const xml = drillAlertsCap(r, alarms, sender);
    const headline = (i: number) => xpath(xml, `string(${cap('/alert/info')}[${i}]/${cap('headline')})`);
    expect(headline(1)).toBe('【演练 EXERCISE】无人机威胁（演练） · 序列号 1581F830…');
    expect(headline(2)).toBe('【演练 EXERCISE】围界西南段01 长时间逗留');
    expect(validate(xml).ok).toBe(true);
  });
});

describe('the CAP 1.2 schema rejects what CAP forbids', () => {
  const xml = drillAlertsCap(report([alarm(3)]), [alarm(3)], sender);
  const broken: Array<[string, string]> = [
    ['a missing status', xml.replace(/\s*<status>Exercise<\/status>/, '')],
    ['a wrong status enumeration', xml.replace('<status>Exercise</status>', '<status>Drill</status>')],
    ['a wrong severity enumeration', xml.replace(/<severity>\w+<\/severity>/, '<severity>High</severity>')],
    ['a wrong category', xml.replace('<category>Security</category>', '<category>Police</category>')],
    ['elements out of order', xml.replace('<status>Exercise</status>\n  <msgType>Alert</msgType>', '<msgType>Alert</msgType>\n  <status>Exercise</status>')],
    ['a sent time without its offset', xml.replace(/<sent>([^<]+)\+08:00<\/sent>/, '<sent>$1Z</sent>')],
    ['an info without its event', xml.replace(/\s*<event>[^<]*<\/event>/, '')],
    ['an unknown element', xml.replace('<scope>', '<priority>1</priority><scope>')],
  ];
  it('accepts the unbroken one', () => expect(validate(xml).ok).toBe(true));
  for (const [what, doc] of broken) {
    it(`fails ${what}`, () => {
      expect(doc).not.toBe(xml);
      const verdict = validate(doc, 'broken.xml');
      expect(verdict.ok).toBe(false);
      expect(verdict.output).toMatch(/fails to validate/);
    });
  }
});
