// Obstacle limitation surfaces, dimensions and slopes.
// Source: ICAO Annex 14 Volume I, 4th edition (2004), chapter 4, Table 4-1 (approach runways) and
// Table 4-2 (take-off runways), as reproduced in France's arrêté of 7 June 2007 (Annexe I); China's
// MH 5001 (表20/表21) follows Annex 14. Distances in metres, slopes as fractions.
// Values the transcription marks "verify" (inner approach, inner transitional, balked landing) are kept
// for completeness but are not yet used to build surfaces.
import type { ApproachType, CodeNumber } from '../../../shared/site.ts';

export interface ApproachTable {
  conical: { slope: number; heightM: number };
  innerHorizontal: { heightM: number; radiusM: number };
  approach: {
    innerEdgeM: number;
    fromThresholdM: number;
    divergence: number;
    sections: ReadonlyArray<{ lengthM: number; slope: number }>;
    /** Horizontal section up to this total length from the inner edge; absent when there is none. */
    totalLengthM?: number;
  };
  transitionalSlope: number;
  innerApproach?: { widthM: number; fromThresholdM: number; lengthM: number; slope: number };
  innerTransitionalSlope?: number;
  /** Half-width of the runway strip, and how far it extends past the runway ends (Annex 14 §3.4). */
  strip: { halfWidthM: number; beyondEndM: number };
}

export interface TakeOffTable {
  innerEdgeM: number;
  fromRunwayEndM: number;
  divergence: number;
  finalWidthM: number;
  lengthM: number;
  slope: number;
}

const approachSurface = (
  innerEdgeM: number,
  fromThresholdM: number,
  divergencePct: number,
  sections: Array<[lengthM: number, slopePct: number]>,
  totalLengthM?: number,
) => ({
  innerEdgeM,
  fromThresholdM,
  divergence: divergencePct / 100,
  sections: sections.map(([lengthM, slopePct]) => ({ lengthM, slope: slopePct / 100 })),
  ...(totalLengthM === undefined ? {} : { totalLengthM }),
});

// Runway strip: Annex 14 §3.4.2–3.4.4 (extends 60 m beyond the end for code 2–4 and instrument code 1,
// 30 m for a non-instrument code 1 runway); §3.4.3 half-widths: instrument code 3/4 150 m, code 1/2 75 m;
// non-instrument code 3/4 75 m, code 2 40 m, code 1 30 m.
function strip(type: ApproachType, code: CodeNumber) {
  const instrument = type !== 'non-instrument';
  const beyondEndM = !instrument && code === 1 ? 30 : 60;
  const halfWidthM = instrument ? (code >= 3 ? 150 : 75) : code >= 3 ? 75 : code === 2 ? 40 : 30;
  return { halfWidthM, beyondEndM };
}

/** Table 4-1: the column for one approach type and code number. */
export function approachTable(type: ApproachType, code: CodeNumber): ApproachTable {
  const pct = (v: number) => v / 100;
  const base = { strip: strip(type, code) };
  switch (type) {
    case 'non-instrument': {
      const col = {
        1: { conical: 35, radius: 2000, edge: 60, from: 30, len: 1600, slope: 5, trans: 20 },
        2: { conical: 55, radius: 2500, edge: 80, from: 60, len: 2500, slope: 4, trans: 20 },
        3: { conical: 75, radius: 4000, edge: 150, from: 60, len: 3000, slope: 3.33, trans: 14.3 },
        4: { conical: 100, radius: 4000, edge: 150, from: 60, len: 3000, slope: 2.5, trans: 14.3 },
      }[code];
      return {
        ...base,
        conical: { slope: pct(5), heightM: col.conical },
        innerHorizontal: { heightM: 45, radiusM: col.radius },
        approach: approachSurface(col.edge, col.from, 10, [[col.len, col.slope]]),
        transitionalSlope: pct(col.trans),
      };
    }
    case 'non-precision': {
      if (code <= 2) {
        return {
          ...base,
          conical: { slope: pct(5), heightM: 60 },
          innerHorizontal: { heightM: 45, radiusM: 3500 },
          approach: approachSurface(150, 60, 15, [[2500, 3.33]]),
          transitionalSlope: pct(20),
        };
      }
      return {
        ...base,
        conical: { slope: pct(5), heightM: code === 3 ? 75 : 100 },
        innerHorizontal: { heightM: 45, radiusM: 4000 },
        approach: approachSurface(300, 60, 15, [[3000, 2], [3600, 2.5]], 15000),
        transitionalSlope: pct(14.3),
      };
    }
    case 'precision-cat-i': {
      if (code <= 2) {
        return {
          ...base,
          conical: { slope: pct(5), heightM: 60 },
          innerHorizontal: { heightM: 45, radiusM: 3500 },
          approach: approachSurface(150, 60, 15, [[3000, 2.5], [12000, 3]], 15000),
          transitionalSlope: pct(14.3),
          innerApproach: { widthM: 90, fromThresholdM: 60, lengthM: 900, slope: pct(2.5) },
          innerTransitionalSlope: pct(40),
        };
      }
      return precisionCode34(base);
    }
    case 'precision-cat-ii-iii':
      // Table 4-1 has Category II/III columns for code 3 and 4 only; code 1/2 falls back to them too.
      return precisionCode34(base);
  }
}

function precisionCode34(base: Pick<ApproachTable, 'strip'>): ApproachTable {
  return {
    ...base,
    conical: { slope: 0.05, heightM: 100 },
    innerHorizontal: { heightM: 45, radiusM: 4000 },
    approach: approachSurface(300, 60, 15, [[3000, 2], [3600, 2.5]], 15000),
    transitionalSlope: 0.143,
    innerApproach: { widthM: 120, fromThresholdM: 60, lengthM: 900, slope: 0.02 },
    innerTransitionalSlope: 0.333,
  };
}

/** Table 4-2: take-off climb surface by code number. */
export function takeOffTable(code: CodeNumber): TakeOffTable {
  if (code === 1) return { innerEdgeM: 60, fromRunwayEndM: 30, divergence: 0.1, finalWidthM: 380, lengthM: 1600, slope: 0.05 };
  if (code === 2) return { innerEdgeM: 80, fromRunwayEndM: 60, divergence: 0.1, finalWidthM: 580, lengthM: 2500, slope: 0.04 };
  return { innerEdgeM: 180, fromRunwayEndM: 60, divergence: 0.125, finalWidthM: 1200, lengthM: 15000, slope: 0.02 };
}

/** The most demanding column wins where the two ends of a runway differ (Annex 14 §4.1 applies per runway). */
export function governingApproach(a: ApproachTable, b: ApproachTable): ApproachTable {
  const rank = (t: ApproachTable) => t.innerHorizontal.radiusM * 1000 + t.conical.heightM + t.strip.halfWidthM / 1000;
  return rank(a) >= rank(b) ? a : b;
}
