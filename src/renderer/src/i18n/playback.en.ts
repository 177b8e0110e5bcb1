// The playback words (en): keys mirror playback.zh-CN.ts.
import type zh from './playback.zh-CN.ts';

const en: typeof zh = {
  banner: 'PLAYBACK', drill: 'DRILL', notLive: 'Recorded playback, not the live picture',
  title: 'Playback', titleDrill: 'Drill playback', period: '{from} — {to} (Beijing time)',
  exit: 'Leave playback', reopen: 'Reload',
  play: 'Play', pause: 'Pause', speed: 'Speed', previous: 'Previous event', next: 'Next event', toStart: 'To the start',
  scrubber: 'Playback timeline', events: 'Events', noEvents: 'No events recorded in this period', eventsCount: '{n} in all',
  alarms: 'Open alarms at this instant', noAlarms: 'No open alarms at this instant', actions: 'Operator actions',
  tracks: '{n} tracks', units: '{n} units', camerasOffline: '{n} cameras offline',
  loading: 'Loading the playback…', frameLoading: 'Reading the picture at this instant…',
  errors: {
    badAddress: 'Not a playback address: it needs drill=<drill id>, or from and to (ms timestamps, from before to)',
    open: 'Cannot open the playback: {reason}', frame: 'Cannot read the picture at this instant: {reason}',
  },
  system: 'system', took: 'took {t}',
  kind: {
    alarm: { raise: 'Alarm raised', acknowledge: 'Acknowledged', assign: 'Assigned', escalate: 'Escalated', 'escalate-manual': 'Escalated by hand', resolve: 'Resolved', close: 'Closed', incident: 'Incident opened', overdue: 'Alarm overdue' },
    dispatch: { send: 'Dispatched', cancel: 'Dispatch cancelled', arrive: 'Unit on scene', end: 'Dispatch ended' },
    incident: { open: 'Incident opened', step: 'Incident step', note: 'Incident note', close: 'Incident closed', export: 'Incident exported' },
    drill: {
      start: 'Drill started', pause: 'Drill paused', resume: 'Drill resumed', speed: 'Speed changed', skip: 'Skipped to next step', end: 'Drill ended', abort: 'Drill aborted',
      fire: 'Step fired', 'inject-failed': 'Inject failed', 'not-needed': 'Not needed', done: 'Done in time', late: 'Done late', overdue: 'Step overdue', missed: 'Missed',
      observe: 'Observation', confirm: 'Confirmed', export: 'Drill exported',
    },
    duty: { missed: 'Check-in missed' },
  },
  kinds: {
    'alarm-raised': 'Alarm', 'alarm-state': 'State change', 'alarm-closed': 'Alarm closed', action: 'Action', 'drill-step': 'Drill step',
    inject: 'Drill inject', observation: 'Observation', dispatch: 'Dispatch', unit: 'Unit', drill: 'Drill',
  },
  menu: {
    entry: 'Playback',
    title: 'Choose a period to play back', last15: 'Last 15 minutes', last60: 'Last hour', custom: 'Custom period', drill: 'A finished drill',
    from: 'From', to: 'To', noDrills: 'No finished drills yet', drillsFailed: 'The drill list cannot be read',
    openHere: 'Open here', openTab: 'Open in a new tab', cancel: 'Cancel',
    badRange: 'Choose a valid period: its start before its end, and not after now',
    drillStatus: { ended: 'Ended', aborted: 'Aborted', running: 'Running', paused: 'Paused' },
  },
};

export default en;
