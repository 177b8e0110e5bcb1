// The health of every camera, as faults make it: a camera offline or frozen by itself, or offline because its
// switch (group) died. `change` fires with (id, status) whenever a camera's effective status changes, so that
// live streams end when a camera drops and a frozen camera's picture is kept.
import { EventEmitter } from 'node:events';
import { seededRandom } from '../drone-detection/scenario.ts';
import type { SimCamera } from './layout.ts';

export type CameraStatus = 'online' | 'offline' | 'frozen';

export interface FrozenPicture {
  /** When it froze (ms since the epoch). */
  at: number;
  /** The snapshot and live frame at that moment, filled in when first asked for. */
  snapshot?: Buffer;
  liveFrame?: Buffer;
}

export class CameraHealth extends EventEmitter {
  private readonly own = new Map<string, 'offline' | 'frozen'>();
  private readonly deadGroups = new Set<string>();
  private readonly frozen = new Map<string, FrozenPicture>();
  /** When a camera last went offline: its last frame. */
  private readonly offlineSince = new Map<string, number>();
  private readonly byId: Map<string, SimCamera>;
  readonly groups: Map<string, SimCamera[]>;

  constructor(cameras: SimCamera[], readonly startedAt = Date.now()) {
    super();
    this.byId = new Map(cameras.map((c) => [c.id, c]));
    this.groups = new Map();
    for (const c of cameras) if (c.group) this.groups.set(c.group, [...(this.groups.get(c.group) ?? []), c]);
  }

  status(id: string): CameraStatus {
    const c = this.byId.get(id);
    if (!c) return 'offline';
    if (this.own.get(id) === 'offline' || (c.group && this.deadGroups.has(c.group))) return 'offline';
    return this.own.get(id) === 'frozen' ? 'frozen' : 'online';
  }

  isOnline = (id: string): boolean => this.status(id) === 'online';

  /** When the VMS last got a frame: now, unless offline (a frozen encoder still sends frames). */
  lastFrameAt(id: string, now: number): number {
    return this.status(id) === 'offline' ? (this.offlineSince.get(id) ?? this.startedAt) : now;
  }

  frozenPicture(id: string): FrozenPicture | undefined {
    return this.status(id) === 'frozen' ? this.frozen.get(id) : undefined;
  }

  setCamera(id: string, state: CameraStatus): void {
    this.changing([id], () => {
      if (state === 'online') this.own.delete(id);
      else this.own.set(id, state);
      if (state === 'frozen') {
        if (!this.frozen.has(id)) this.frozen.set(id, { at: Date.now() });
      } else this.frozen.delete(id);
    });
  }

  setGroup(group: string, state: 'online' | 'offline'): void {
    const members = (this.groups.get(group) ?? []).map((c) => c.id);
    this.changing(members, () => (state === 'offline' ? this.deadGroups.add(group) : this.deadGroups.delete(group)));
  }

  /** Every camera that is not online, and every dead switch. */
  faults(): { cameras: Array<{ id: string; state: CameraStatus }>; offlineGroups: string[] } {
    const ids = new Set([...this.own.keys(), ...[...this.deadGroups].flatMap((g) => (this.groups.get(g) ?? []).map((c) => c.id))]);
    return {
      cameras: [...ids].map((id) => ({ id, state: this.status(id) })).filter((c) => c.state !== 'online'),
      offlineGroups: [...this.deadGroups],
    };
  }

  private changing(ids: string[], apply: () => void): void {
    const before = ids.map((id) => this.status(id));
    apply();
    const now = Date.now();
    ids.forEach((id, i) => {
      const after = this.status(id);
      if (after === before[i]) return;
      if (after === 'offline') this.offlineSince.set(id, now);
      this.emit('change', id, after);
    });
  }
}

/**
 * The demo's faults (--faults demo), seeded: now and then one camera goes offline for a minute; rarely one
 * freezes for two to three minutes. Never more than one of each at a time.
 */
export function startDemoFaults(cameras: SimCamera[], health: CameraHealth, seed: number): () => void {
  const rnd = seededRandom(seed ^ 0xfa17);
  const timers = new Set<NodeJS.Timeout>();
  const later = (ms: number, fn: () => void) => {
    const t = setTimeout(() => {
      timers.delete(t);
      fn();
    }, ms);
    t.unref();
    timers.add(t);
  };
  const victim = () => {
    for (let k = 0; k < 10; k++) {
      const c = cameras[Math.floor(rnd() * cameras.length)];
      if (c && health.isOnline(c.id)) return c;
    }
    return undefined;
  };
  const offline = () => {
    const c = victim();
    if (c) {
      health.setCamera(c.id, 'offline');
      later(60_000, () => health.status(c.id) === 'offline' && health.setCamera(c.id, 'online'));
    }
    later(120_000 + rnd() * 240_000, offline);
  };
  const freeze = () => {
    const c = victim();
    if (c) {
      health.setCamera(c.id, 'frozen');
      later(120_000 + rnd() * 60_000, () => health.status(c.id) === 'frozen' && health.setCamera(c.id, 'online'));
    }
    later(900_000 + rnd() * 900_000, freeze);
  };
  later(30_000 + rnd() * 90_000, offline);
  later(300_000 + rnd() * 300_000, freeze);
  return () => timers.forEach((t) => clearTimeout(t));
}
