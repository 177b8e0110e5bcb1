// A drill's alerts as CAP 1.2 (OASIS Common Alerting Protocol) XML, status Exercise, so that an exercise's alerts
// can go to systems that speak CAP without ever passing for real ones: scope Restricted to the drill's participants,
// a note that says 演练 / EXERCISE, and one <info> per drill alarm (a live alarm is never exported here).
// Element order and enumerations follow the CAP 1.2 specification, section 3 (tests/fixtures/cap/CAP-v1.2.xsd).
import type { Alarm, AlarmType, Severity } from '../../../shared/domain.ts';
import type { AfterActionReport } from '../../../shared/drills.ts';
import { drillAlarmTitle } from './after-action-export.ts';

const CAP_NS = 'urn:oasis:names:tc:emergency:cap:1.2';
/** Beijing time, no daylight saving: CAP wants the offset written out (3.3.2), and this is the command room's clock. */
const OFFSET_MS = 8 * 3600_000;
/** The console places an alarm at a point; the circle around it says "here", not a hazard's extent. */
const AREA_RADIUS_KM = 0.5;
const RESTRICTION = '仅限机场公安演练参与单位 / Airport police (机场公安) drill participants only';

/**
 * Skyfence severity (1 提示 … 4 紧急) as CAP urgency, severity and certainty:
 *   4 紧急 critical → Immediate / Extreme  / Observed  (a drone on the approach, a breach in the core zone)
 *   3 重要 major    → Immediate / Severe   / Likely
 *   2 一般 minor    → Expected  / Moderate / Possible
 *   1 提示 info     → Future    / Minor    / Possible
 * A drill alarm is simulated whatever its severity: status Exercise, not the certainty, says so.
 */
export const CAP_SEVERITY_MAP: Record<Severity, { urgency: string; severity: string; certainty: string }> = {
  4: { urgency: 'Immediate', severity: 'Extreme', certainty: 'Observed' },
  3: { urgency: 'Immediate', severity: 'Severe', certainty: 'Likely' },
  2: { urgency: 'Expected', severity: 'Moderate', certainty: 'Possible' },
  1: { urgency: 'Future', severity: 'Minor', certainty: 'Possible' },
};

/** The event of each alarm type, as CAP's <event> (the kind of thing, not this one). */
const EVENT_OF: Record<AlarmType, string> = {
  manual: '人工报警',
  'touch-circle': '目标触圈',
  'clearance-penetration': '净空保护区侵入',
  'camera-offline': '摄像机离线',
  'camera-frozen': '摄像机画面冻结',
  'video-analytic': '视频智能分析告警',
  'plate-watchlist': '布控车辆',
  'source-silent': '数据源静默',
  'drone-threat': '无人机威胁',
  'drone-swarm': '无人机蜂群',
};

