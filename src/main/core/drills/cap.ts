// A drill's alerts as CAP 1.2 (OASIS Common Alerting Protocol) XML, status Exercise, so that an exercise's alerts
// can go to systems that speak CAP without ever passing for real ones.
// PLACEHOLDER: the interchange owner replaces the body, keeping this signature.
import type { Alarm } from '../../../shared/domain.ts';
import type { AfterActionReport } from '../../../shared/drills.ts';

export function drillAlertsCap(_report: AfterActionReport, _alarms: Alarm[], _sender: { icao: string; name: string }): string {
  throw new Error('CAP export is not written yet');
}
