// The simulated sky as every simulated sensor sees it: one seeded set of objects, each sensor endpoint (the
// detection system's track API, the Remote ID receiver, the SAPIENT radar node) reporting what it would of it.

/** ASTM F3411 UA types the scenarios fly (the enum values of the BasicID message). */
export type SimUaType = 2 | 4 | 1; // 2 helicopter/multirotor, 4 VTOL (survey), 1 aeroplane

export interface SkyRemoteId {
  /** ANSI/CTA-2063-A serial, broadcast in a BasicID message of id type 1. */
  serial: string;
  /** A CAA registration (id type 2) broadcast in a second BasicID message, or null. */
  registrationId: string | null;
  uaType: SimUaType;
  operatorId: string;
  selfIdText: string;
  /** Where the remote pilot stands (System message operator location). */
  operator: { lat: number; lon: number; altMsl: number };
}

export interface SkyObject {
  /** Stable for the object within one round of the scenario (a new round gives new ids). */
  id: string;
  /** What the object really is; what each sensor says it is may differ (a radar cannot read a serial). */
  kind: 'drone' | 'bird';
  /** The scenario that put it in the sky (e.g. 'approach-loiter', 'swarm'). */
  scenario: string;
  lat: number;
  lon: number;
  altMsl: number;
  heightAgl: number;
  speed: number;
  heading: number;
  verticalSpeed: number;
  /** Null: the drone broadcasts no Remote ID (or it is a bird). */
  remoteId: SkyRemoteId | null;
  /** Which sensors see it: the detection system's API, and the SAPIENT radar. */
  seenBy: { detection: boolean; sapient: boolean };
}

/** The sky at a moment: every object in it, from the simulator's clock (seconds since it started, times its speed). */
export type SkyAt = (nowMs: number) => SkyObject[];
