// PLACEHOLDER (replaced by the threat helper): a track's threat level and its reasons.
import type { ThreatAssessment } from '../../../shared/drones.ts';
import type { SiteModel } from '../site/site-model.ts';
import type { PermitLookup, RunwayLookup, ThreatJudge, UnjudgedTrack } from './drone-ports.ts';

export class ThreatAssessor implements ThreatJudge {
  constructor(private readonly deps: { site: SiteModel; permits: PermitLookup; runways: RunwayLookup }) {}
  assess(_track: UnjudgedTrack, _at: number): ThreatAssessment {
    return { level: 0, reasons: [], circleId: null, circleRing: null, inInspectionArea: false, lowestSurface: null, penetrationM: 0, clearanceM: null, path: null, runwayInUse: null, permitId: null, suggested: [] };
  }
}
