// PLACEHOLDER: orders to units (派警) and the unit terminal's reports. Replaced by the units helper.
import type { Person } from '../../../shared/domain.ts';
import type { DispatchOrder, TerminalReport, TerminalState } from '../../../shared/response.ts';
import type { UnitRegistry } from './unit-registry.ts';
import type { UnitsDeps } from './units-core.ts';

export class Dispatch {
  constructor(private readonly deps: UnitsDeps & { units: UnitRegistry }) {}
  send(_alarmId: string, _unitIds: string[], _guidance: string, _by: Person): Promise<DispatchOrder[]> { throw new Error('not built yet'); }
  cancel(_orderId: string, _reason: string, _by: Person): Promise<DispatchOrder> { throw new Error('not built yet'); }
  list(_filter: { alarmId?: string; incidentId?: string; openOnly: boolean }): Promise<DispatchOrder[]> { throw new Error('not built yet'); }
  terminalState(_unitId: string): Promise<TerminalState> { throw new Error('not built yet'); }
  terminalReport(_unitId: string, _report: TerminalReport, _by: Person): Promise<{ applied: boolean; state: TerminalState }> { throw new Error('not built yet'); }
}
