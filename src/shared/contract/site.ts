// The site: the airport pack, its patrol grid, its clearance surfaces, and what lies above a point.
import { z } from 'zod';
import type { ClearanceFeature, PointClearance } from '../clearance.ts';
import { geoPoint } from '../domain.ts';
import type { GridCell, ImagerySource, SitePack } from '../site.ts';
import { ANY_ROLE, call } from './define.ts';

export interface SiteView {
  pack: SitePack;
  grid: GridCell[];
  clearance: ClearanceFeature[];
  /** An internal map server, when configured. */
  imagery?: ImagerySource;
}

export const siteCalls = {
  'site.get': call(z.object({}).strict(), ANY_ROLE).returns<SiteView>(),
  'clearance.classify': call(geoPoint, ANY_ROLE).returns<PointClearance & { circles: string[]; gridCellId: string | null }>(),
};
