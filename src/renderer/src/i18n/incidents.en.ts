import type zh from './incidents.zh-CN.ts';

const en: typeof zh = {
  title: 'Incidents',
  open: 'Open incident', openTitle: 'Open an incident', alarmsChosen: '{n} alarm(s)', type: 'Incident type', name: 'Title',
  namePlaceholder: 'In a few words, e.g. Unattended object, T2 departures', stepsOfType: '{n}-step procedure', submit: 'Open', cancel: 'Cancel',
  opened: 'Incident {number} opened', nameRequired: 'Give it a title', typeRequired: 'Choose the incident type',
  list: 'Incidents', listTitle: 'Open incidents', none: 'No open incidents', pending: '{n} step(s) to do', allDone: 'Procedure complete',
  openedAt: 'Opened by {who} at {time}', details: 'Details', command: 'Command screen', alarmCount: '{n} alarm(s)',
  state: { open: 'Open', closed: 'Closed' }, drill: 'Drill',
  checklist: 'Procedure', progress: '{done}/{total}', done: 'Done', skip: 'Skip',
  stepState: { pending: 'To do', done: 'Done', skipped: 'Skipped' },
  stepBy: '{who} · {time}', skippedWhy: 'Skipped: {reason}', due: 'Target {t}', lateBy: '{t} overdue',
  skipTitle: 'Skip a step', skipPrompt: 'Why skip "{step}"?', reasonPlaceholder: 'Reason (required)', reasonRequired: 'Say why', confirm: 'OK',
  notes: 'Notes', notePlaceholder: 'What is happening on the scene, progress…', addNote: 'Add note', snapshot: 'Attach snapshot', noSnapshot: 'No snapshot',
  noNotes: 'No notes yet', snapshotOf: 'Snapshot of {alarm}', snapshotAlt: 'Snapshot', noteRequired: 'Write the note first',
  timeline: 'Timeline', noTimeline: 'Nothing recorded yet',
  report: 'Export PDF', reportFile: 'Incident report', reportDone: 'Report ready',
  close: 'Close incident', closeTitle: 'Close {number}', summary: 'Closing summary', summaryPlaceholder: 'What was done and the outcome (required)', summaryRequired: 'Write the closing summary',
  pendingWarn: '{n} step(s) are not done; the report will mark them not done.', closedDone: 'Incident {number} closed', closedBy: 'Closed by {who} at {time}',
  readOnly: 'Read-only: only {roles} may act', closeRoles: 'a commander or an administrator', actRoles: 'an operator, a commander or an administrator',
  loadFailed: 'The incident could not be read', retry: 'Retry',
  actions: {
    alarm: { raise: 'alarm raised', acknowledge: 'acknowledged', escalate: 'escalated to the commander', escalated: 'escalated (overdue)', assign: 'assigned', resolve: 'resolved', close: 'alarm closed', incident: 'joined the incident', overdue: 'stage overdue', update: 'alarm updated' },
    incident: { open: 'incident opened', addAlarms: 'alarms added', step: 'procedure step', note: 'note', close: 'incident closed', export: 'report exported' },
    dispatch: { send: 'dispatched', cancel: 'order cancelled', arrive: 'unit on scene (by position)', end: 'order ended' },
    terminal: { acknowledge: 'order acknowledged by the unit', arrive: 'unit reports on scene', done: 'unit reports done', status: 'unit status', position: 'unit position' },
    timeline: { omitted: 'older entries not listed' },
  },
  timelineText: {
    step: '{step}: {state}', stepSkipped: '{step}: skipped ({reason})', omitted: '{n} older entries not listed', alarm: 'alarm {alarm}', unit: '{unit}',
  },
  errors: {
    'already-done': 'Someone has already done this step', 'already-skipped': 'This step has already been skipped', 'already-closed': 'This incident is closed',
    'alarm-in-another-incident': 'An alarm chosen is already in another incident', 'alarm-closed': 'An alarm chosen is closed', 'drill-mix': 'Drill and live alarms cannot be in one incident',
  },
};

export default en;
