// The command words (zh-CN): the commander's screen (指挥屏) for a live incident, the units on the map, the clocks.
const zh = {
  title: '指挥屏', pick: '选择案事件', none: '当前无处置中的案事件', noneHint: '在报警队列中选中警情，“升级为案事件”后即可在此指挥处置。',
  secondScreen: '第二屏跟随', frame: '框定现场', back: '返回指挥台', follow: '跟随模式', readOnlyTip: '仅指挥员或管理员可在指挥屏上操作',
  elapsed: '已历时 {t}', closedState: '已结案',
  stage: { acknowledge: '确认', dispatch: '派警', 'on-scene': '到场' },
  escalated: '{alarm}：{stage}超时，已升级至指挥员', escalatedManual: '{alarm}：值班员上报指挥员',
  map: { overdue: '{stage}超时 {t}' },
  alarms: '关联警情', orders: '出警单位', noOrders: '尚未派警',
  order: {
    sent: '下达', acknowledged: '接收', onScene: '到场', target: '目标 {t}', eta: '预计 {t}', waiting: '等待中',
    state: { sent: '已下达', acknowledged: '已接收', 'on-scene': '已到场', done: '已完成', cancelled: '已撤销' },
    cancel: '撤销', cancelTitle: '撤销派警', cancelPrompt: '撤销对“{unit}”的派警指令的原因', cancelled: '已撤销对 {unit} 的派警',
  },
  more: '增派警力', nearestFor: '距“{alarm}”最近的可用警力', eta: '约 {t}', distance: '{m} 米', via: { route: '沿道路', straight: '直线' },
  dispatch: '派警', dispatched: '已向 {unit} 派警', guidance: '处置指引（随指令推送至单位终端，选填）', noUnits: '暂无可用警力', unitsUnavailable: '警力数据暂不可用',
  cameras: '可视摄像机', noCameras: '没有摄像机覆盖此处', noPosition: '案事件无位置信息', camerasFailed: '摄像机覆盖无法查询',
  units: {
    kind: { patrol: '巡逻', post: '岗', station: '所站', 'quick-response': '快反点' },
    force: { swat: '特警', traffic: '交巡警', station: '派出所', 'armed-police': '武警', 'tenant-security': '驻场安保', volunteer: '群防群治' },
    status: { available: '可用', dispatched: '已派出', 'on-scene': '在现场', 'off-duty': '不在岗' },
  },
};

export default zh;
