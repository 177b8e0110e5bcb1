// The incident report's words, in Chinese (the record's language) and English. The core cannot read the
// renderer's i18n files, so the few codes a report shows are worded here; an action without a word here is
// shown as its code (a record entry is never dropped for want of a label).
import type { AlarmType, Severity } from '../../../shared/domain.ts';
import type { IncidentStepState, OrderState } from '../../../shared/response.ts';

export type ReportLanguage = 'zh' | 'en';

const zh = {
  title: '案事件报告',
  colon: '：', listSep: '、', paren: (s: string) => `（${s}）`,
  number: '案事件编号', type: '类型', name: '标题', state: '状态', open: '处置中', closed: '已结案', drill: '演练',
  opened: '立案', closedAt: '结案', notClosed: '未结案', position: '位置', generated: '生成',
  alarms: '关联警情', alarm: '警情', raised: '报警', acknowledged: '确认', dispatched: '派警', onScene: '到场', resolved: '处置完毕',
  overdue: '超时', target: '目标', notReached: '未达',
  orders: '派警指令', unit: '单位', sent: '下达', orderAck: '接收', done: '完成', orderState: '状态', noOrders: '无派警指令。',
  checklist: '处置流程', step: '步骤', when: '时间', who: '执行人', reason: '原因', pendingNote: '结案时仍有未完成步骤',
  notes: '备注与快照', noNotes: '无备注。', snapshot: '快照', snapshotMissing: '快照已不在证据库中',
  timeline: '时间线', actor: '操作人', action: '动作', subject: '对象', details: '内容', omitted: (n: number) => `（较早的 ${n} 条记录未列出）`,
  summary: '结案小结', noSummary: '（尚未结案）',
  stepState: { pending: '未完成', done: '已完成', skipped: '已跳过' } satisfies Record<IncidentStepState['state'], string>,
  orderStates: { sent: '已下达', acknowledged: '已接收', 'on-scene': '已到场', done: '已完成', cancelled: '已撤销' } satisfies Record<OrderState, string>,
  severity: { 1: '提示', 2: '一般', 3: '重要', 4: '紧急' } satisfies Record<Severity, string>,
  alarmType: {
    manual: '人工报警', 'touch-circle': '触圈报警', 'clearance-penetration': '净空超高', 'camera-offline': '摄像机离线', 'camera-frozen': '画面冻结',
    'video-analytic': '视频智能分析', 'plate-watchlist': '布控车辆', 'source-silent': '数据源静默', 'drone-threat': '无人机威胁', 'drone-swarm': '无人机蜂群',
  } satisfies Record<AlarmType, string>,
  actions: {
    'alarm.raise': '报警', 'alarm.acknowledge': '确认警情', 'alarm.escalate': '升级', 'alarm.escalated': '超时升级', 'alarm.assign': '指派',
    'alarm.resolve': '处置完毕', 'alarm.close': '关闭警情', 'alarm.incident': '并入案事件', 'alarm.overdue': '环节超时',
    'incident.open': '立案', 'incident.addAlarms': '追加警情', 'incident.step': '处置步骤', 'incident.note': '备注', 'incident.close': '结案',
    'incident.export': '导出报告', 'dispatch.send': '派警', 'dispatch.cancel': '撤销派警', 'timeline.omitted': '较早记录未列出',
  } as Record<string, string>,
};

const en: typeof zh = {
  title: 'Incident report',
  colon: ': ', listSep: ', ', paren: (s: string) => ` (${s})`,
  number: 'Incident number', type: 'Type', name: 'Title', state: 'State', open: 'Open', closed: 'Closed', drill: 'Drill',
  opened: 'Opened', closedAt: 'Closed', notClosed: 'not closed', position: 'Position', generated: 'Generated',
  alarms: 'Alarms', alarm: 'Alarm', raised: 'Raised', acknowledged: 'Acknowledged', dispatched: 'Dispatched', onScene: 'On scene', resolved: 'Resolved',
  overdue: 'overdue', target: 'target', notReached: 'not reached',
  orders: 'Orders', unit: 'Unit', sent: 'Sent', orderAck: 'Acknowledged', done: 'Done', orderState: 'State', noOrders: 'No orders.',
  checklist: 'Checklist', step: 'Step', when: 'Time', who: 'By', reason: 'Reason', pendingNote: 'Closed with steps not done',
  notes: 'Notes and snapshots', noNotes: 'No notes.', snapshot: 'Snapshot', snapshotMissing: 'the snapshot is no longer in the evidence store',
  timeline: 'Timeline', actor: 'By', action: 'Action', subject: 'Subject', details: 'Details', omitted: (n: number) => `(${n} older entries not listed)`,
  summary: 'Closing summary', noSummary: '(not closed yet)',
  stepState: { pending: 'not done', done: 'done', skipped: 'skipped' },
  orderStates: { sent: 'sent', acknowledged: 'acknowledged', 'on-scene': 'on scene', done: 'done', cancelled: 'cancelled' },
  severity: { 1: 'Info', 2: 'Minor', 3: 'Major', 4: 'Critical' },
  alarmType: {
    manual: 'Manual alarm', 'touch-circle': 'Touch-circle alarm', 'clearance-penetration': 'Clearance penetration', 'camera-offline': 'Camera offline',
    'camera-frozen': 'Picture frozen', 'video-analytic': 'Video analytics', 'plate-watchlist': 'Watch-listed vehicle', 'source-silent': 'Source silent',
    'drone-threat': 'Drone threat', 'drone-swarm': 'Drone swarm',
  },
  actions: {
    'alarm.raise': 'raised', 'alarm.acknowledge': 'acknowledged', 'alarm.escalate': 'escalated', 'alarm.escalated': 'escalated (overdue)', 'alarm.assign': 'assigned',
    'alarm.resolve': 'resolved', 'alarm.close': 'alarm closed', 'alarm.incident': 'joined the incident', 'alarm.overdue': 'stage overdue',
    'incident.open': 'incident opened', 'incident.addAlarms': 'alarms added', 'incident.step': 'checklist step', 'incident.note': 'note',
    'incident.close': 'incident closed', 'incident.export': 'report exported', 'dispatch.send': 'dispatched', 'dispatch.cancel': 'order cancelled',
    'timeline.omitted': 'older entries not listed',
  },
};

export const REPORT_TEXT: Record<ReportLanguage, typeof zh> = { zh, en };
