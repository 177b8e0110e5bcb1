// The site and system calls of the contract, served.
import { siteCalls } from '../../../shared/contract/site.ts';
import { systemCalls } from '../../../shared/contract/system.ts';
import type { Handlers } from '../calls.ts';

export const siteHandlers: Handlers<typeof siteCalls> = {
  'site.get': async ({ core }) => ({
    pack: core.site.pack,
    grid: core.site.grid.cells,
    clearance: core.site.clearanceFeatures(),
    ...(core.imagery ? { imagery: core.imagery } : {}),
  }),
  'clearance.classify': async ({ core }, p) => ({
    ...core.site.clearance.classify(p.lon, p.lat, p.altM ?? core.site.pack.aerodrome.elevationM),
    circles: core.site.circlesAt(p.lon, p.lat).map((c) => c.id),
    gridCellId: core.site.gridCellAt(p.lon, p.lat)?.id ?? null,
  }),
};

export const systemHandlers: Handlers<typeof systemCalls> = {
  'system.status': async ({ core }) => core.status(),
};
