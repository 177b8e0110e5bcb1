import type zh from './terminal.zh-CN.ts';

const en: typeof zh = {
  title: 'Unit terminal',
  subtitle: 'Orders pushed in one tap · mobile terminal',
  signIn: {
    title: 'Unit sign-in',
    hint: "Sign in with your unit's terminal account (e.g. unit-t2p1). Change the first password at the first sign-in.",
  },
  connection: { online: 'Online', offline: 'Offline', since: 'since {time}', pending: '{n} waiting to send' },
  status: {
    label: 'Status',
    available: 'Available',
    dispatched: 'Dispatched',
    'on-scene': 'On scene',
    'off-duty': 'Off duty',
    onDuty: 'On duty',
    lockedByOrder: 'Working an order: available again when it is done',
  },
  orders: { title: 'Current orders', none: 'No orders', noneHint: 'Stay online: a new order rings and vibrates.' },
  order: {
    state: { sent: 'To accept', acknowledged: 'Accepted', 'on-scene': 'On scene', done: 'Done', cancelled: 'Cancelled' },
    severity: 'Level {level}',
    guidance: 'Guidance',
    noGuidance: 'No further guidance',
    where: 'Where',
    noPosition: 'No position',
    distance: '{d} from you',
    bearing: 'bearing {dir} ({deg}°)',
    fromUnit: "(from the unit's last position)",
    sentAgo: 'Sent {ago} ago',
    sentBy: 'by {who}',
    eta: 'about {min} min away',
  },
  actions: { acknowledge: 'Accept', arrive: 'Arrived', done: 'Done', pending: 'Waiting to send' },
  ago: { s: '{n} s', m: '{n} min', h: '{n} h' },
  compass: { n: 'N', ne: 'NE', e: 'E', se: 'SE', s: 'S', sw: 'SW', w: 'W', nw: 'NW' },
  position: {
    share: 'Use my position',
    sharing: 'Sent every 10 s',
    last: 'Last fix {time}, ±{m} m',
    waiting: 'Getting a fix…',
    denied: 'Location not allowed: allow it in the browser settings',
    unavailable: 'No position just now',
    unsupported: 'This device has no location',
    insecure: 'Browsers give the location to secure (HTTPS) pages only',
  },
  refused: 'Report not accepted ({kind}): {why}',
  reportKind: { acknowledge: 'accept', arrive: 'arrived', done: 'done', status: 'status', position: 'position' },
  signOut: 'Sign out',
};

export default en;
