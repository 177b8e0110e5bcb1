// The alarm pipeline: every source raises alarms here, in one model; each change is stored, audited and
// published. Position-bearing alarms are placed in their perception circle and patrol grid cell.
import { randomUUID } from 'node:crypto';
import type { Alarm, AlarmSource, AlarmType, GeoPoint, Severity } from '../../../shared/domain.ts';
import type { Clock } from '../clock.ts';
import type { EventBus } from '../event-bus.ts';
import type { SiteModel } from '../site/site-model.ts';
import type { Database } from '../store/database.ts';
import type { AuditLog } from '../store/audit-log.ts';

export interface RaiseAlarm {
  source: AlarmSource;
  type: AlarmType;
  severity: Severity;
  title: string;
  position: GeoPoint | null;
  drill?: boolean;
  details?: Record<string, unknown>;
  /** When the circle is already known (touch-circle), skip the lookup. */
  circleId?: string;
}

export class AlarmError extends Error {
  constructor(readonly code: 'not-found' | 'conflict', message: string) {
    super(message);
  }
}

export class AlarmService {
  constructor(
    private readonly db: Database,
    private readonly bus: EventBus,
    private readonly clock: Clock,
    private readonly site: SiteModel,
    private readonly audit: AuditLog,
  ) {}

  async raise(input: RaiseAlarm, actor = 'system'): Promise<Alarm> {
    return (await this.raiseBatch([input], actor))[0];
  }

  /** Many alarms in one transaction (one writer, one commit): what a high-rate source uses. */
  async raiseBatch(inputs: RaiseAlarm[], actor = 'system'): Promise<Alarm[]> {
    const alarms = inputs.map((i) => this.build(i));
    const rows = JSON.stringify(alarms.map((a) => ({ ...a, lon: a.position?.lon, lat: a.position?.lat, altM: a.position?.altM, drill: a.drill ? 1 : 0, details: JSON.stringify(a.details) })));
    await this.db.transaction(async (tx) => {
      await tx.run(
        `INSERT INTO alarms (id, source, type, severity, title, lon, lat, alt_m, circle_id, circle_ring, grid_cell, raised_at, state, drill, details)
         SELECT value->>'id', value->>'source', value->>'type', value->>'severity', value->>'title', value->>'lon', value->>'lat',
                value->>'altM', value->>'circleId', value->>'circleRing', value->>'gridCellId', value->>'raisedAt', value->>'state',
                value->>'drill', value->>'details'
         FROM json_each(?)`,
        [rows],
      );
      await tx.run(
        `INSERT INTO audit_log (at, actor, action, subject, details)
         SELECT ?, ?, 'alarm.raise', value->>'id', json_object('type', value->>'type', 'severity', value->>'severity') FROM json_each(?)`,
        [this.clock.now(), actor, rows],
      );
    });
    for (const a of alarms) this.bus.publish('alarm.changed', a);
    return alarms;
  }

  private build(input: RaiseAlarm): Alarm {
    const p = input.position;
    const circle = input.circleId
      ? this.site.pack.perceptionCircles.find((c) => c.id === input.circleId) ?? null
      : p ? this.site.innermostCircle(p.lon, p.lat) : null;
    return {
      id: randomUUID(),
      source: input.source,
      type: input.type,
      severity: input.severity,
      title: input.title,
      position: p,
      circleId: circle?.id ?? null,
      circleRing: circle?.ring ?? null,
      gridCellId: p ? this.site.gridCellAt(p.lon, p.lat)?.id ?? null : null,
      raisedAt: this.clock.now(),
      state: 'new',
      drill: input.drill ?? false,
      acknowledgedAt: null, acknowledgedBy: null, closedAt: null, closedBy: null, resolution: null,
      details: input.details ?? {},
    };
  }

  async acknowledge(id: string, actor: string): Promise<Alarm> {
    const alarm = await this.require(id);
    if (alarm.state !== 'new') throw new AlarmError('conflict', `alarm ${id} is already ${alarm.state}`);
    const at = this.clock.now();
    await this.db.run(`UPDATE alarms SET state = 'acknowledged', acknowledged_at = ?, acknowledged_by = ? WHERE id = ?`, [at, actor, id]);
    return this.changed(id, actor, 'alarm.acknowledge');
  }

  async close(id: string, actor: string, resolution: string): Promise<Alarm> {
    const alarm = await this.require(id);
    if (alarm.state === 'closed') throw new AlarmError('conflict', `alarm ${id} is already closed`);
    const at = this.clock.now();
    await this.db.run(
      `UPDATE alarms SET state = 'closed', closed_at = ?, closed_by = ?, resolution = ?,
         acknowledged_at = COALESCE(acknowledged_at, ?), acknowledged_by = COALESCE(acknowledged_by, ?) WHERE id = ?`,
      [at, actor, resolution, at, actor, id],
    );
    return this.changed(id, actor, 'alarm.close', { resolution });
  }

  async list(opts: { includeClosed?: boolean; limit?: number } = {}): Promise<Alarm[]> {
    const rows = await this.db.all<AlarmRow>(
      `SELECT * FROM alarms ${opts.includeClosed ? '' : "WHERE state != 'closed'"}
       ORDER BY state = 'closed', severity DESC, raised_at DESC LIMIT ?`,
      [opts.limit ?? 500],
    );
    return rows.map(fromRow);
  }

  async get(id: string): Promise<Alarm | null> {
    const row = await this.db.get<AlarmRow>('SELECT * FROM alarms WHERE id = ?', [id]);
    return row ? fromRow(row) : null;
  }

  private async require(id: string): Promise<Alarm> {
    const alarm = await this.get(id);
    if (!alarm) throw new AlarmError('not-found', `no alarm ${id}`);
    return alarm;
  }

  private async changed(id: string, actor: string, action: string, details: Record<string, unknown> = {}): Promise<Alarm> {
    await this.audit.record(actor, action, id, details);
    const alarm = await this.require(id);
    this.bus.publish('alarm.changed', alarm);
    return alarm;
  }
}

interface AlarmRow {
  id: string; source: Alarm['source']; type: Alarm['type']; severity: Severity; title: string;
  lon: number | null; lat: number | null; alt_m: number | null;
  circle_id: string | null; circle_ring: Alarm['circleRing']; grid_cell: string | null;
  raised_at: number; state: Alarm['state']; drill: number;
  acknowledged_at: number | null; acknowledged_by: string | null;
  closed_at: number | null; closed_by: string | null; resolution: string | null; details: string;
}

function fromRow(r: AlarmRow): Alarm {
  return {
    id: r.id, source: r.source, type: r.type, severity: r.severity, title: r.title,
    position: r.lon === null || r.lat === null ? null : { lon: r.lon, lat: r.lat, ...(r.alt_m === null ? {} : { altM: r.alt_m }) },
    circleId: r.circle_id, circleRing: r.circle_ring, gridCellId: r.grid_cell,
    raisedAt: r.raised_at, state: r.state, drill: r.drill === 1,
    acknowledgedAt: r.acknowledged_at, acknowledgedBy: r.acknowledged_by,
    closedAt: r.closed_at, closedBy: r.closed_by, resolution: r.resolution,
    details: JSON.parse(r.details) as Record<string, unknown>,
  };
}