/** XML 1.0 has no place for most control characters: they are dropped, the rest escaped. */
export function xmlText(text: string): string {
  return text
    .replace(/[^\t\n\r\u0020-\uD7FF\uE000-\uFFFD\u{10000}-\u{10FFFF}]/gu, '')
    .replace(/&/g, '&amp;')
    .replace(/</g, '&lt;')
    .replace(/>/g, '&gt;')
    .replace(/"/g, '&quot;')
    .replace(/'/g, '&apos;');
}

/** ms since the epoch as CAP's date-time: 2026-12-15T10:00:00+08:00. */
export function capTime(ms: number): string {
  return `${new Date(Math.floor(ms / 1000) * 1000 + OFFSET_MS).toISOString().slice(0, 19)}+08:00`;
}

/** CAP's identifier and sender may not hold spaces, commas, < or &. */
const token = (s: string) => s.replace(/[^A-Za-z0-9._:@-]/g, '-');
const drillClock = (s: number) => `T+${String(Math.floor(s / 60)).padStart(2, '0')}:${String(Math.round(s) % 60).padStart(2, '0')}`;

const el = (indent: string, name: string, text: string) => `${indent}<${name}>${xmlText(text)}</${name}>`;
const pair = (indent: string, name: string, valueName: string, value: string) =>
  `${indent}<${name}>\n${el(`${indent}  `, 'valueName', valueName)}\n${el(`${indent}  `, 'value', value)}\n${indent}</${name}>`;

export function drillAlertsCap(report: AfterActionReport, alarms: Alarm[], sender: { icao: string; name: string }): string {
  const { drill, plan } = report;
  const byId = new Map(report.alarms.map((a) => [a.id, a]));
  const actions = new Map(report.timeline.map((t) => [t.stepId, t.action]));
  const stepAction = (stepId: string) => actions.get(stepId);
  const drillAlarms = alarms.filter((a) => a.drill).sort((a, b) => a.raisedAt - b.raisedAt || a.id.localeCompare(b.id));
  const title = `${plan.title.zh}（${plan.id} v${plan.version}）`;
  const lines = [
    '<?xml version="1.0" encoding="UTF-8"?>',
    `<alert xmlns="${CAP_NS}">`,
    el('  ', 'identifier', token(`${sender.icao}-SKYFENCE-DRILL-${drill.id}`)),
    el('  ', 'sender', token(`skyfence@${sender.icao.toLowerCase()}`)),
    el('  ', 'sent', capTime(drill.endedAt ?? drill.asOf)),
    el('  ', 'status', 'Exercise'),
    el('  ', 'msgType', 'Alert'),
    el('  ', 'source', `Skyfence 机场立体防控指挥台 · ${sender.name}`),
    el('  ', 'scope', 'Restricted'),
    el('  ', 'restriction', RESTRICTION),
    el('  ', 'note', `演练 / EXERCISE —— 本消息为演练，非真实警情 / an exercise, not a real alert. 预案 Plan: ${title}; 演练 Drill: ${drill.id}; 导调 Coordinator: ${drill.coordinator}`),
    el('  ', 'incidents', token(`drill-${drill.id}`)),
  ];
  for (const alarm of drillAlarms) {
    const measured = byId.get(alarm.id);
    const map = CAP_SEVERITY_MAP[alarm.severity];
    const headline = drillAlarmTitle({ type: alarm.type, title: measured?.title ?? EVENT_OF[alarm.type] }, stepAction, 'zh-CN');
    const stages = measured
      ? [
          `报警 raised ${drillClock(measured.raisedS)}`,
          measured.acknowledgedS !== undefined ? `确认 acknowledged +${measured.acknowledgedS}s` : '未确认 not acknowledged',
          measured.dispatchedS !== undefined ? `派警 dispatched +${measured.dispatchedS}s` : '未派警 not dispatched',
          measured.onSceneS !== undefined ? `到场 on scene +${measured.onSceneS}s` : '未到场 not on scene',
        ]
      : [];
    const area = [
      ...(alarm.circleId ? [`圈层 ${alarm.circleId}`] : []),
      ...(alarm.gridCellId ? [`网格 ${alarm.gridCellId}`] : []),
      plan.place.zh,
    ].join(' · ');
    lines.push(
      '  <info>',
      el('    ', 'language', 'zh-CN'),
      el('    ', 'category', 'Security'),
      el('    ', 'event', `${EVENT_OF[alarm.type]}（演练）`),
      el('    ', 'urgency', map.urgency),
      el('    ', 'severity', map.severity),
      el('    ', 'certainty', map.certainty),
      el('    ', 'audience', RESTRICTION),
      el('    ', 'effective', capTime(alarm.raisedAt)),
      el('    ', 'senderName', sender.name),
      el('    ', 'headline', `【演练 EXERCISE】${headline}`),
      el('    ', 'description', [`演练 ${title} 中的报警 / a drill alarm.`, ...stages].join('\n')),
      pair('    ', 'parameter', 'skyfence:alarmId', alarm.id),
      pair('    ', 'parameter', 'skyfence:alarmType', alarm.type),
      pair('    ', 'parameter', 'skyfence:severity', String(alarm.severity)),
      pair('    ', 'parameter', 'skyfence:drillId', drill.id),
      ...(measured ? [pair('    ', 'parameter', 'skyfence:drillTime', drillClock(measured.raisedS))] : []),
      '    <area>',
      el('      ', 'areaDesc', area),
      // CAP's circle is "lat,lon radius-km" (3.2.4), latitude first.
      ...(alarm.position ? [el('      ', 'circle', `${alarm.position.lat.toFixed(6)},${alarm.position.lon.toFixed(6)} ${AREA_RADIUS_KM}`)] : []),
      '    </area>',
      '  </info>',
    );
  }
  lines.push('</alert>', '');
  return lines.join('\n');
}
