// The playback words (zh-CN): the playback view (回放) of a finished drill or a recorded live period, and the
// duty menu's entry that picks the period.
const zh = {
  banner: '回放 · PLAYBACK', drill: '演练', notLive: '历史回放，非实时态势',
  title: '回放', titleDrill: '演练回放', period: '{from} — {to}（北京时间）',
  exit: '退出回放', reopen: '重新载入',
  play: '播放', pause: '暂停', speed: '倍速', previous: '上一事件', next: '下一事件', toStart: '回到开始',
  scrubber: '回放时间轴', events: '事件', noEvents: '该时段无记录事件', eventsCount: '共 {n} 条',
  alarms: '该时刻未关闭报警', noAlarms: '该时刻无未关闭报警', actions: '操作记录',
  tracks: '目标 {n}', units: '警力 {n}', camerasOffline: '离线摄像机 {n}',
  loading: '正在载入回放…', frameLoading: '正在读取该时刻态势…',
  errors: {
    badAddress: '回放地址无效：需要 drill=演练编号，或 from 与 to（毫秒时间戳，from 早于 to）',
    open: '无法打开回放：{reason}', frame: '该时刻态势读取失败：{reason}',
  },
  system: '系统', took: '用时 {t}',
  kind: {
    alarm: { raise: '报警产生', acknowledge: '确认报警', assign: '指派报警', escalate: '上报指挥员', 'escalate-manual': '人工上报', resolve: '处置完毕', close: '关闭报警', incident: '升级案事件', overdue: '报警超时' },
    dispatch: { send: '派警', cancel: '撤销派警', arrive: '警力到场', end: '派警结束' },
    incident: { open: '立案', step: '处置步骤', note: '案事件备注', close: '结案', export: '导出案事件' },
    drill: {
      start: '演练开始', pause: '演练暂停', resume: '演练继续', speed: '调整倍速', skip: '跳至下一步', end: '演练结束', abort: '演练中止',
      fire: '步骤触发', 'inject-failed': '注入失败', 'not-needed': '无需执行', done: '按时完成', late: '超时完成', overdue: '步骤超时', missed: '未完成',
      observe: '观察记录', confirm: '导调确认', export: '导出演练',
    },
    duty: { missed: '漏签到' },
  },
  kinds: {
    'alarm-raised': '报警', 'alarm-state': '状态变更', 'alarm-closed': '报警关闭', action: '操作', 'drill-step': '演练步骤',
    inject: '演练注入', observation: '观察记录', dispatch: '派警', unit: '警力', drill: '演练',
  },
  menu: {
    entry: '回放',
    title: '选择回放时段', last15: '最近 15 分钟', last60: '最近 1 小时', custom: '自定义时段', drill: '已结束的演练',
    from: '开始', to: '结束', noDrills: '暂无已结束的演练', drillsFailed: '演练列表无法读取',
    openHere: '在本窗口打开', openTab: '在新标签页打开', cancel: '取消',
    badRange: '请选择有效的时段：开始须早于结束，且不晚于当前时间',
    drillStatus: { ended: '已结束', aborted: '已中止', running: '进行中', paused: '已暂停' },
  },
};

export default zh;
