// Frozen-feed detection (画面冻结) for one video source: an encoder that hangs keeps sending the same frame, so
// the VMS calls it online. The check fetches its cameras' snapshots round-robin within a budget (a few per
// second per source, a few at once: a VMS serving pictures to the wall must not be loaded down by us) and
// compares a hash of the bytes: `unchangedChecks` identical snapshots in a row is frozen, a changed one is
// moving again. Cameras that just came online are checked first. A suspect — a camera just online, or one whose
// picture was unchanged since the last look — is looked at again `followUpMs` later instead of a round later, so
// that a freeze is confirmed in seconds once it is seen. Memory is one hash per camera. At 5 checks a second,
// 5,000 cameras take about 1,000 s per round: fine for a fault that lasts.
import { createHash } from 'node:crypto';
import type { Clock, Timer } from '../clock.ts';

export interface FrozenCheckOptions {
  /** Snapshots per second, at most (default 5). */
  checksPerS: number;
  /** Identical snapshots in a row that make a camera frozen (default 3). */
  unchangedChecks: number;
  /** Snapshots in flight at once, at most. */
  concurrency: number;
  timeoutMs: number;
  /** How soon a suspect is looked at again (more than the VMS's snapshot refresh; default 2 s). */
  followUpMs?: number;
}

export const DEFAULT_FROZEN_CHECK: FrozenCheckOptions = { checksPerS: 5, unchangedChecks: 3, concurrency: 3, timeoutMs: 5_000, followUpMs: 2_000 };

export interface FrozenCheckPorts {
  /** The cameras (the source's ids) to check now: online or frozen ones; offline ones are not checked. */
  candidates(): string[];
  isCandidate(cameraId: string): boolean;
  snapshot(cameraId: string, opts: { timeoutMs: number }): Promise<Buffer>;
  /** A camera's finding changed (frozen, or moving again). */
  found(cameraId: string, frozen: boolean): void;
  log(line: string): void;
}

interface Seen {
  hash: string;
  /** Identical snapshots in a row, this one included. */
  same: number;
  frozen: boolean;
}

export class FrozenCheck {
  private readonly seen = new Map<string, Seen>();
  private readonly soon: string[] = [];
  private readonly soonSet = new Set<string>();
  /** Suspects to look at again, in the order they became due. */
  private followUps: Array<{ cameraId: string; at: number }> = [];
  private readonly followUpSet = new Set<string>();
  /** Taken from the just-online list and not yet looked at. */
  private readonly justOnline = new Set<string>();
  private order: string[] = [];
  private next = 0;
  private inFlight = 0;
  private readonly running = new Set<Promise<void>>();
  private timer: Timer | null = null;
  private stopped = false;
  /** Failures logged once per camera until it answers again: a dead VMS must not flood the log. */
  private readonly failing = new Set<string>();

  constructor(
    private readonly clock: Clock,
    private readonly opts: FrozenCheckOptions,
    private readonly ports: FrozenCheckPorts,
  ) {}

  start(): void {
    if (this.timer || this.stopped) return;
    const period = Math.max(20, Math.round(1000 / this.opts.checksPerS));
    const tick = () => {
      if (this.stopped) return;
      this.timer = this.clock.setTimeout(tick, period);
      this.checkNext();
    };
    this.timer = this.clock.setTimeout(tick, period);
  }

  async stop(): Promise<void> {
    this.stopped = true;
    this.timer?.cancel();
    this.timer = null;
    await Promise.all([...this.running]);
  }

  /** Resolves once no snapshot is being checked (tests on a manual clock wait for this). */
  async idle(): Promise<void> {
    while (this.running.size) await Promise.all([...this.running]);
  }

  /** A camera came online (or is new): checked before the round-robin goes on. */
  checkSoon(cameraId: string): void {
    if (this.soonSet.has(cameraId)) return;
    this.soonSet.add(cameraId);
    this.soon.push(cameraId);
  }

  /** A camera went offline or left the inventory: its picture says nothing now. */
  forget(cameraId: string): void {
    this.seen.delete(cameraId);
    this.failing.delete(cameraId);
  }

  /** Starts a camera as frozen (an open alarm from before a restart said so): a changed picture clears it. */
  assumeFrozen(cameraId: string): void {
    this.seen.set(cameraId, { hash: '', same: 0, frozen: true });
  }

  /** Cameras whose hash is kept (for tests: memory stays one entry per camera checked). */
  get tracked(): number {
    return this.seen.size;
  }

  private checkNext(): void {
    if (this.inFlight >= this.opts.concurrency) return; // the budget is a ceiling: skip, never queue up
    const cameraId = this.pick();
    if (cameraId === undefined) return;
    this.inFlight++;
    const job = this.checkOne(cameraId).finally(() => {
      this.inFlight--;
      this.running.delete(job);
    });
    this.running.add(job);
  }

  private pick(): string | undefined {
    // A suspect due for its second look first: confirming a freeze matters more than a first look.
    while (this.followUps.length && this.followUps[0].at <= this.clock.now()) {
      const { cameraId } = this.followUps.shift()!;
      this.followUpSet.delete(cameraId);
      if (this.ports.isCandidate(cameraId)) return cameraId;
    }
    while (this.soon.length) {
      const id = this.soon.shift()!;
      this.soonSet.delete(id);
      if (this.ports.isCandidate(id)) {
        this.justOnline.add(id);
        return id;
      }
    }
    // A new round takes the inventory as it is now.
    if (this.next >= this.order.length) {
      this.order = this.ports.candidates();
      this.next = 0;
    }
    while (this.next < this.order.length) {
      const id = this.order[this.next++];
      if (this.ports.isCandidate(id)) return id;
    }
    return undefined;
  }

  private async checkOne(cameraId: string): Promise<void> {
    const justOnline = this.justOnline.delete(cameraId);
    let picture: Buffer;
    try {
      picture = await this.ports.snapshot(cameraId, { timeoutMs: this.opts.timeoutMs });
    } catch (err) {
      // No picture is no finding: the VMS says whether the camera is offline.
      if (!this.failing.has(cameraId)) this.ports.log(`frozen check: no snapshot of ${cameraId}: ${(err as Error).message}`);
      this.failing.add(cameraId);
      return;
    }
    this.failing.delete(cameraId);
    if (this.stopped || !this.ports.isCandidate(cameraId)) return;
    const hash = createHash('sha1').update(picture).digest('base64');
    const before = this.seen.get(cameraId);
    if (!before) {
      this.seen.set(cameraId, { hash, same: 1, frozen: false });
      if (justOnline) this.followUp(cameraId);
      return;
    }
    if (before.hash === hash) {
      before.same++;
      if (!before.frozen && before.same >= this.opts.unchangedChecks) {
        before.frozen = true;
        this.ports.found(cameraId, true);
      } else if (!before.frozen) this.followUp(cameraId);
      return;
    }
    const wasFrozen = before.frozen;
    // The first picture after an assumed freeze has nothing to compare with: it sets the baseline.
    const moving = wasFrozen && before.hash !== '';
    this.seen.set(cameraId, { hash, same: 1, frozen: wasFrozen && !moving });
    if (moving) this.ports.found(cameraId, false);
  }

  /** At most one follow-up per camera is pending; the list is bounded by the number of cameras. */
  private followUp(cameraId: string): void {
    if (this.followUpSet.has(cameraId)) return;
    this.followUpSet.add(cameraId);
    this.followUps.push({ cameraId, at: this.clock.now() + (this.opts.followUpMs ?? 2_000) });
  }
}
