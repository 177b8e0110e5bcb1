// The video wall's named layouts (a second screen shows one): saved by name (saving again replaces it), the
// tiles padded to the layout's size, every camera checked to exist. One namespace for every console: a layout
// is replaced or deleted only by whoever saved it, or by a commander or an admin; at most MAX_WALL_LAYOUTS.
// Saves and deletions are audited.
import type { Person, Role } from '../../../shared/domain.ts';
import type { WallLayout, WallSize } from '../../../shared/video.ts';
import type { Clock } from '../clock.ts';
import { ApiError } from '../calls.ts';
import type { AuditTrail } from '../store/audit-log.ts';
import type { CameraDirectory } from './video-ports.ts';
import type { LayoutRefusal, WallLayoutRepository } from './wall-layout-repository.ts';

/** Layouts kept at most (a wall needs a few dozen; the table must not grow without end). */
export const MAX_WALL_LAYOUTS = 200;
const OVERRIDES_OWNER: readonly Role[] = ['commander', 'admin'];

type Actor = Person & { role: Role };

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

  async save(input: { name: string; size: WallSize; tiles: Array<string | null> }, by: Actor): Promise<WallLayout> {
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
    const refusal = await this.repo.save(layout, this.mayChange(by), MAX_WALL_LAYOUTS);
    if (refusal) throw refused('wall.saveLayout', input.name, refusal);
    await this.audit.record(by.username, 'wall.save-layout', input.name, { size: input.size, cameras: tiles.filter((t) => t !== null).length });
    return layout;
  }

  async delete(name: string, by: Actor): Promise<{ deleted: boolean }> {
    const result = await this.repo.delete(name, this.mayChange(by));
    if ('refused' in result) throw refused('wall.deleteLayout', name, result);
    if (result.deleted) await this.audit.record(by.username, 'wall.delete-layout', name);
    return { deleted: result.deleted };
  }

  private mayChange(by: Actor): (savedBy: Person) => boolean {
    return (savedBy) => savedBy.username === by.username || OVERRIDES_OWNER.includes(by.role);
  }
}

function refused(call: string, name: string, r: LayoutRefusal): ApiError {
  if (r.refused === 'too-many') {
    return new ApiError('conflict', `${call}: there are already ${MAX_WALL_LAYOUTS} layouts; delete some before saving a new one`, { reason: 'too-many-layouts' });
  }
  return new ApiError('forbidden', `${call}: the layout "${name}" is ${r.owner.displayName}'s; only they, a commander or an admin may change it`, {
    reason: 'not-your-layout', fields: [{ path: 'name', problem: `saved by ${r.owner.displayName}` }],
  });
}
