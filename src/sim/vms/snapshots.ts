// Pictures: a camera's snapshot now (cached at most a second per camera; a frozen camera's is the exact frame
// it froze on), and each event's snapshot, rendered on first request and kept in a bounded LRU.
import type { VmsEvent } from '../../main/core/video/vms-api.ts';
import type { CameraHealth } from './faults.ts';
import { overlayTime } from './ffmpeg.ts';
import type { JpegRenderer } from './snapshot-renderer.ts';
import type { SimCamera } from './layout.ts';

export const SNAPSHOT_CACHE_MS = 1000;

export class OfflineError extends Error {}

export const EVENT_WORDS: Record<VmsEvent['type'], string> = {
  motion: '移动侦测', 'line-crossing': '越线', intrusion: '区域入侵', loitering: '徘徊', 'unattended-object': '物品遗留',
  'face-watchlist': '人脸布控', tamper: '视频遮挡', plate: '过车',
};

export class CameraSnapshots {
  private readonly cache = new Map<string, { at: number; jpeg: Promise<Buffer> }>();
  private readonly sweeper: NodeJS.Timeout;

  constructor(
    private readonly cameras: Map<string, SimCamera>,
    private readonly health: CameraHealth,
    private readonly renderer: JpegRenderer,
  ) {
    // Old pictures are dropped, so that 5,000 cameras do not keep 5,000 pictures.
    this.sweeper = setInterval(() => {
      const old = Date.now() - SNAPSHOT_CACHE_MS;
      for (const [id, e] of this.cache) if (e.at < old) this.cache.delete(id);
    }, 5000);
    this.sweeper.unref();
  }

  /** The picture now; throws OfflineError for an offline camera, BusyError when too many wait. */
  async snapshot(id: string): Promise<Buffer> {
    const camera = this.cameras.get(id);
    if (!camera || this.health.status(id) === 'offline') throw new OfflineError(`camera ${id} is offline`);
    const frozen = this.health.frozenPicture(id);
    if (frozen) {
      if (!frozen.snapshot) {
        const jpeg = await this.render(camera, frozen.at);
        frozen.snapshot ??= jpeg; // two first requests at once both render; the first kept wins
      }
      return frozen.snapshot;
    }
    const now = Date.now();
    const hit = this.cache.get(id);
    if (hit && now - hit.at < SNAPSHOT_CACHE_MS) return hit.jpeg;
    const jpeg = this.render(camera, now);
    this.cache.set(id, { at: now, jpeg });
    jpeg.catch(() => this.cache.get(id)?.jpeg === jpeg && this.cache.delete(id));
    return jpeg;
  }

  private render(camera: SimCamera, at: number): Promise<Buffer> {
    return this.renderer.render(camera.id, [camera.name.zh, overlayTime(at)]);
  }
}

/** Event pictures: rendered once, kept while they fit (at most `maxEntries` and `maxBytes`, least recently used out). */
export class EventSnapshots {
  private readonly lru = new Map<string, Promise<Buffer>>();
  private readonly sizes = new Map<string, number>();
  private bytes = 0;

  constructor(
    private readonly cameras: Map<string, SimCamera>,
    private readonly renderer: JpegRenderer,
    private readonly maxEntries = 300,
    private readonly maxBytes = 24 * 1024 * 1024,
  ) {}

  snapshot(event: VmsEvent): Promise<Buffer> {
    const held = this.lru.get(event.id);
    if (held) {
      this.lru.delete(event.id);
      this.lru.set(event.id, held);
      return held;
    }
    const camera = this.cameras.get(event.camera);
    const what = event.plate ? `${EVENT_WORDS.plate} ${event.plate.text} ${event.plate.direction === 'in' ? '进' : '出'} 车道 ${event.plate.lane}` : `${EVENT_WORDS[event.type]}${event.label ? ` ${event.label}` : ''}`;
    const jpeg = this.renderer.render(event.camera, [camera?.name.zh ?? event.camera, what, overlayTime(Date.parse(event.at))]);
    this.lru.set(event.id, jpeg);
    jpeg.then(
      (buf) => {
        if (this.lru.get(event.id) !== jpeg) return;
        this.sizes.set(event.id, buf.length);
        this.bytes += buf.length;
        this.evict();
      },
      () => this.lru.get(event.id) === jpeg && this.lru.delete(event.id),
    );
    this.evict();
    return jpeg;
  }

  private evict(): void {
    for (const id of this.lru.keys()) {
      if (this.lru.size <= this.maxEntries && this.bytes <= this.maxBytes) break;
      this.lru.delete(id);
      this.bytes -= this.sizes.get(id) ?? 0;
      this.sizes.delete(id);
    }
  }
}
