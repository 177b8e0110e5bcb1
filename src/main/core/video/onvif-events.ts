// ONVIF event messages (as the `onvif` client hands them over from PullMessages) read into what the console
// raises: motion (tns1:RuleEngine/CellMotionDetector/Motion IsMotion, tns1:VideoSource/MotionAlarm State) and
// tamper (tns1:VideoSource/GlobalSceneChange/*, tns1:RuleEngine/TamperDetector/Tamper IsTamper or State).
// These are properties: a message says the state is now true or false. Only a false → true change is an event;
// Initialized messages (sent when a subscription starts) give the state without raising anything.

export type OnvifEventKind = 'motion' | 'tamper';

export interface OnvifPropertyChange {
  kind: OnvifEventKind;
  /** The topic without namespace prefixes, e.g. RuleEngine/CellMotionDetector/Motion. */
  topic: string;
  /** The topic and its source items: one property of one rule or video source. */
  key: string;
  active: boolean;
  at: Date;
  initialized: boolean;
}

const RULES: Array<{ kind: OnvifEventKind; topic: RegExp; items: string[] }> = [
  { kind: 'motion', topic: /^RuleEngine\/CellMotionDetector\/Motion$/, items: ['IsMotion'] },
  { kind: 'motion', topic: /^VideoSource\/MotionAlarm$/, items: ['State'] },
  { kind: 'tamper', topic: /^VideoSource\/GlobalSceneChange(\/.*)?$/, items: ['State'] },
  { kind: 'tamper', topic: /^RuleEngine\/TamperDetector\/Tamper$/, items: ['IsTamper', 'State'] },
];

/** The motion and tamper changes among PullMessages' notification messages; others are skipped. */
export function readNotifications(notificationMessage: unknown, now: Date): OnvifPropertyChange[] {
  const list = notificationMessage === undefined || notificationMessage === null ? [] : Array.isArray(notificationMessage) ? notificationMessage : [notificationMessage];
  const out: OnvifPropertyChange[] = [];
  for (const m of list as Array<Record<string, any>>) {
    const rawTopic = typeof m?.topic === 'string' ? m.topic : m?.topic?._;
    if (typeof rawTopic !== 'string') continue;
    const topic = rawTopic.trim().split('/').map((s) => s.replace(/^[^:]*:/, '')).join('/');
    const rule = RULES.find((r) => r.topic.test(topic));
    if (!rule) continue;
    const msg = m?.message?.message;
    const data = items(msg?.data?.simpleItem);
    const value = rule.items.map((n) => data.get(n)).find((v) => v !== undefined);
    if (value === undefined) continue;
    const utc = msg?.$?.UtcTime;
    const at = utc instanceof Date ? utc : new Date(String(utc));
    const source = [...items(msg?.source?.simpleItem)].map(([k, v]) => `${k}=${v}`).sort().join(',');
    out.push({
      kind: rule.kind, topic, key: `${topic}|${source}`,
      active: value === true || String(value).toLowerCase() === 'true',
      at: Number.isFinite(at.getTime()) ? at : now,
      initialized: msg?.$?.PropertyOperation === 'Initialized',
    });
  }
  return out;
}

function items(simpleItem: unknown): Map<string, unknown> {
  const list = simpleItem === undefined ? [] : Array.isArray(simpleItem) ? simpleItem : [simpleItem];
  const out = new Map<string, unknown>();
  for (const item of list as Array<Record<string, any>>) {
    const name = item?.$?.Name;
    if (typeof name === 'string') out.set(name, item.$.Value);
  }
  return out;
}

/** Keeps each property's last state and lets through only its false → true changes. */
export class PropertyEdges {
  private readonly state = new Map<string, boolean>();

  /** Forget everything (a new subscription starts with Initialized messages). */
  reset(): void {
    this.state.clear();
  }

  rising(changes: OnvifPropertyChange[]): OnvifPropertyChange[] {
    const out: OnvifPropertyChange[] = [];
    for (const c of changes) {
      const before = this.state.get(c.key) ?? false;
      this.state.set(c.key, c.active);
      if (c.active && !before && !c.initialized) out.push(c);
    }
    return out;
  }
}
