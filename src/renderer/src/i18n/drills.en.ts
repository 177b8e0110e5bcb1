// The drill words (English): the drill panel, the DRILL watermark, the after-action report.
import type zh from './drills.zh-CN.ts';

const en: typeof zh = {
  menu: 'Drills',
  title: 'Emergency drills',
  watermark: 'DRILL',
  watermarkEn: '演练',
  banner: 'DRILL IN PROGRESS',
  bannerPaused: 'DRILL PAUSED',
  tabs: { plans: 'Plans', current: 'Current drill', past: 'Past drills' },
  kind: { 'full-scale': 'Full-scale', 'single-unit': 'Single-unit', tabletop: 'Tabletop' },
  type: { drill: 'Drill plan', closure: 'Closure plan' },
  status: { running: 'Running', paused: 'Paused', ended: 'Ended', aborted: 'Aborted' },
  stepStatus: { pending: 'Pending', waiting: 'Waiting', fired: 'Fired', done: 'Done in time', late: 'Late', missed: 'Missed', skipped: 'Skipped' },
  action: {
    acknowledged: 'Acknowledge', dispatched: 'Dispatch', 'on-scene': 'On scene', resolved: 'Resolved', closed: 'Close alarm',
    'incident-opened': 'Open incident', 'atc-notified': 'Notify ATC', 'unit-arrived': 'Unit in place', confirmed: 'Coordinator confirms',
  },
  inject: {
    'drone-scenario': 'Drone scenario: {scenario}', 'camera-event': 'Video event {event} · {camera}', 'camera-outage': 'Camera {camera} offline {s} s',
    'unit-report': '{unit} reports: {report}', 'zone-crossing': 'Target enters {zone}', alarm: 'Manual alarm (level {severity}): {note}',
  },
  scenario: { 'approach-loiter': 'loiter on the approach', 'centreline-crossing': 'crossing the runway centreline', 'survey-permit': 'permitted survey flight', swarm: 'swarm', 'radar-only': 'radar-only target', 'bird-flock': 'bird flock', 'random-traffic': 'random traffic' },
  unitReport: { accepted: 'accepted', arrived: 'arrived', done: 'done', position: 'position' },
  plans: {
    empty: 'No plans yet', broken: 'The plans cannot be read: {why}', version: 'v{v}', steps: '{n} steps', injects: '{n} injects',
    problems: '{n} problems: cannot be started', detail: 'Details', start: 'Start drill', readOnly: 'Only a drill coordinator starts and steers drills; read-only here.',
    exportCsv: 'Export MSEL (CSV)', exportXlsx: 'Export MSEL (XLSX)', importMsel: 'Import MSEL', mselFile: 'MSEL',
  },
  detail: {
    back: 'Back to plans', eventType: 'Event type', place: 'Place', date: 'Date', units: 'Participating units', procedures: 'Procedures', siteSetup: 'Site setup',
    simulated: 'Simulated conditions', assembly: 'Assembly points', routes: 'Routes', announceEnd: 'End announcement', announceAbort: 'Abort announcement', seed: 'Seed',
    closure: 'Closure circle', closureTimes: 'respond {respond} · close {close}', checkpoints: 'Checkpoints', outside: 'Plan team',
    time: 'Time', unit: 'Unit', stepAction: 'Action', inject: 'Inject', expect: 'Expected', when: 'When {of} is {action}', ifNot: 'If {of} not {action}', within: '{action} ({of}) within {t}',
  },
  start: {
    title: 'Start a drill', plan: 'Plan', speed: 'Speed', seed: 'Seed', seedHint: 'The same plan and seed give the same injects at the same times',
    submit: 'Start', cancel: 'Cancel', started: 'Drill started', warning: 'Injects enter the live picture marked DRILL; live alarms stay shown as usual.',
  },
  control: {
    pause: 'Pause', resume: 'Resume', skip: 'Skip to next step', end: 'End drill', abort: 'Abort drill', speed: 'Speed',
    endConfirm: 'End the drill? Expected actions not yet seen count as missed.', abortTitle: 'Abort drill', abortPrompt: 'Why is the drill aborted (goes on the record)? Every drill alarm, track and outage leaves the live picture.',
    abortReason: 'Reason', abortRequired: 'Give the reason for the abort', confirm: 'OK', cancel: 'Cancel',
    ended: 'Drill ended', aborted: 'Drill aborted', coordinator: 'Coordinator {name}',
  },
  steps: { title: 'Steps', due: 'due in {t}', overdue: 'overdue {t}', confirm: 'Confirm', confirmed: 'Confirmed', target: 'target {t}', fired: 'fired {t}', done: 'done {t}' },
  observe: { title: 'Observations', placeholder: 'Type an observation, Enter adds it', add: 'Add', empty: 'No observations yet', added: 'Observation added' },
  past: { empty: 'No finished drills yet', report: 'After-action report', replay: 'Play back', duration: 'lasted {t}' },
  report: {
    title: 'After-action report', facts: 'Facts', plan: 'Plan', kind: 'Kind', eventType: 'Event type', place: 'Place', started: 'Started', ended: 'Ended',
    duration: 'Duration', coordinator: 'Coordinator', speed: 'Speed', seed: 'Seed', status: 'Outcome', abortReason: 'Abort reason', units: 'Units',
    summary: '{met} met · {late} late · {missed} missed',
    timeline: 'Plan against actual', legendPlanned: 'Planned', legendFired: 'Fired', legendDone: 'Done', legendLate: 'Late', legendMissed: 'Missed',
    measures: 'Response times (1-3-5 targets)', step: 'Step', unit: 'Unit', action: 'Action', actual: 'Actual', target: 'Target', verdict: 'Verdict',
    verdicts: { met: 'Met', late: 'Late', missed: 'Missed' }, none: '—',
    alarms: 'Drill alarms', alarm: 'Alarm', raised: 'Raised at', ack: 'Ack', dispatch: 'Dispatch', onScene: 'On scene', closedAs: 'Closed as',
    missed: 'Missed steps', noMissed: 'No missed steps', observations: 'Observations', noObservations: 'No observations',
    exportPdf: 'Export PDF', exportHtml: 'Export HTML', exportCap: 'Export CAP', replay: 'Play back', close: 'Close', loading: 'Building the report…',
    file: 'after-action-report', capFile: 'CAP', tz: ' (Beijing time)',
  },
  msel: {
    title: 'Import steps from an MSEL sheet', file: 'Choose an MSEL file (CSV or XLSX)', tooLarge: 'The file is too large (512 KB at most)', badType: 'Choose a .csv or .xlsx file',
    yaml: 'The plan it gives (YAML)', problems: '{n} problems', ok: 'The plan validates', check: 'Check again', import: 'Import plan', imported: 'Plan {title} imported',
    cancel: 'Cancel', noProblems: 'No problems',
  },
  errors: { 'drill-running': 'A drill is already running', 'plan-invalid': 'The plan does not validate and cannot be started', 'drill-over': 'The drill is over' },
};

export default en;
