// Drills (应急演练): one at a time, run by the engine on its own clock, its injects fired into the console flagged
// drill, the operators' actions on its alarms observed and timed, every control on the record, and the drill's
// log kept for the after-action report and playback. PLACEHOLDER: the drills owner replaces the body, keeping
// these signatures.
import type { AfterActionReport, DrillObservation, DrillState } from '../../../shared/drills.ts';
import type { Person } from '../../../shared/domain.ts';
import { ApiError } from '../calls.ts';
import type { DrillLogEntry } from './drill-engine-types.ts';

export type DrillControl = 'pause' | 'resume' | 'skip' | 'end' | 'abort';

const notYet = () => new ApiError('unavailable', 'drills are not available yet');

export class Drills {
  async start(_planId: string, _opts: { seed?: number; speed: number }, _by: Person): Promise<DrillState> {
    throw notYet();
  }
  async control(_id: string, _action: DrillControl, _reason: string | undefined, _by: Person): Promise<DrillState> {
    throw notYet();
  }
  async setSpeed(_id: string, _speed: number, _by: Person): Promise<DrillState> {
    throw notYet();
  }
  async confirm(_id: string, _stepId: string, _by: Person): Promise<DrillState> {
    throw notYet();
  }
  async observe(_id: string, _text: string, _stepId: string | undefined, _by: Person): Promise<DrillObservation> {
    throw notYet();
  }
  current(): DrillState | null {
    return null;
  }
  async list(_limit: number): Promise<DrillState[]> {
    return [];
  }
  async get(_id: string): Promise<DrillState> {
    throw notYet();
  }
  async log(_id: string): Promise<DrillLogEntry[]> {
    throw notYet();
  }
  async report(_id: string): Promise<AfterActionReport> {
    throw notYet();
  }
  async stop(): Promise<void> {}
}
