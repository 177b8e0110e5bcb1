// PLACEHOLDER: the units, their status and positions. Replaced by the units helper.
import type { Alarm, GeoPoint } from '../../../shared/domain.ts';
import type { Unit, UnitCandidate } from '../../../shared/response.ts';
import type { UnitsDeps } from './units-core.ts';

/** Where a unit's positions go: the GPS source kind `unit-gps` and the terminals report here. */
export interface UnitPositionIntake {
  reportPositions(sourceId: string, fixes: Array<{ unitId: string; position: GeoPoint; at: number }>): Promise<void>;
}

export class UnitRegistry implements UnitPositionIntake {
  constructor(private readonly deps: UnitsDeps) {}
  async load(): Promise<void> {}
  list(): Unit[] { return []; }
  get(_id: string): Unit | undefined { return undefined; }
  nearest(_alarm: Alarm, _limit: number): Promise<UnitCandidate[]> { throw new Error('not built yet'); }
  setStatus(_unitId: string, _status: 'available' | 'off-duty', _by: { username: string; displayName: string }): Promise<Unit> { throw new Error('not built yet'); }
  async reportPositions(_sourceId: string, _fixes: Array<{ unitId: string; position: GeoPoint; at: number }>): Promise<void> {}
  /** Called on every accepted position (duty check-ins listen here). */
  onPosition(_listener: (unit: Unit) => void): () => void { return () => undefined; }
  stop(): void {}
}
