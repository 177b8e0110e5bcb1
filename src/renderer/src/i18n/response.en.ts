import type zh from './response.zh-CN.ts';

const en: typeof zh = {
  title: 'Alarm response',
  state: { new: 'New', acknowledged: 'Acknowledged', dispatched: 'Dispatched', 'on-scene': 'On scene', resolved: 'Resolved', closed: 'Closed' },
  stage: { acknowledge: 'Acknowledge', dispatch: 'Dispatch', 'on-scene': 'On scene', manual: 'Raised by operator' },
  clock: {
    due: '{stage} in {time}',
    overdue: '{stage} overdue {time}',
    done: 'All stages reached',
    stopped: 'Clock stopped',
    reached: '{stage} {time} (took {used})',
    reachedLate: '{stage} {time} (took {used}, late)',
    pending: '{stage} target {target}',
    title: '1-3-5 minute clocks',
  },
  actions: {
    next: 'Next', previous: 'Previous', acknowledge: 'Acknowledge', dispatch: 'Dispatch', locate: 'Locate', resolve: 'Resolved',
    close: 'Close', escalate: 'Escalate', incident: 'Open incident', group: 'Group', silence: 'Silence', help: 'Keys', assignMe: 'Assign to me', unassign: 'Unassign',
  },
  keys: {
    title: 'Keyboard', hint: 'Press ? for keys', typing: 'Keys do nothing while you type in a field.',
    list: {
      next: 'Next alarm', previous: 'Previous alarm', acknowledge: 'Acknowledge this alarm', dispatch: 'Dispatch (nearest units)', locate: 'Locate on the map',
      resolve: 'Mark resolved', close: 'Close (choose a category)', escalate: 'Escalate to the commander', incident: 'Open an incident (with the alarms nearby in the last 30 minutes)', group: 'Group by source and zone / ungroup',
      silence: 'Silence for 5 / 15 / 30 minutes, again to end', help: 'Show / hide this help', escape: 'Close a dialog',
    },
  },
  assigned: 'Assigned: {name}', escalated: 'Escalated', escalatedAt: 'Escalated to the commander {time}', incident: 'In an incident',
  orders: 'Units: {units}',
  orderState: { sent: 'sent', acknowledged: 'acknowledged', 'on-scene': 'on scene', done: 'done', cancelled: 'cancelled' },
  resolveTitle: 'Mark resolved', resolveNote: 'What was done (optional)', resolved: 'Marked resolved',
  escalateTitle: 'Escalate to the commander', escalateNote: 'Note (optional)', escalateDone: 'Escalated to the commander',
  acknowledged: 'Acknowledged',
  dispatch: {
    title: 'Dispatch', loading: 'Finding the nearest units…', none: 'No unit available nearby', unavailable: 'Dispatch is not available: {why}',
    callSign: 'Call sign', kind: 'Kind', distance: 'Distance', eta: 'ETA', via: 'Path',
    viaRoute: 'by road', viaStraight: 'straight line', guidance: 'Guidance (optional, pushed to the unit’s terminal with the alarm)',
    guidancePlaceholder: 'e.g. enter by the east passage of T2, keep passengers clear', send: 'Dispatch', sent: 'Dispatched: {units}', enter: 'Enter to dispatch',
    chooseOne: 'Choose at least one unit', metres: '{n} m', kilometres: '{n} km',
  },
  unitKind: { patrol: 'Patrol', post: 'Post', station: 'Station', 'quick-response': 'Quick-response point' },
  force: { swat: 'SWAT', traffic: 'Traffic patrol', station: 'Station police', 'armed-police': 'Armed police', 'tenant-security': 'Tenant security', volunteer: 'Volunteers' },
  close: {
    reasonRequired: 'A false alarm, a duplicate or “other” needs a reason', reasonPlaceholder: 'Say why (required)',
    duplicateOf: 'Duplicate of (the original alarm)', duplicatePlaceholder: 'Choose the original alarm', duplicateNone: 'Without the original alarm, say why',
  },
  group: {
    on: 'Grouped', off: 'Ungrouped', count: '{n}', worst: 'worst', noZone: 'No zone', collapse: 'Collapse', expand: 'Expand',
  },
  source: { manual: 'Manual', perception: 'Perception', video: 'Video', drone: 'Drone', drill: 'Drill', system: 'System' },
  silence: {
    menu: 'Silence', for: 'Silence {m} min', remaining: 'Silenced {time}', end: 'Sound on', ended: 'Sound is back on',
    urgent: '{n} critical during silence',
  },
  escalation: {
    title: 'Escalated to the commander', overdue: '{stage} overdue', manual: 'Escalated by an operator', show: 'Show', dismiss: 'Dismiss', by: 'By: {name}', more: '{n} more',
  },
};

export default en;
