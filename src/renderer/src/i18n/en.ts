// English, on request. Keys mirror zh-CN.ts.
import type zh from './zh-CN.ts';

const en: typeof zh = {
  app: { title: 'Airport Security Operations Console', short: 'Skyfence' },
  mode: { live: 'LIVE', drill: 'DRILL' },
  login: {
    title: 'Sign in to the console', username: 'Username', password: 'Password', submit: 'Sign in', failed: 'Wrong username or password',
    disabled: 'This account is disabled; ask an administrator', sessionEnded: 'The session has ended; sign in again',
    ended: { 'signed-out': 'You have signed out', 'password-changed': 'Your password was changed in another window; sign in with the new one', 'account-changed': 'An administrator changed your account (disabled it, reset its password or changed its role); sign in again' },
    firstRun: 'On first run the console creates the account admin; its initial password is in initial-password.txt in the data folder, deleted once the administrator changes it.',
  },
  roles: { operator: 'Duty operator', coordinator: 'Drill coordinator', commander: 'Commander', admin: 'Administrator' },
  top: { logout: 'Sign out', about: 'About', language: '中文', home: 'Home view', password: 'Password', users: 'Users', soundOn: 'Sound: on', soundOff: 'Sound: off' },
  users: {
    title: 'Users', displayName: 'Name', role: 'Role', createdAt: 'Created', add: 'Add user', initialPassword: 'Initial password (10 characters or more)', created: 'Created user {username}', taken: 'That username is taken',
    status: 'Status', actions: 'Actions', self: '(you)', active: 'Active', disabled: 'Disabled', locked: 'Sign-in slowed: {s} s', failures: '{n} failed sign-ins', mustChange: 'Password change due',
    disable: 'Disable', enable: 'Enable', resetPassword: 'Reset password', unlock: 'Lift sign-in limit', confirm: 'OK', cancel: 'Cancel',
    confirmDisable: 'Disable the account of {name}? Their open windows sign out at once.', resetPrompt: 'A temporary password for {name} (10 characters or more). Their open windows sign out at once; they must change it at the next sign-in.',
    disabledDone: '{name} disabled', enabledDone: '{name} enabled', resetDone: 'Password of {name} reset', roleDone: '{name} is now {role}', unlockDone: 'Sign-in limit lifted for {name}',
    lastAdmin: 'At least one enabled administrator must remain', ownAccount: 'You cannot do that to your own account', noSuchUser: 'No such user',
    badUsername: 'Usernames: 2–32 lower-case letters, digits, . _ -, starting with a letter', badDisplayName: 'Enter a name (40 characters at most)',
  },
  password: {
    title: 'Change password', current: 'Current password', new: 'New password (10 characters or more)', repeat: 'New password again', submit: 'Save', changed: 'Password changed', tooShort: 'The new password needs 10 characters or more, not counting spaces at either end', mismatch: 'The new passwords differ', wrongCurrent: 'The current password is wrong',
    same: 'The new password must differ from the current one', mustChange: 'Change your password first', forcedTitle: 'First sign-in: change your password', forcedHint: 'Someone else set the password of this account (first run or an administrator\'s reset). Choose one only you know to go on to the console.', signOut: 'Sign out',
  },
  status: { clock: 'Time', sources: 'Sources', mode: 'Mode', connected: 'Connected', disconnected: 'Disconnected', ok: 'OK', degraded: 'Degraded', down: 'Down', idle: 'Idle' },
  layers: {
    title: 'Layers',
    runways: 'Runways and markings', movement: 'Aprons and taxiways', buildings: 'Terminals and buildings', fence: 'Perimeter fence', roads: 'Roads',
    checkpoints: 'Checkpoints', posts: 'Police posts', ols: 'Obstacle limitation surfaces', uavArea: 'UAV inspection area', protection: 'Protection area (55 km)',
    approachAll: 'Approach (all sections)', circles: 'Perception circles', grid: 'Patrol grid (200 m)', alarms: 'Alarms', tracks: 'Tracks',
  },
  alarms: {
    title: 'Alarm queue', empty: 'No open alarms', acknowledge: 'Acknowledge', close: 'Close', showClosed: 'Show closed',
    severity: { 1: 'Info', 2: 'Minor', 3: 'Major', 4: 'Critical' },
    state: { new: 'New', acknowledged: 'Acknowledged', closed: 'Closed' },
    type: { manual: 'Manual alarm', 'touch-circle': 'Touch-circle alarm', 'camera-offline': 'Camera offline', 'drone-intrusion': 'Drone intrusion', 'source-silent': 'Source silent' },
    touchCircle: 'Track {track} entered the {circle}',
    sourceSilent: '{source} gives no usable data: {detail}',
    drill: 'Drill', closeTitle: 'Close alarm', resolution: 'Resolution', resolutionDefault: 'Handled', confirm: 'OK', cancel: 'Cancel',
    grid: 'Grid', locate: 'Locate', raisedAt: 'Raised', stateLabel: 'State',
  },
  details: {
    title: 'Details', name: 'Name', point: 'Map point', lonlat: 'Lon / lat', olsHeight: 'Lowest OLS height', lowest: 'Lowest surface', clearance: 'Clearance',
    penetration: 'Penetration', none: 'None', zones: 'Zones', circle: 'Perception circle', grid: 'Grid cell', unit: 'Responsible unit', height: 'Height', floors: 'Floors',
    raiseHere: 'Raise a manual alarm here', classification: 'Classification', altitude: 'Altitude', speed: 'Speed', trackGone: 'The target has left coverage', kind: 'Kind', slope: 'Slope', runway: 'Runway', illustrative: 'Illustrative position', msl: 'm MSL',
  },
  kinds: { terminal: 'Terminal', building: 'Building', apron: 'Apron', taxiway: 'Taxiway', fence: 'Fence', road: 'Road', checkpoint: 'Checkpoint', 'police-post': 'Police post', 'police-station': 'Police station', runway: 'Runway', track: 'Track', circle: 'Perception circle', surface: 'Surface' },
  surfaces: {
    'inner-horizontal': 'Inner horizontal', conical: 'Conical', approach: 'Approach (1st section)', 'approach-section-2': 'Approach (2nd section)',
    'approach-horizontal': 'Approach (horizontal)', transitional: 'Transitional', 'take-off-climb': 'Take-off climb',
    'uav-inspection-area': 'UAV clearance inspection area', 'protection-radius': 'Clearance protection area',
  },
  classification: { drone: 'Drone', bird: 'Bird', unknown: 'Unknown' },
  rings: { remote: 'Remote data-link circle', outer: 'Outer perception circle', inner: 'Inner identification circle', core: 'Core verification zone' },
  manual: { title: 'Manual alarm', severity: 'Severity', note: 'Note', submit: 'Raise alarm', position: 'Position' },
  about: {
    title: 'About',
    body: 'Airport security operations console: 3D picture, video and drone detection, layered perception circles, 1-3-5 minute rapid response, emergency plans and drills.',
    site: 'Sample airport', data: 'About the data',
  },
  errors: { unauthenticated: 'Please sign in', forbidden: 'Your role may not do this', 'bad-request': 'Invalid request', conflict: 'The state has changed; refresh', 'rate-limited': 'Too many failed sign-ins; try again shortly', 'not-found': 'Not found', internal: 'Internal error', network: 'Connection to the console core lost',
    unavailable: 'Not available at the moment; try again shortly', retryIn: 'Too many attempts; try again in {s} s', busy: 'The console is busy; try again in {s} s' },
};
export default en;
