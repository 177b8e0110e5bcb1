// The incidents words (zh-CN): 案事件, opened from alarms, worked through their SOP checklist (处置流程).
const zh = {
  title: '案事件',
  open: '升级为案事件', openTitle: '升级为案事件', alarmsChosen: '关联警情 {n} 条', type: '案事件类型', name: '标题',
  namePlaceholder: '简述案事件，如：T2 出发层遗留可疑物品', stepsOfType: '处置流程 {n} 步', submit: '立案', cancel: '取消',
  opened: '已立案：{number}', nameRequired: '请填写标题', typeRequired: '请选择案事件类型',
  list: '案事件', listTitle: '处置中的案事件', none: '当前无处置中的案事件', pending: '待办 {n} 步', allDone: '流程已完成',
  openedAt: '{who} 立案于 {time}', details: '详情', command: '指挥屏', alarmCount: '警情 {n} 条',
  state: { open: '处置中', closed: '已结案' }, drill: '演练',
  checklist: '处置流程', progress: '{done}/{total}', done: '完成', skip: '跳过',
  stepState: { pending: '待办', done: '已完成', skipped: '已跳过' },
  stepBy: '{who} · {time}', skippedWhy: '跳过原因：{reason}', due: '目标 {t}', lateBy: '已超时 {t}',
  skipTitle: '跳过步骤', skipPrompt: '为什么跳过“{step}”？', reasonPlaceholder: '原因（必填）', reasonRequired: '请说明原因', confirm: '确定',
  notes: '备注', notePlaceholder: '记录现场情况、处置进展…', addNote: '添加备注', snapshot: '附快照', noSnapshot: '不附快照',
  noNotes: '暂无备注', snapshotOf: '{alarm} 抓拍', snapshotAlt: '快照', noteRequired: '请填写备注内容',
  timeline: '时间线', noTimeline: '暂无记录',
  report: '导出 PDF', reportFile: '案事件报告', reportDone: '报告已生成',
  close: '结案', closeTitle: '结案：{number}', summary: '结案小结', summaryPlaceholder: '处置经过与结果（必填）', summaryRequired: '请填写结案小结',
  pendingWarn: '尚有 {n} 个步骤未完成，结案后在报告中标为未完成。', closedDone: '已结案：{number}', closedBy: '{who} 结案于 {time}',
  readOnly: '只读：仅{roles}可操作', closeRoles: '指挥员或管理员', actRoles: '值班员、指挥员或管理员',
  loadFailed: '案事件无法读取', retry: '重试',
  /** The record's actions as the timeline words them ('alarm.raise' is actions.alarm.raise). */
  actions: {
    alarm: { raise: '报警', acknowledge: '确认警情', escalate: '升级至指挥员', escalated: '超时升级', assign: '指派', resolve: '处置完毕', close: '关闭警情', incident: '并入案事件', overdue: '环节超时', update: '警情更新' },
    incident: { open: '立案', addAlarms: '追加警情', step: '处置步骤', note: '备注', close: '结案', export: '导出报告' },
    dispatch: { send: '派警', cancel: '撤销派警', arrive: '单位到场（定位判定）', end: '指令结束' },
    terminal: { acknowledge: '单位接收指令', arrive: '单位报告到场', done: '单位报告完成', status: '单位状态', position: '单位位置' },
    timeline: { omitted: '较早记录未列出' },
  },
  timelineText: {
    step: '{step}：{state}', stepSkipped: '{step}：已跳过（{reason}）', omitted: '较早的 {n} 条记录未列出', alarm: '警情 {alarm}', unit: '{unit}',
  },
  errors: {
    'already-done': '该步骤已由他人完成', 'already-skipped': '该步骤已被跳过', 'already-closed': '该案事件已结案',
    'alarm-in-another-incident': '所选警情已属于其他案事件', 'alarm-closed': '所选警情已关闭', 'drill-mix': '演练警情与实战警情不能并入同一案事件',
  } as Record<string, string>,
};

export default zh;
