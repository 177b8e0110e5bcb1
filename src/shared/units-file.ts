// The site's units file (`<site folder>/response/units.json`): who the units are, where they stand or which route
// they walk, and the account their terminal signs in with. Read by the core (the units) and by the GPS
// simulator (where each unit goes). Positions are [lon, lat], as in the site pack.
import { z } from 'zod';
import { UNIT_FORCES, UNIT_KINDS } from './response.ts';

const text = z.object({ zh: z.string().min(1), en: z.string().min(1) });
const lon = z.number().min(-180).max(180);
const lat = z.number().min(-90).max(90);
const position = z.tuple([lon, lat]);

export const unitEntrySchema = z.object({
  id: z.string().regex(/^[A-Za-z0-9_-]{1,32}$/, 'letters, digits, _ and -; at most 32'),
  callSign: z.string().min(1).max(20),
  name: text,
  kind: z.enum(UNIT_KINDS),
  force: z.enum(UNIT_FORCES),
  members: z.array(z.string().min(1).max(40)).max(30),
  /** Planning speed (m/s) for the estimated arrival: about 1.4 on foot, 8–12 by car. */
  speedMps: z.number().positive().max(60),
  /** The terminal's account (role `unit`). */
  account: z.string().regex(/^[a-z][a-z0-9._-]{1,31}$/),
  /** Where it stands: a site feature (a police post or station) … */
  home: z.string().min(1).optional(),
  /** … or a position. */
  position: position.optional(),
  /** A patrol's route, walked in order (closed when the last point is the first). */
  route: z.array(position).min(2).optional(),
}).strict().refine((u) => u.home !== undefined || u.position !== undefined || u.route !== undefined, {
  message: 'a unit needs a home (site feature), a position or a route',
});

export const unitsFileSchema = z.object({
  format: z.literal('skyfence-units'),
  version: z.literal(1),
  notice: text.optional(),
  units: z.array(unitEntrySchema).max(500),
  /**
   * Roads and paths for the estimated arrival (a route graph): each a line of [lon, lat]; lines that share a
   * point (within 15 m) are joined. Without one, the site's roads are used; without those, straight lines.
   */
  routes: z.array(z.array(position).min(2)).max(2000).optional(),
}).strict();

export type UnitsFile = z.infer<typeof unitsFileSchema>;
export type UnitEntry = z.infer<typeof unitEntrySchema>;
