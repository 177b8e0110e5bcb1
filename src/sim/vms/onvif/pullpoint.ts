// PullPoint subscriptions of the simulated cameras (ONVIF Core, event service): created with an initial
// termination time, pulled by long poll (an answer as soon as a message is queued, or an empty one at the
// request's timeout), renewed, unsubscribed, and gone once their termination time passes without a renew.
// Motion and tamper are properties, as on real cameras: an event sets IsMotion / State true, and it falls back
// to false once no event came for `holdMs`; each subscription starts with an Initialized message per property.
import { randomUUID } from 'node:crypto';
import { esc } from './xml.ts';

export type EventType = 'motion' | 'tamper';

export interface NotificationMessage {
  topic: string;
  utcTime: Date;
  operation: 'Initialized' | 'Changed';
  source: Array<[string, string]>;
  data: Array<[string, string]>;
}

interface Waiter {
  limit: number;
  answer(messages: NotificationMessage[]): void;
  timer: NodeJS.Timeout;
}

export interface Subscription {
  id: string;
  cameraId: string;
  terminationAt: number;
  queue: NotificationMessage[];
  waiter: Waiter | null;
}

/** Messages kept for a subscription nobody pulls; older ones are dropped. */
const MAX_QUEUED = 200;
/** Subscriptions a camera holds at once, as real cameras limit them. */
export const MAX_SUBSCRIPTIONS_PER_CAMERA = 16;

export const TOPICS: Record<EventType, string> = {
  motion: 'tns1:RuleEngine/CellMotionDetector/Motion',
  tamper: 'tns1:VideoSource/GlobalSceneChange/ImagingService',
};

export class PullPoints {
  private readonly subs = new Map<string, Subscription>();
  /** cameraId → event type → whether it is on, and the timer that turns it off. */
  private readonly states = new Map<string, Map<EventType, { on: boolean; off: NodeJS.Timeout | null }>>();
  private readonly sweeper: NodeJS.Timeout;

  constructor(
    private readonly videoSourceToken: string,
    private readonly holdMs = 1_000,
    private readonly now: () => number = Date.now,
  ) {
    this.sweeper = setInterval(() => this.expire(), 250);
  }

  create(cameraId: string, terminationAt: number): Subscription | null {
    this.expire();
    if ([...this.subs.values()].filter((s) => s.cameraId === cameraId).length >= MAX_SUBSCRIPTIONS_PER_CAMERA) return null;
    const sub: Subscription = { id: randomUUID(), cameraId, terminationAt, queue: [], waiter: null };
    const at = new Date(this.now());
    for (const type of ['motion', 'tamper'] as const) sub.queue.push(this.message(type, this.state(cameraId, type).on, at, 'Initialized'));
    this.subs.set(sub.id, sub);
    return sub;
  }

  /** The live subscription of this camera with this id, or undefined (unknown, ended or expired). */
  get(cameraId: string, id: string): Subscription | undefined {
    const sub = this.subs.get(id);
    if (!sub || sub.cameraId !== cameraId) return undefined;
    if (sub.terminationAt <= this.now()) {
      this.end(sub);
      return undefined;
    }
    return sub;
  }

  /** Answers at once when messages are queued, else when one comes or after `timeoutMs` (empty). */
  pull(sub: Subscription, limit: number, timeoutMs: number, answer: (messages: NotificationMessage[]) => void): void {
    if (sub.waiter) this.wake(sub, true); // a newer pull replaces the one waiting
    if (sub.queue.length) {
      answer(sub.queue.splice(0, limit));
      return;
    }
    sub.waiter = { limit, answer, timer: setTimeout(() => this.wake(sub, true), timeoutMs) };
  }

  /** Gives up a waiting pull without answering (its connection is going away). */
  abandon(sub: Subscription): void {
    if (!sub.waiter) return;
    clearTimeout(sub.waiter.timer);
    sub.waiter = null;
  }

  end(sub: Subscription): void {
    this.wake(sub, true);
    this.subs.delete(sub.id);
  }

  /** A camera's event: the property turns (or stays) on, and off again `holdMs` after the last one. */
  raise(cameraId: string, type: EventType, at: Date): void {
    const state = this.state(cameraId, type);
    if (state.off) clearTimeout(state.off);
    if (!state.on) {
      state.on = true;
      this.publish(cameraId, this.message(type, true, at, 'Changed'));
    }
    state.off = setTimeout(() => {
      state.on = false;
      state.off = null;
      this.publish(cameraId, this.message(type, false, new Date(this.now()), 'Changed'));
    }, this.holdMs);
  }

  close(): void {
    clearInterval(this.sweeper);
    for (const sub of [...this.subs.values()]) this.end(sub);
    for (const byType of this.states.values()) for (const s of byType.values()) if (s.off) clearTimeout(s.off);
  }

  private publish(cameraId: string, message: NotificationMessage): void {
    for (const sub of this.subs.values()) {
      if (sub.cameraId !== cameraId) continue;
      sub.queue.push(message);
      if (sub.queue.length > MAX_QUEUED) sub.queue.shift();
      this.wake(sub, false);
    }
  }

  private wake(sub: Subscription, evenIfEmpty: boolean): void {
    const w = sub.waiter;
    if (!w || (!evenIfEmpty && !sub.queue.length)) return;
    clearTimeout(w.timer);
    sub.waiter = null;
    w.answer(sub.queue.splice(0, w.limit));
  }

  private expire(): void {
    const now = this.now();
    for (const sub of [...this.subs.values()]) if (sub.terminationAt <= now) this.end(sub);
  }

  private state(cameraId: string, type: EventType) {
    let byType = this.states.get(cameraId);
    if (!byType) this.states.set(cameraId, (byType = new Map()));
    let s = byType.get(type);
    if (!s) byType.set(type, (s = { on: false, off: null }));
    return s;
  }

  private message(type: EventType, on: boolean, at: Date, operation: NotificationMessage['operation']): NotificationMessage {
    return type === 'motion'
      ? {
          topic: TOPICS.motion, utcTime: at, operation,
          source: [['VideoSourceConfigurationToken', this.videoSourceToken], ['VideoAnalyticsConfigurationToken', 'analytics_1'], ['Rule', 'MotionRule']],
          data: [['IsMotion', String(on)]],
        }
      : { topic: TOPICS.tamper, utcTime: at, operation, source: [['Source', this.videoSourceToken]], data: [['State', String(on)]] };
  }
}

export function notificationXml(m: NotificationMessage): string {
  const items = (list: Array<[string, string]>) => list.map(([n, v]) => `<tt:SimpleItem Name="${esc(n)}" Value="${esc(v)}"/>`).join('');
  return (
    `<wsnt:NotificationMessage><wsnt:Topic Dialect="http://www.onvif.org/ver10/tev/topicExpression/ConcreteSet">${esc(m.topic)}</wsnt:Topic>` +
    `<wsnt:Message><tt:Message UtcTime="${m.utcTime.toISOString()}" PropertyOperation="${m.operation}">` +
    `<tt:Source>${items(m.source)}</tt:Source><tt:Data>${items(m.data)}</tt:Data></tt:Message></wsnt:Message></wsnt:NotificationMessage>`
  );
}
