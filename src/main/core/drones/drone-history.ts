// Retention of the drone history: detections (and tracks last seen) older than the kept period are deleted
// once an hour, a few thousand rows per statement, so that a sweep after a busy quarter never holds the
// writer long enough to delay a batch of live detections (each delete queues behind them like any write).
import { every, type Clock, type Timer } from '../clock.ts';
import type { DroneTrackRepository } from './drone-track-repository.ts';

export const DEFAULT_HISTORY_KEEP_MS = 90 * 24 * 3600_000;
export const RETENTION_EVERY_MS = 3600_000;
/** The first sweep waits this long after start, out of the way of the start-up reads and writes. */
export const FIRST_SWEEP_AFTER_MS = 60_000;
export const DELETE_BATCH_ROWS = 5_000;

export class DroneHistoryRetention {
  private timers: Timer[] = [];
  private running: Promise<number> | null = null;

  constructor(private readonly deps: { repo: DroneTrackRepository; clock: Clock; keepMs: number; log: (line: string) => void; batchRows?: number }) {}

  start(): void {
    const run = () => void this.sweep().catch((err: Error) => this.deps.log(`drones: deleting old history failed (tried again in an hour): ${err.message}`));
    this.timers.push(this.deps.clock.setTimeout(run, FIRST_SWEEP_AFTER_MS), every(this.deps.clock, RETENTION_EVERY_MS, run));
  }

  /** Deletes what is older than the kept period; resolves with the number of detections deleted. One sweep at a time. */
  sweep(): Promise<number> {
    this.running ??= this.deleteOld().finally(() => (this.running = null));
    return this.running;
  }

  async stop(): Promise<void> {
    for (const t of this.timers) t.cancel();
    this.timers = [];
    await this.running?.catch(() => undefined);
  }

  private async deleteOld(): Promise<number> {
    const { repo, clock, keepMs } = this.deps;
    const batch = this.deps.batchRows ?? DELETE_BATCH_ROWS;
    const before = clock.now() - keepMs;
    let deleted = 0;
    for (let n = batch; n === batch; deleted += n) n = await repo.deleteDetectionsBefore(before, batch);
    for (let n = batch; n === batch; ) n = await repo.deleteTracksBefore(before, batch);
    return deleted;
  }
}
