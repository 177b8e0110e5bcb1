// The VMS's event list: analytic events and plate reads in a ring buffer, read with a cursor (the sequence
// number as a string), and the seeded generator that fills it at a realistic, low rate on the simulator's clock.
import type { VmsEvent, VmsEventPage } from '../../main/core/video/vms-api.ts';
import type { AnalyticKind } from '../../shared/video.ts';
import { seededRandom } from '../drone-detection/scenario.ts';
import type { SimCamera, Zone } from './layout.ts';

export const EVENT_BUFFER_CAP = 20_000;
export const DEFAULT_PAGE = 200;
export const MAX_PAGE = 500;

export type EventType = VmsEvent['type'];

export class CursorError extends Error {}

export class EventLog {
  private readonly ring: Array<VmsEvent | undefined>;
  /** Sequence number of the newest event; events are numbered from 1. */
  private last = 0;
  /** Ids differ between runs, so that a console that remembers ids never takes a new run's event for an old one. */
  private readonly run = Date.now().toString(36);

  constructor(readonly cap = EVENT_BUFFER_CAP) {
    this.ring = new Array(cap);
  }

  get lastSeq(): number {
    return this.last;
  }

  private get oldest(): number {
    return Math.max(1, this.last - this.cap + 1);
  }

  append(e: Omit<VmsEvent, 'id'>): VmsEvent {
    const seq = ++this.last;
    const event = { id: `${this.run}-${seq}`, ...e };
    this.ring[seq % this.cap] = event;
    return event;
  }

  /** An event still held, by id. */
  find(id: string): VmsEvent | undefined {
    const m = /^([0-9a-z]+)-(\d+)$/.exec(id);
    if (!m || m[1] !== this.run) return undefined;
    const seq = Number(m[2]);
    if (seq < this.oldest || seq > this.last) return undefined;
    return this.ring[seq % this.cap];
  }

  /**
   * Events after the cursor. An empty cursor, one older than the buffer, or one from a previous run of the
   * simulator (beyond the newest event) reads from the oldest event held.
   */
  page(after: string, limit: number): VmsEventPage {
    if (after !== '' && !/^\d{1,15}$/.test(after)) throw new CursorError(`after must be a cursor this VMS gave in "next" (digits), not "${after.slice(0, 40)}"`);
    let from = after === '' ? this.oldest : Number(after) + 1;
    if (from < this.oldest || from > this.last + 1) from = this.oldest;
    const to = Math.min(this.last, from + limit - 1);
    const events: VmsEvent[] = [];
    for (let seq = from; seq <= to; seq++) events.push(this.ring[seq % this.cap]!);
    return { events, next: String(to >= from ? to : from - 1), more: to < this.last };
  }
}

// ---- the generator -----------------------------------------------------------------------------------------

/** Events per camera per hour, by what the camera watches. */
const RATES: Partial<Record<Zone, Partial<Record<AnalyticKind, number>>>> = {
  fence: { motion: 1.2, 'line-crossing': 0.3, intrusion: 0.08 },
  apron: { motion: 1.5, intrusion: 0.1, 'line-crossing': 0.2 },
  hall: { motion: 1, loitering: 0.08, 'unattended-object': 0.05 },
  face: { motion: 1, 'face-watchlist': 0.02 },
  kerb: { motion: 1, loitering: 0.1, 'unattended-object': 0.03 },
  carpark: { motion: 1, loitering: 0.06 },
  yard: { motion: 1, intrusion: 0.05 },
  checkpoint: {},
};
const TAMPER_PER_HOUR = 0.004;
/** Motion events carry no picture, as on most VMSs; everything else does. */
export const hasSnapshot = (type: EventType) => type !== 'motion';

const WATCH_LABELS = ['在逃人员', '重点关注人员', '涉恐关注人员', '失信被执行人', '走失人员'];

const PROVINCES: Array<[string, number, string]> = [
  ['渝', 70, 'ABCDFGH'], ['川', 14, 'ABCDEFHJKLMQRSTUVWXYZ'], ['贵', 4, 'ABCDEFGHJ'], ['湘', 2, 'ABCDEFGHJKLMNU'],
  ['鄂', 2, 'ABCDEFGHJKLMNPQRS'], ['陕', 2, 'ABCDEFGHJKUV'], ['云', 2, 'ACDEFGHJKLMNPQRS'], ['京', 1, 'ABCEFGHJKLMNPQ'],
  ['粤', 1, 'ABCDEFGHJKLMNPQRSTUVWXY'], ['沪', 1, 'ABCDEFGHJKLMN'], ['浙', 1, 'ABCDEFGHJKL'],
];
const PLATE_LETTERS = 'ABCDEFGHJKLMNPQRSTUVWXYZ'; // never I or O
const pick = <T>(rnd: () => number, xs: readonly T[]): T => xs[Math.floor(rnd() * xs.length)];

/** The provinces' characters, for the snapshot captions' glyphs. */
export const PLATE_PROVINCES = PROVINCES.map(([p]) => p).join('');

