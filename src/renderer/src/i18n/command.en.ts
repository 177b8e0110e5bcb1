import type zh from './command.zh-CN.ts';

const en: typeof zh = {
  title: 'Command screen', pick: 'Choose an incident', none: 'No open incidents', noneHint: 'Select alarms in the queue and open an incident: it is commanded from here.',
  secondScreen: 'Follow on a second screen', frame: 'Frame the scene', back: 'Back to the console', follow: 'Following', readOnlyTip: 'Only a commander or an administrator may act on the command screen',
  elapsed: '{t} elapsed', closedState: 'Closed',
  stage: { acknowledge: 'Ack', dispatch: 'Dispatch', 'on-scene': 'On scene' },
  escalated: '{alarm}: {stage} overdue, escalated to the commander', escalatedManual: '{alarm}: escalated by the operator',
  map: { overdue: '{stage} overdue {t}' },
  alarms: 'Alarms', orders: 'Units on orders', noOrders: 'No unit sent yet',
  order: {
    sent: 'Sent', acknowledged: 'Ack', onScene: 'On scene', target: 'target {t}', eta: 'ETA {t}', waiting: 'waiting',
    state: { sent: 'Sent', acknowledged: 'Acknowledged', 'on-scene': 'On scene', done: 'Done', cancelled: 'Cancelled' },
    cancel: 'Cancel', cancelTitle: 'Cancel an order', cancelPrompt: 'Why cancel the order to "{unit}"?', cancelled: 'Order to {unit} cancelled',
  },
  more: 'Send more units', nearestFor: 'Nearest available to "{alarm}"', eta: '~{t}', distance: '{m} m', via: { route: 'by road', straight: 'straight line' },
  dispatch: 'Dispatch', dispatched: '{unit} dispatched', guidance: 'Guidance (pushed to the unit\'s terminal with the order, optional)', noUnits: 'No unit available', unitsUnavailable: 'Units cannot be read now',
  cameras: 'Cameras that see it', noCameras: 'No camera covers this place', noPosition: 'The incident has no position', camerasFailed: 'Camera coverage could not be read',
  units: {
    kind: { patrol: 'Patrol', post: 'Post', station: 'Station', 'quick-response': 'Quick response' },
    force: { swat: 'SWAT', traffic: 'Traffic patrol', station: 'Station police', 'armed-police': 'Armed police', 'tenant-security': 'Tenant security', volunteer: 'Volunteers' },
    status: { available: 'Available', dispatched: 'Dispatched', 'on-scene': 'On scene', 'off-duty': 'Off duty' },
  },
};

export default en;
