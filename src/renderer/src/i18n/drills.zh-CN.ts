// The drill words (zh-CN): the coordinator's drill panel (演练), the 演练 watermark on every screen, the
// after-action report (复盘报告). Owned by the drill UI.
const zh = {
  menu: '演练',
  title: '应急演练',
  watermark: '演练',
  watermarkEn: 'DRILL',
  banner: '演练进行中',
  bannerPaused: '演练已暂停',
  tabs: { plans: '预案', current: '当前演练', past: '历史演练' },
  kind: { 'full-scale': '综合', 'single-unit': '单项', tabletop: '桌面' },
  type: { drill: '演练预案', closure: '圈层查控预案' },
  status: { running: '进行中', paused: '已暂停', ended: '已结束', aborted: '已中止' },
  stepStatus: { pending: '待执行', waiting: '等待条件', fired: '已触发', done: '按时完成', late: '超时完成', missed: '未完成', skipped: '已跳过' },
  action: {
    acknowledged: '确认报警', dispatched: '派警', 'on-scene': '到场', resolved: '处置完毕', closed: '关闭报警',
    'incident-opened': '升级为案事件', 'atc-notified': '通报空管', 'unit-arrived': '单位到位', confirmed: '导调确认',
  },
  inject: {
    'drone-scenario': '无人机科目 {scenario}', 'camera-event': '视频事件 {event} · {camera}', 'camera-outage': '摄像机 {camera} 离线 {s} 秒',
    'unit-report': '{unit} 上报：{report}', 'zone-crossing': '目标进入 {zone}', alarm: '人工报警（{severity} 级）：{note}',
  },
  scenario: { 'approach-loiter': '进近航道盘旋', 'centreline-crossing': '穿越跑道中线', 'survey-permit': '持证航测', swarm: '蜂群', 'radar-only': '仅雷达目标', 'bird-flock': '鸟群', 'random-traffic': '随机飞行' },
  unitReport: { accepted: '已接警', arrived: '已到场', done: '处置完毕', position: '位置' },
  plans: {
    empty: '尚无预案', broken: '预案列表无法读取：{why}', version: '第 {v} 版', steps: '{n} 个步骤', injects: '{n} 个注入',
    problems: '预案有 {n} 处错误，不能启动', detail: '详情', start: '启动演练', readOnly: '仅导调员可启动和控制演练，当前为只读。',
    exportCsv: '导出 MSEL (CSV)', exportXlsx: '导出 MSEL (XLSX)', importMsel: '导入 MSEL', mselFile: 'MSEL',
  },
  detail: {
    back: '返回预案列表', eventType: '事件类型', place: '地点', date: '日期', units: '参演单位', procedures: '处置程序', siteSetup: '现场设置',
    simulated: '模拟条件', assembly: '集结点', routes: '行进路线', announceEnd: '结束宣布', announceAbort: '中止宣布', seed: '随机种子',
    closure: '封控圈层', closureTimes: '响应 {respond} · 封闭 {close}', checkpoints: '查控卡口', outside: '预案编组',
    time: '时间', unit: '责任单位', stepAction: '动作', inject: '注入', expect: '预期', when: '条件：{action}（{of}）后', ifNot: '若 {of} 未{action}', within: '{action}（{of}）{t} 内',
  },
  start: {
    title: '启动演练', plan: '预案', speed: '倍速', seed: '随机种子', seedHint: '同一预案与种子，注入时间与内容完全相同',
    submit: '启动', cancel: '取消', started: '演练已启动', warning: '演练注入将以“演练”标记进入实战画面，实战报警照常显示。',
  },
  control: {
    pause: '暂停', resume: '继续', skip: '跳至下一步', end: '结束演练', abort: '中止演练', speed: '倍速',
    endConfirm: '结束演练？未完成的预期动作将计为未完成。', abortTitle: '中止演练', abortPrompt: '请说明中止原因（将记录在案）。中止后所有演练报警、目标与故障将从实战画面移除。',
    abortReason: '中止原因', abortRequired: '请填写中止原因', confirm: '确定', cancel: '取消',
    ended: '演练已结束', aborted: '演练已中止', coordinator: '导调员 {name}',
  },
  steps: { title: '演练步骤', due: '{t} 后到时', overdue: '已超时 {t}', confirm: '确认完成', confirmed: '已确认', target: '目标 {t}', fired: '触发 {t}', done: '完成 {t}' },
  observe: { title: '观察记录', placeholder: '输入观察记录，回车添加', add: '添加', empty: '尚无观察记录', added: '已添加观察记录' },
  past: { empty: '尚无已结束的演练', report: '复盘报告', replay: '回放', duration: '历时 {t}' },
  report: {
    title: '复盘报告', facts: '演练概况', plan: '预案', kind: '演练类型', eventType: '事件类型', place: '地点', started: '开始', ended: '结束',
    duration: '历时', coordinator: '导调员', speed: '倍速', seed: '随机种子', status: '结果', abortReason: '中止原因', units: '参演单位',
    summary: '按时 {met} 项 · 超时 {late} 项 · 未完成 {missed} 项',
    timeline: '计划与实际对照', legendPlanned: '计划', legendFired: '触发', legendDone: '完成', legendLate: '超时', legendMissed: '未完成',
    measures: '响应时间（1-3-5 目标）', step: '步骤', unit: '责任单位', action: '动作', actual: '实际用时', target: '目标', verdict: '评定',
    verdicts: { met: '达标', late: '超时', missed: '未完成' }, none: '—',
    alarms: '演练报警', alarm: '报警', raised: '报警于', ack: '确认', dispatch: '派警', onScene: '到场', closedAs: '关闭类别',
    missed: '未完成步骤', noMissed: '无未完成步骤', observations: '观察记录', noObservations: '无观察记录',
    exportPdf: '导出 PDF', exportHtml: '导出 HTML', exportCap: '导出 CAP', replay: '回放', close: '关闭', loading: '正在生成复盘报告…',
    file: '复盘报告', capFile: 'CAP', tz: '（北京时间）',
  },
  msel: {
    title: '从 MSEL 导入步骤', file: '选择 MSEL 文件（CSV 或 XLSX）', tooLarge: '文件过大（上限 512 KB）', badType: '请选择 .csv 或 .xlsx 文件',
    yaml: '转换所得的预案（YAML）', problems: '{n} 处问题', ok: '预案校验通过', check: '重新校验', import: '导入预案', imported: '已导入预案 {title}',
    cancel: '取消', noProblems: '无问题',
  },
  errors: { 'drill-running': '已有演练在进行', 'plan-invalid': '预案未通过校验，不能启动', 'drill-over': '演练已结束' },
};

export default zh;