/** A Chinese plate as a checkpoint reads it: 渝A12345, 川B7K2D9, or a new-energy 渝AD12345. */
export function randomPlate(rnd: () => number): string {
  let r = rnd() * 102;
  let province = PROVINCES[0];
  for (const p of PROVINCES) {
    if ((r -= p[1]) < 0) {
      province = p;
      break;
    }
  }
  const head = `${province[0]}${pick(rnd, province[2].split(''))}`;
  if (rnd() < 0.15) return `${head}${pick(rnd, ['D', 'F'])}${String(Math.floor(rnd() * 100_000)).padStart(5, '0')}`;
  // Five characters, at most two of them letters.
  const chars = Array.from({ length: 5 }, () => String(Math.floor(rnd() * 10)));
  const letters = rnd() < 0.5 ? 0 : rnd() < 0.6 ? 1 : 2;
  for (let k = 0; k < letters; k++) chars[Math.floor(rnd() * 5)] = pick(rnd, PLATE_LETTERS.split(''));
  return head + chars.join('');
}

function poisson(rnd: () => number, lambda: number): number {
  if (lambda <= 0) return 0;
  if (lambda > 30) return Math.max(0, Math.round(lambda + Math.sqrt(lambda) * (rnd() + rnd() + rnd() - 1.5) * 2));
  const l = Math.exp(-lambda);
  let k = 0;
  let p = 1;
  do {
    k++;
    p *= rnd();
  } while (p > l);
  return k - 1;
}

export interface EventSink {
  /** Adds an event to the log; it also goes to the ONVIF event emitter when the camera is an ONVIF one. */
  emit(e: Omit<VmsEvent, 'id'>): VmsEvent;
}

/** Generates events on a timer: per type a Poisson count per tick, on cameras that are online. */
export class EventGenerator {
  private readonly rnd: () => number;
  private timer?: NodeJS.Timeout;
  private readonly nextPlateAt = new Map<string, number>();
  private readonly byRate: Array<{ type: AnalyticKind; perHour: number; cameras: SimCamera[] }> = [];
  private lastTick = Date.now();

  constructor(
    private readonly cameras: SimCamera[],
    private readonly sink: EventSink,
    private readonly isOnline: (id: string) => boolean,
    seed: number,
    private readonly now: () => number = Date.now,
  ) {
    this.rnd = seededRandom(seed ^ 0xe7e7);
    const groups = new Map<string, SimCamera[]>();
    for (const c of cameras) {
      for (const [type, perHour] of Object.entries({ ...RATES[c.zone], tamper: TAMPER_PER_HOUR })) {
        const key = `${type}:${perHour}`;
        if (!groups.has(key)) {
          groups.set(key, []);
          this.byRate.push({ type: type as AnalyticKind, perHour: perHour as number, cameras: groups.get(key)! });
        }
        groups.get(key)!.push(c);
      }
    }
    const t = this.now();
    for (const c of cameras) if (c.kind === 'checkpoint') this.nextPlateAt.set(c.id, t + this.rnd() * 40_000);
  }

  start(intervalMs = 1000): void {
    this.lastTick = this.now();
    this.timer = setInterval(() => this.tick(), intervalMs);
    this.timer.unref();
  }

  stop(): void {
    clearInterval(this.timer);
  }

  tick(): void {
    const t = this.now();
    const dtH = Math.min(60_000, Math.max(0, t - this.lastTick)) / 3_600_000;
    this.lastTick = t;
    for (const r of this.byRate) {
      const n = poisson(this.rnd, r.perHour * r.cameras.length * dtH);
      for (let i = 0; i < n; i++) {
        const camera = this.onlineCamera(r.cameras);
        if (camera) this.analytic(camera, r.type, t);
      }
    }
    for (const [id, due] of this.nextPlateAt) {
      if (due > t) continue;
      this.nextPlateAt.set(id, t + 10_000 + this.rnd() * 30_000);
      const camera = this.cameras.find((c) => c.id === id);
      if (camera && this.isOnline(id)) this.plate(camera, randomPlate(this.rnd), t);
    }
  }

  /** `count` events at once (a scripted burst), on online cameras; of `type` when given. */
  burst(count: number, type?: EventType): number {
    const t = this.now();
    const checkpoints = this.cameras.filter((c) => c.kind === 'checkpoint');
    let made = 0;
    for (let i = 0; i < count; i++) {
      const kind = type ?? pick(this.rnd, ['motion', 'intrusion', 'line-crossing', 'loitering', 'unattended-object', 'plate'] as const);
      const camera = this.onlineCamera(kind === 'plate' ? checkpoints : this.cameras);
      if (!camera) continue;
      if (kind === 'plate') this.plate(camera, randomPlate(this.rnd), t);
      else this.analytic(camera, kind, t);
      made++;
    }
    return made;
  }

  analytic(camera: SimCamera, type: AnalyticKind, at: number, label?: string): VmsEvent {
    const watchLabel = type === 'face-watchlist' ? (label ?? `${pick(this.rnd, WATCH_LABELS)} #${String(Math.floor(this.rnd() * 10_000)).padStart(4, '0')}`) : label;
    return this.sink.emit({ camera: camera.id, at: new Date(at).toISOString(), type, ...(watchLabel ? { label: watchLabel } : {}), hasSnapshot: hasSnapshot(type) });
  }

  plate(camera: SimCamera, text: string, at: number, read?: { direction: 'in' | 'out'; lane: number }): VmsEvent {
    const plate = { text, direction: read?.direction ?? camera.lane?.direction ?? 'in', lane: read?.lane ?? camera.lane?.lane ?? 1 };
    return this.sink.emit({ camera: camera.id, at: new Date(at).toISOString(), type: 'plate', plate, hasSnapshot: true });
  }

  private onlineCamera(from: SimCamera[]): SimCamera | undefined {
    for (let k = 0; k < 8 && from.length; k++) {
      const c = pick(this.rnd, from);
      if (this.isOnline(c.id)) return c;
    }
    return undefined;
  }
}
