// The response words (zh-CN) of the operator's alarm queue and workflow: states, 1-3-5 clocks, keys, dispatch,
// grouping, silence, escalation. Owned by the alarm queue UI.
const zh = {
  title: '报警处置',
  state: { new: '新', acknowledged: '已确认', dispatched: '已派警', 'on-scene': '已到场', resolved: '已处置', closed: '已关闭' },
  stage: { acknowledge: '确认', dispatch: '派警', 'on-scene': '到场', manual: '人工上报' },
  clock: {
    due: '{stage} 剩余 {time}',
    overdue: '{stage} 超时 {time}',
    done: '各环节已完成',
    stopped: '计时停止',
    reached: '{stage} {time}（用时 {used}）',
    reachedLate: '{stage} {time}（用时 {used}，超时）',
    pending: '{stage} 目标 {target}',
    title: '1-3-5 分钟计时',
  },
  actions: {
    next: '下一条', previous: '上一条', acknowledge: '确认', dispatch: '派警', locate: '定位', resolve: '处置完毕',
    close: '关闭', escalate: '上报指挥员', incident: '升级为案事件', group: '分组', silence: '静音', help: '按键说明', assignMe: '指派给我', unassign: '取消指派',
  },
  keys: {
    title: '键盘操作', hint: '按 ? 查看按键', typing: '在输入框中打字时按键不生效。',
    list: {
      next: '下一条报警', previous: '上一条报警', acknowledge: '确认当前报警', dispatch: '派警（就近警力）', locate: '在地图上定位',
      resolve: '处置完毕', close: '关闭报警（选择类别）', escalate: '上报指挥员', incident: '升级为案事件（连同附近 30 分钟内的报警）', group: '按来源与区域分组 / 取消分组',
      silence: '静音 5 / 15 / 30 分钟，再按结束', help: '显示 / 隐藏本说明', escape: '关闭对话框',
    },
  },
  assigned: '指派：{name}', escalated: '已上报', escalatedAt: '已上报指挥员 {time}', incident: '已并案',
  orders: '派警：{units}',
  orderState: { sent: '已下达', acknowledged: '已接收', 'on-scene': '已到场', done: '已完成', cancelled: '已撤销' },
  resolveTitle: '处置完毕', resolveNote: '处置情况（选填）', resolved: '已标记处置完毕',
  escalateTitle: '上报指挥员', escalateNote: '上报说明（选填）', escalateDone: '已上报指挥员',
  acknowledged: '已确认',
  dispatch: {
    title: '派警', loading: '正在计算就近警力…', none: '附近没有可用警力', unavailable: '派警服务暂不可用：{why}',
    callSign: '呼号', kind: '类别', distance: '距离', eta: '预计到达', via: '路径',
    viaRoute: '按道路', viaStraight: '直线', guidance: '处置指引（选填，随警情推送至警力终端）',
    guidancePlaceholder: '例如：从 T2 东侧通道进入，注意疏散旅客', send: '派警', sent: '已派警：{units}', enter: 'Enter 派警',
    chooseOne: '请至少选择一个警力', metres: '{n} 米', kilometres: '{n} 公里',
  },
  unitKind: { patrol: '巡逻', post: '岗', station: '所/站', 'quick-response': '135快反点' },
  force: { swat: '特警', traffic: '交巡警', station: '派出所', 'armed-police': '武警', 'tenant-security': '驻场安保', volunteer: '群防群治' },
  close: {
    reasonRequired: '选择“误报”“重复”或“其他”时须说明原因', reasonPlaceholder: '请说明原因（必填）',
    duplicateOf: '重复于（原报警）', duplicatePlaceholder: '选择原报警', duplicateNone: '未选择原报警时须说明原因',
  },
  group: {
    on: '已分组', off: '未分组', count: '{n} 条', worst: '最高', noZone: '未定位区域', collapse: '收起', expand: '展开',
  },
  source: { manual: '人工', perception: '感知', video: '视频', drone: '无人机', drill: '演练', system: '系统' },
  silence: {
    menu: '静音', for: '静音 {m} 分钟', remaining: '静音中 {time}', end: '恢复声音', ended: '声音已恢复',
    urgent: '静音期间有 {n} 条紧急报警',
  },
  escalation: {
    title: '上报指挥员', overdue: '{stage}超时', manual: '值班员上报', show: '查看', dismiss: '知道了', by: '上报人：{name}', more: '另有 {n} 条',
  },
};

export default zh;
