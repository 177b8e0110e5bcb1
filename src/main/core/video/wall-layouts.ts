// The video wall's named layouts (a second screen shows one): saved by name (saving again replaces it), the
// tiles padded to the layout's size, every camera checked to exist. Saves and deletions are audited.
import type { Person } from '../../../shared/domain.ts';
import type { WallLayout, WallSize } from '../../../shared/video.ts';
import type { Clock } from '../clock.ts';
import { ApiError } from '../calls.ts';
import type { AuditTrail } from '../store/audit-log.ts';
import type { CameraDirectory } from './video-ports.ts';
import type { WallLayoutRepository } from './wall-layout-repository.ts';

export class WallLayouts {
  constructor(
    private readonly repo: WallLayoutRepository,
    private readonly cameras: Pick<CameraDirectory, 'get'>,
    private readonly audit: AuditTrail,
    private readonly clock: Clock,
  ) {}

  list(): Promise<WallLayout[]> {
    return this.repo.list();
  }

  async save(input: { name: string; size: WallSize; tiles: Array<string | null> }, by: Person): Promise<WallLayout> {
    const unknown = input.tiles
      .map((id, i) => ({ id, i }))
      .filter((t): t is { id: string; i: number } => t.id !== null && !this.cameras.get(t.id));
    if (unknown.length > 0) {
      throw new ApiError('bad-request', `wall.saveLayout: unknown camera(s) ${unknown.map((t) => t.id).join(', ')}`, {
        fields: unknown.map((t) => ({ path: `tiles.${t.i}`, problem: `unknown camera ${t.id}` })),
      });
    }
    const tiles = [...input.tiles, ...Array<null>(input.size - input.tiles.length).fill(null)];
    const layout: WallLayout = { name: input.name, size: input.size, tiles, savedBy: { username: by.username, displayName: by.displayName }, savedAt: this.clock.now() };
    await this.repo.upsert(layout);
    await this.audit.record(by.username, 'wall.save-layout', input.name, { size: input.size, cameras: tiles.filter((t) => t !== null).length });
    return layout;
  }

  async delete(name: string, by: Person): Promise<{ deleted: boolean }> {
    const deleted = await this.repo.delete(name);
    if (deleted) await this.audit.record(by.username, 'wall.delete-layout', name);
    return { deleted };
  }
}
