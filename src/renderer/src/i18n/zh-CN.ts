// 简体中文（默认）。术语取自 shared/MISSION.md 与来源报告。
export default {
  app: { title: '机场立体防控指挥台', short: '立体防控' },
  mode: { live: '实战', drill: '演练' },
  login: {
    title: '登录指挥台', username: '用户名', password: '密码', submit: '登录', failed: '用户名或密码错误',
    firstRun: '首次运行时系统会创建 admin 账户，初始密码保存在数据目录的 initial-password.txt 中；管理员登录并修改密码后该文件即被删除。',
  },
  roles: { operator: '值班员', coordinator: '导调员', commander: '指挥员', admin: '管理员' },
  top: { logout: '退出', about: '关于', language: 'English', home: '复位视角', password: '修改密码', soundOn: '声音：开', soundOff: '声音：关' },
  password: { title: '修改密码', current: '当前密码', new: '新密码（至少 10 位）', repeat: '再次输入新密码', submit: '保存', changed: '密码已修改', tooShort: '新密码至少 10 位', mismatch: '两次输入的新密码不一致', wrongCurrent: '当前密码错误' },
  status: { clock: '时间', sources: '数据源', mode: '模式', connected: '已连接', disconnected: '连接中断', ok: '正常', degraded: '降级', down: '中断', idle: '空闲' },
  layers: {
    title: '图层',
    runways: '跑道及标志', movement: '站坪与滑行道', buildings: '航站楼与建筑', fence: '围界', roads: '道路',
    checkpoints: '卡口', posts: '警务点位', ols: '障碍物限制面', uavArea: '净空巡视检查区', protection: '净空保护区（55 公里）',
    circles: '四层感知圈', grid: '巡控网格（200 米）', alarms: '报警', tracks: '目标航迹',
  },
  alarms: {
    title: '报警队列', empty: '当前无未处置报警', acknowledge: '确认', close: '关闭', showClosed: '显示已关闭',
    severity: { 1: '提示', 2: '一般', 3: '重要', 4: '紧急' },
    state: { new: '未确认', acknowledged: '已确认', closed: '已关闭' },
    type: { manual: '人工报警', 'touch-circle': '触圈报警', 'camera-offline': '摄像机离线', 'drone-intrusion': '无人机入侵', 'source-silent': '数据源静默' },
    touchCircle: '目标 {track} 进入{circle}',
    sourceSilent: '{source}无有效数据：{detail}',
    drill: '演练', closeTitle: '关闭报警', resolution: '处置结果', resolutionDefault: '已处置', confirm: '确定', cancel: '取消',
    grid: '网格', locate: '定位', raisedAt: '报警时间', stateLabel: '状态',
  },
  details: {
    title: '详情', name: '名称', point: '地图点位', lonlat: '经纬度', olsHeight: '最低限制面高度', lowest: '最低限制面', clearance: '净空余量',
    penetration: '超高', none: '无', zones: '所在区域', circle: '感知圈', grid: '网格', unit: '责任单位', height: '高度', floors: '层数',
    raiseHere: '在此发起人工报警', classification: '目标类型', altitude: '高度', speed: '速度', trackGone: '目标已离开探测范围', kind: '类别', slope: '坡度', runway: '跑道', illustrative: '示意位置', msl: '米（海拔）',
  },
  kinds: { terminal: '航站楼', building: '建筑', apron: '站坪', taxiway: '滑行道', fence: '围界', road: '道路', checkpoint: '卡口', 'police-post': '警务点', 'police-station': '派出所', runway: '跑道', track: '目标', circle: '感知圈', surface: '限制面' },
  surfaces: {
    'inner-horizontal': '内水平面', conical: '锥形面', approach: '进近面（第一段）', 'approach-section-2': '进近面（第二段）',
    'approach-horizontal': '进近面（水平段）', transitional: '过渡面', 'take-off-climb': '起飞爬升面',
    'uav-inspection-area': '净空巡视检查区域', 'protection-radius': '净空保护区域',
  },
  classification: { drone: '无人机', bird: '飞鸟', unknown: '不明目标' },
  rings: { remote: '远端数据联通圈', outer: '外圈数据感知圈', inner: '内圈识别布控圈', core: '核心圈核查管控区' },
  manual: { title: '人工报警', severity: '级别', note: '说明', submit: '发起报警', position: '位置' },
  about: {
    title: '关于本系统',
    body: '机场立体防控指挥台：三维态势、视频与无人机探测、四层感知圈、1-3-5 分钟快速反应、应急预案与演练。',
    site: '示例机场', data: '数据说明',
  },
  errors: { unauthenticated: '请先登录', forbidden: '当前角色无此权限', 'bad-request': '请求参数有误', conflict: '状态已变化，请刷新', 'rate-limited': '登录失败次数过多，请稍后再试', 'not-found': '对象不存在', internal: '系统内部错误', network: '与指挥台核心的连接中断' },
};
