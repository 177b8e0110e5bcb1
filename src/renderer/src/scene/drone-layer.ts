// The fused drone tracks on the map, as primitives updated in place (never entities: it must stay fluid with
// 10,000 moving tracks). Per track: a point coloured by threat level (0 grey-green, 1 blue, 2 yellow, 3 orange,
// 4 red; aging paler; lost hollow and grey; a drill track ringed in the drill colour). Tracks drawn in full
// (drone-detail.ts: every track while few are shown, else level 2 and up, the selected track and its swarm) also
// get a stalk down to the ground and a trail of recent positions (drone-lines.ts), and when known the pilot's
// marker with a dashed line to the drone; the others stay points, so that ten thousand quiet tracks cost about
// what ten thousand points cost. Labels (label and height above ground) only from level 2 up, or the selected
// track, so that a swarm of hundreds stays readable; a label is made the first time it is shown. A swarm gets one
// outline and one label at its centroid. The selected track also gets a ring, the penetrated clearance surface
// drawn bright, the vertical gap between it and the surface with its size, and on request its full stored history.
//
// Nothing is written that did not change: a track re-sent without a new fix moves nothing, its point is
// restyled only when its level, state, kind or drill flag changes, and a hidden label is not moved.
import type { ClearanceFeature, ClearanceSurfaceName } from '../../../shared/clearance.ts';
import type { DroneHistoryPoint, DroneTrack, ThreatLevel } from '../../../shared/drones.ts';
import type { DroneBatch, TrailPoint } from '../stores/drones.ts';
import { Cesium, type CesiumModule } from './cesium.ts';
import { drawnInFull, everyTrackInFull, type DetailContext } from './drone-detail.ts';
import { dedupe, DroneLines, offsetDown, removeSharing, TRAIL_DRAWN, type StyleKey } from './drone-lines.ts';
import type { Selection } from './selection.ts';

export { TRAIL_DRAWN } from './drone-lines.ts';
const HIGHLIGHT = '#ffe066';
const DRILL = '#f2994a';
const ALWAYS = Number.POSITIVE_INFINITY;
const FONT = '"Noto Sans CJK SC", "Source Han Sans SC", "Microsoft YaHei", sans-serif';
/** Swarm outline: this far beyond its outermost member. */
const SWARM_MARGIN_M = 60;
const SWARM_SEGMENTS = 48;

export const LEVEL_COLORS: Record<ThreatLevel, string> = { 0: '#8fbf9f', 1: '#4aa3df', 2: '#f2c94c', 3: '#f2994a', 4: '#eb5757' };
const LOST_COLOR = '#9aa5b1';
const PILOT_COLOR = '#d68cff';

type Color = CesiumModule.Color;
const css = (c: string, alpha = 1): Color => Cesium.Color.fromCssColorString(c).withAlpha(alpha);
const nearFar = (near: number, nearValue: number, far: number, farValue: number) => new Cesium.NearFarScalar(near, nearValue, far, farValue);
/** Colours parsed once: a point is restyled often enough at scale for the parsing to show. */
const colours = new Map<string, Color>();
const cached = (c: string, alpha = 1): Color => {
  const key = `${c}/${alpha}`;
  let colour = colours.get(key);
  if (!colour) colours.set(key, (colour = css(c, alpha)));
  return colour;
};
const styleColour = (style: StyleKey, alpha: number): Color => css(style === 'lost' ? LOST_COLOR : LEVEL_COLORS[style], alpha);

/** The words the layer draws, in the operator's language. */
export interface DroneWords {
  /** A track's map label: its label and height above ground. */
  label(t: DroneTrack, aglM: number): string;
  swarm(count: number): string;
  /** The vertical gap to the surface: how far it rises through it (penetrating) or stays under it. */
  gap(m: number, penetrating: boolean): string;
}

export interface DroneState {
  shown: boolean;
  /** The point's colour (#rrggbb, whatever its opacity). */
  colour: string;
  /** Drawn hollow (a lost track). */
  hollow: boolean;
  level: ThreatLevel;
  state: DroneTrack['state'];
  /** A stalk is drawn (a track drawn in full). */
  stalk: boolean;
  /** Fixes in the trail as drawn (0: no trail, a point-only track). */
  trailPoints: number;
  pilotShown: boolean;
  /** The label drawn, '' when none. */
  label: string;
  selected: boolean;
}

interface Drawn {
  track: DroneTrack;
  /** Where the point is drawn. */
  position: CesiumModule.Cartesian3;
  point: CesiumModule.PointPrimitive;
  /** Made the first time the track is labelled. */
  label: CesiumModule.Label | null;
  labelText: string;
  /** Drawn in full: stalk, trail, pilot. */
  full: boolean;
  pilot: CesiumModule.Billboard | null;
  pilotLine: CesiumModule.Polyline | null;
}

function pilotIcon(): string {
  // A person standing (head and shoulders) on a violet disc: distinct from any drone point.
  const c = document.createElement('canvas');
  c.width = c.height = 24;
  const g = c.getContext('2d')!;
  g.fillStyle = PILOT_COLOR;
  g.strokeStyle = '#05080d';
  g.lineWidth = 2;
  g.beginPath();
  g.arc(12, 12, 10.5, 0, 2 * Math.PI);
  g.fill();
  g.stroke();
  g.fillStyle = '#05080d';
  g.beginPath();
  g.arc(12, 8.5, 3.4, 0, 2 * Math.PI);
  g.fill();
  g.beginPath();
  g.moveTo(5.5, 19);
  g.quadraticCurveTo(12, 9.5, 18.5, 19);
  g.closePath();
  g.fill();
  return c.toDataURL();
}

const styleOf = (t: DroneTrack): StyleKey => (t.state === 'lost' ? 'lost' : t.threat.level);
const samePosition = (a: DroneTrack['position'], b: DroneTrack['position']) => a.lon === b.lon && a.lat === b.lat && a.altM === b.altM;

export class DroneLayer {
  private readonly points: CesiumModule.PointPrimitiveCollection;
  private readonly labels: CesiumModule.LabelCollection;
  private readonly pilots: CesiumModule.BillboardCollection;
  private readonly pilotLines: CesiumModule.PolylineCollection;
  private readonly lines: DroneLines;
  /** The selected track's extras and the swarm outlines: few, changed on selection. */
  private readonly overlay: CesiumModule.PolylineCollection;
  private readonly overlayPoints: CesiumModule.PointPrimitiveCollection;
  private readonly index = new Map<string, Drawn>();
  /** Track ids by swarm, kept as tracks join and leave (a swarm is redrawn from its members, not from a scan). */
  private readonly swarmMembers = new Map<string, Set<string>>();
  private readonly pilotImage = pilotIcon();
  private readonly pilotMaterial: CesiumModule.Material;
  private readonly swarms = new Map<string, { members: Set<string>; outline: CesiumModule.Polyline; label: CesiumModule.Label; count: number }>();
  private readonly swarmMaterial: CesiumModule.Material;
  /** What decides which tracks are drawn in full; selectedId is the selected track. */
  private readonly detail: DetailContext = { count: 0, selectedId: null, selectedSwarmId: null };
  private ring: CesiumModule.PointPrimitive;
  private gap: { line: CesiumModule.Polyline; label: CesiumModule.Label; key: string } | null = null;
  private surface: { key: string; primitive: CesiumModule.Primitive | null; outlines: CesiumModule.Polyline[] } | null = null;
  private history: { trackId: string; line: CesiumModule.Polyline | null; points: number } | null = null;
  private shown = true;

  constructor(
    private readonly viewer: CesiumModule.Viewer,
    private readonly opts: {
      /** Height drawn for an altitude in m MSL (the ellipsoid stands for the aerodrome elevation). */
      heightOf: (msl: number) => number;
      elevationM: number;
      words: DroneWords;
      clearance: readonly ClearanceFeature[];
      surfaceColor: (s: ClearanceSurfaceName) => string;
      /** The store's recent positions of a track, to seed its trail when it is first drawn in full. */
      trailOf?: (id: string) => readonly TrailPoint[];
    },
  ) {
    const primitives = viewer.scene.primitives;
    // Lines first, then points and markers over them, labels last.
    // Trails are written on a timer, which may fire after the viewer is gone (the console left for playback).
    this.lines = new DroneLines(primitives, styleColour, () => {
      if (!viewer.isDestroyed()) viewer.scene.requestRender();
    });
    this.pilotLines = primitives.add(new Cesium.PolylineCollection());
    this.pilotMaterial = Cesium.Material.fromType('PolylineDash', { color: css(PILOT_COLOR, 0.9), dashLength: 12 });
    this.swarmMaterial = Cesium.Material.fromType('PolylineDash', { color: css('#ff7a7a'), dashLength: 20 });
    this.overlay = primitives.add(new Cesium.PolylineCollection());
    this.points = primitives.add(new Cesium.PointPrimitiveCollection());
    this.pilots = primitives.add(new Cesium.BillboardCollection({ scene: viewer.scene }));
    this.overlayPoints = primitives.add(new Cesium.PointPrimitiveCollection());
    this.labels = primitives.add(new Cesium.LabelCollection());
    this.ring = this.overlayPoints.add({
      position: Cesium.Cartesian3.ZERO, show: false, pixelSize: 30, color: css(HIGHLIGHT, 0.12), outlineColor: css(HIGHLIGHT), outlineWidth: 3,
      disableDepthTestDistance: ALWAYS,
    });
  }

  /** A batch from the drone store: only what changed is touched. */
  apply(batch: DroneBatch): void {
    const swarmsTouched = new Set<string>();
    let selectedTouched = false;
    const gone = (id: string) => {
      const s = this.index.get(id)?.track.swarmId;
      if (s) swarmsTouched.add(s);
      if (id === this.detail.selectedId) selectedTouched = true;
      this.remove(id);
    };
    if (batch.reset) {
      const keep = new Set(batch.updated.map((t) => t.id));
      for (const id of [...this.index.keys()]) if (!keep.has(id)) gone(id);
    }
    for (const id of batch.removed) gone(id);
    // The count after the batch decides what is drawn in full, before any of it is drawn.
    let added = 0;
    for (const t of batch.updated) if (!this.index.has(t.id)) added++;
    this.setCount(this.index.size + added);
    for (const t of batch.updated) {
      const before = this.index.get(t.id)?.track;
      if (before?.swarmId) swarmsTouched.add(before.swarmId);
      if (t.swarmId) swarmsTouched.add(t.swarmId);
      if (t.id === this.detail.selectedId) selectedTouched = true;
      this.draw(t, before);
    }
    for (const s of swarmsTouched) this.drawSwarm(s);
    if (selectedTouched) {
      this.followSelectedSwarm();
      this.drawSelected();
    }
    this.viewer.scene.requestRender();
  }

  /** The selected track (null: none): ringed, labelled, drawn in full with its swarm, its surface and gap drawn. */
  select(trackId: string | null): void {
    const beforeId = this.detail.selectedId;
    if (trackId === beforeId) return;
    this.detail.selectedId = trackId;
    const before = beforeId ? this.index.get(beforeId) : undefined;
    if (before) {
      this.drawLabel(before, true);
      this.drawFull(before);
    }
    if (this.history && this.history.trackId !== trackId) this.showHistory(null, []);
    const now = trackId ? this.index.get(trackId) : undefined;
    if (now) {
      this.drawLabel(now, true);
      this.drawFull(now);
    }
    this.followSelectedSwarm();
    this.drawSelected();
    this.viewer.scene.requestRender();
  }

  /** Draws a track's full stored history (null: removes it). */
  showHistory(trackId: string | null, points: readonly DroneHistoryPoint[]): void {
    if (this.history?.line) this.overlay.remove(this.history.line);
    this.history = null;
    if (trackId) {
      const positions = dedupe(points.map((p) => Cesium.Cartesian3.fromDegrees(p.lon, p.lat, this.opts.heightOf(p.altM))));
      const line = positions.length >= 2
        ? this.overlay.add({ positions, width: 3, material: Cesium.Material.fromType('Color', { color: css(HIGHLIGHT, 0.9) }), id: { kind: 'drone', trackId } satisfies Selection })
        : null;
      line && (line.show = this.shown);
      this.history = { trackId, line, points: positions.length };
    }
    this.viewer.scene.requestRender();
  }

  setVisible(on: boolean): void {
    this.shown = on;
    for (const c of [this.points, this.labels, this.pilots, this.pilotLines, this.overlay, this.overlayPoints]) c.show = on;
    this.lines.setVisible(on);
    if (this.surface?.primitive) this.surface.primitive.show = on;
    this.viewer.scene.requestRender();
  }

  /** Re-words every label (after a language switch). */
  relabel(): void {
    for (const d of this.index.values()) this.drawLabel(d, true);
    for (const [id, s] of this.swarms) {
      s.count = -1;
      this.drawSwarm(id);
    }
    if (this.gap) this.gap.key = '';
    this.drawSelected();
    this.viewer.scene.requestRender();
  }

  /** Tracks drawn (for the end-to-end tests and the bench). */
  count(): number {
    return this.shown ? this.index.size : 0;
  }

  /** How one track is drawn (for the end-to-end tests and the bench). */
  state(id: string): DroneState | null {
    const d = this.index.get(id);
    if (!d) return null;
    return {
      shown: this.shown && d.point.show, colour: d.point.color.withAlpha(1).toCssHexString(), hollow: d.point.color.alpha < 0.5, level: d.track.threat.level, state: d.track.state,
      stalk: this.shown && this.lines.has(id), trailPoints: this.lines.trailPoints(id), pilotShown: this.shown && Boolean(d.pilot?.show),
      label: d.label?.show ? d.labelText : '', selected: this.detail.selectedId === id,
    };
  }

  /** The selected track's extras (for the end-to-end tests): the surface highlighted, the gap drawn, the history. */
  selectedState(): { trackId: string | null; surface: string | null; gap: string | null; historyPoints: number } {
    return {
      trackId: this.detail.selectedId, surface: this.surface?.primitive ? this.surface.key : null,
      gap: this.gap?.label.show ? this.gap.label.text : null, historyPoints: this.history?.points ?? 0,
    };
  }

  /** A swarm's outline and label (for the end-to-end tests). */
  swarmState(swarmId: string): { members: number; label: string; shown: boolean } | null {
    const s = this.swarms.get(swarmId);
    return s ? { members: s.members.size, label: s.label.text, shown: this.shown && s.outline.show } : null;
  }

  /** Stops the layer's timers before its viewer is destroyed. */
  stop(): void {
    this.lines.stop();
  }

  destroy(): void {
    const primitives = this.viewer.scene.primitives;
    // Shared materials first (see removeSharing): a collection's destroy would destroy each once per polyline.
    for (const d of this.index.values()) this.removePilot(d);
    for (const s of this.swarms.values()) removeSharing(this.overlay, s.outline);
    for (const l of this.surface?.outlines ?? []) removeSharing(this.overlay, l);
    for (const c of [this.points, this.labels, this.pilots, this.pilotLines, this.overlay, this.overlayPoints]) primitives.remove(c);
    this.lines.destroy();
    if (this.surface?.primitive) primitives.remove(this.surface.primitive);
  }

  // --- drawing -------------------------------------------------------------------------------------

  private aglOf(t: DroneTrack): number {
    return t.heightAglM ?? t.position.altM - this.opts.elevationM;
  }

  private cartesian(p: { lon: number; lat: number; altM: number }): CesiumModule.Cartesian3 {
    return Cesium.Cartesian3.fromDegrees(p.lon, p.lat, Math.max(0.5, this.opts.heightOf(p.altM)));
  }

  /** Sets the count of tracks on the map; crossing DETAIL_ALL_UP_TO redecides every track. */
  private setCount(n: number): void {
    const before = this.detail.count;
    this.detail.count = n;
    if (everyTrackInFull(before) !== everyTrackInFull(n)) for (const d of this.index.values()) this.drawFull(d);
  }

  /** The selected track's swarm is drawn in full: follows it when the selection or the track's swarm changes. */
  private followSelectedSwarm(): void {
    const before = this.detail.selectedSwarmId;
    const now = (this.detail.selectedId ? this.index.get(this.detail.selectedId)?.track.swarmId : null) ?? null;
    if (before === now) return;
    this.detail.selectedSwarmId = now;
    for (const swarmId of [before, now]) {
      for (const id of swarmId ? this.swarmMembers.get(swarmId) ?? [] : []) {
        const d = this.index.get(id);
        if (d) this.drawFull(d);
      }
    }
  }

  private draw(t: DroneTrack, before: DroneTrack | undefined): void {
    let d = this.index.get(t.id);
    const moved = !before || !samePosition(before.position, t.position);
    if (!d) {
      d = this.create(t);
    } else {
      d.track = t;
      if (moved) {
        d.position = this.cartesian(t.position);
        d.point.position = d.position;
      }
    }
    if (before?.swarmId !== t.swarmId) this.joinSwarm(t.id, before?.swarmId ?? null, t.swarmId);
    if (!before || before.state !== t.state || before.threat.level !== t.threat.level || before.drill !== t.drill || before.classification !== t.classification) this.drawPoint(d);
    const wasFull = d.full;
    this.drawFull(d);
    if (wasFull && d.full) {
      if (moved) this.lines.move(t.id, styleOf(t), d.position, this.groundOf(t));
      else this.lines.restyleOnly(t.id, styleOf(t));
      this.drawPilot(d, moved || before?.pilot?.lon !== t.pilot?.lon || before?.pilot?.lat !== t.pilot?.lat);
    }
    this.drawLabel(d, false, moved);
  }

  private groundOf(t: DroneTrack): CesiumModule.Cartesian3 {
    return Cesium.Cartesian3.fromDegrees(t.position.lon, t.position.lat, 0);
  }

  private create(t: DroneTrack): Drawn {
    const position = this.cartesian(t.position);
    const d: Drawn = {
      track: t, position, label: null, labelText: '', full: false, pilot: null, pilotLine: null,
      point: this.points.add({ id: { kind: 'drone', trackId: t.id } satisfies Selection, position, disableDepthTestDistance: ALWAYS, scaleByDistance: nearFar(3000, 1, 60000, 0.55) }),
    };
    this.index.set(t.id, d);
    return d;
  }

  /** Draws a track in full (stalk, trail, pilot) or as a point only, as drone-detail.ts decides. */
  private drawFull(d: Drawn): void {
    const full = drawnInFull(d.track, this.detail);
    if (full === d.full) return;
    d.full = full;
    const t = d.track;
    if (full) {
      // The trail starts from what the store remembers of the track (drawn as a point until now, or just seen).
      const seed = (this.opts.trailOf?.(t.id) ?? []).slice(-TRAIL_DRAWN).map((p) => this.cartesian(p));
      this.lines.add(t.id, styleOf(t), d.position, this.groundOf(t), seed);
      this.drawPilot(d, true);
    } else {
      this.lines.remove(t.id);
      this.removePilot(d);
    }
  }

  private drawPoint(d: Drawn): void {
    const t = d.track;
    const lost = t.state === 'lost';
    const colour = lost ? LOST_COLOR : LEVEL_COLORS[t.threat.level];
    const bird = t.classification === 'bird';
    d.point.color = cached(colour, lost ? 0.08 : t.state === 'aging' ? 0.55 : 1);
    d.point.outlineColor = cached(t.drill ? DRILL : lost ? LOST_COLOR : '#05080d');
    d.point.outlineWidth = t.drill || lost ? 2.5 : 1.5;
    d.point.pixelSize = bird ? 8 : t.threat.level >= 3 ? 14 : 12;
  }

  private removePilot(d: Drawn): void {
    if (d.pilot) this.pilots.remove(d.pilot);
    if (d.pilotLine) removeSharing(this.pilotLines, d.pilotLine);
    d.pilot = d.pilotLine = null;
  }

  /** The pilot's marker and the dashed line to the drone (a track drawn in full); `moved`: either end moved. */
  private drawPilot(d: Drawn, moved: boolean): void {
    const pilot = d.track.pilot;
    if (!pilot) return this.removePilot(d);
    if (d.pilot && !moved) return;
    const at = Cesium.Cartesian3.fromDegrees(pilot.lon, pilot.lat, 1.5);
    const positions = dedupe([at, d.position]).length === 2 ? [at, d.position] : [at, offsetDown(at, -1)];
    if (d.pilot) {
      d.pilot.position = at;
      d.pilotLine!.positions = positions;
      return;
    }
    const id = d.point.id as Selection;
    d.pilot = this.pilots.add({ id, position: at, image: this.pilotImage, disableDepthTestDistance: ALWAYS, scaleByDistance: nearFar(1000, 1, 30000, 0.5) });
    d.pilotLine = this.pilotLines.add({ id, positions, width: 2, material: this.pilotMaterial });
  }

  /**
   * The label: shown from level 2 up (a swarm member only when selected: its swarm's label speaks for it) and
   * for the selected track; made when first shown, moved only while shown, re-worded only when its text changes.
   */
  private drawLabel(d: Drawn, force: boolean, moved = false): void {
    const show = (d.track.threat.level >= 2 && !d.track.swarmId) || this.detail.selectedId === d.track.id;
    if (!show) {
      if (d.label?.show) d.label.show = false;
      return;
    }
    if (!d.label) {
      d.label = this.labels.add({
        id: d.point.id, position: d.position, text: '', font: `600 13px ${FONT}`, fillColor: cached('#ffffff'), outlineColor: cached('#05080d'), outlineWidth: 3,
        style: Cesium.LabelStyle.FILL_AND_OUTLINE, showBackground: true, backgroundColor: cached('#0b1220', 0.7), backgroundPadding: new Cesium.Cartesian2(5, 3),
        horizontalOrigin: Cesium.HorizontalOrigin.LEFT, verticalOrigin: Cesium.VerticalOrigin.BOTTOM, pixelOffset: new Cesium.Cartesian2(10, -6),
        distanceDisplayCondition: new Cesium.DistanceDisplayCondition(0, 60000), scaleByDistance: nearFar(3000, 1, 60000, 0.75), disableDepthTestDistance: ALWAYS,
      });
      force = true;
    } else if (moved || !d.label.show) d.label.position = d.position;
    const text = this.opts.words.label(d.track, Math.round(this.aglOf(d.track)));
    if (force || text !== d.labelText) {
      d.label.text = text;
      d.labelText = text;
      d.label.fillColor = cached(d.track.state === 'lost' ? '#c5ced8' : '#ffffff');
    }
    d.label.show = true;
  }

  private joinSwarm(id: string, from: string | null, to: string | null): void {
    if (from) {
      const s = this.swarmMembers.get(from);
      s?.delete(id);
      if (s && !s.size) this.swarmMembers.delete(from);
    }
    if (to) {
      let s = this.swarmMembers.get(to);
      if (!s) this.swarmMembers.set(to, (s = new Set()));
      s.add(id);
    }
  }

  private remove(id: string): void {
    const d = this.index.get(id);
    if (!d) return;
    this.points.remove(d.point);
    if (d.label) this.labels.remove(d.label);
    this.lines.remove(id);
    this.removePilot(d);
    this.index.delete(id);
    this.joinSwarm(id, d.track.swarmId, null);
    const s = d.track.swarmId ? this.swarms.get(d.track.swarmId) : undefined;
    s?.members.delete(id);
  }

  /** A swarm's outline (a dashed circle around its members) and one label at its centroid. */
  private drawSwarm(swarmId: string): void {
    const members = [...this.swarmMembers.get(swarmId) ?? []].map((id) => this.index.get(id)!).filter((d) => d && d.track.state !== 'lost');
    let s = this.swarms.get(swarmId);
    if (members.length < 2) {
      if (s) {
        removeSharing(this.overlay, s.outline);
        this.labels.remove(s.label);
        this.swarms.delete(swarmId);
      }
      return;
    }
    const lon = members.reduce((a, d) => a + d.track.position.lon, 0) / members.length;
    const lat = members.reduce((a, d) => a + d.track.position.lat, 0) / members.length;
    const alt = Math.max(...members.map((d) => d.track.position.altM));
    const k = Math.cos((lat * Math.PI) / 180);
    const radius = SWARM_MARGIN_M + Math.max(...members.map((d) => Math.hypot((d.track.position.lon - lon) * 111_320 * k, (d.track.position.lat - lat) * 110_540)));
    const h = Math.max(1, this.opts.heightOf(alt));
    const ring = Array.from({ length: SWARM_SEGMENTS + 1 }, (_, i) => {
      const a = (2 * Math.PI * i) / SWARM_SEGMENTS;
      return Cesium.Cartesian3.fromDegrees(lon + (radius * Math.sin(a)) / (111_320 * k), lat + (radius * Math.cos(a)) / 110_540, h);
    });
    const top = Cesium.Cartesian3.fromDegrees(lon, lat + radius / 110_540, h);
    if (!s) {
      s = {
        members: new Set(), count: -1,
        outline: this.overlay.add({ positions: ring, width: 2.5, material: this.swarmMaterial, show: this.shown }),
        label: this.labels.add({
          position: top, text: '', font: `700 14px ${FONT}`, fillColor: css('#ffffff'), showBackground: true, backgroundColor: css('#b23b3b', 0.88),
          backgroundPadding: new Cesium.Cartesian2(6, 3), verticalOrigin: Cesium.VerticalOrigin.BOTTOM, horizontalOrigin: Cesium.HorizontalOrigin.CENTER,
          pixelOffset: new Cesium.Cartesian2(0, -4), disableDepthTestDistance: ALWAYS,
        }),
      };
      this.swarms.set(swarmId, s);
    } else {
      s.outline.positions = ring;
      s.label.position = top;
    }
    s.members = new Set(members.map((d) => d.track.id));
    if (s.count !== members.length) {
      s.count = members.length;
      s.label.text = this.opts.words.swarm(members.length);
    }
  }

  /** The selected track's ring, gap to its lowest surface, and that surface drawn bright. */
  private drawSelected(): void {
    const d = this.detail.selectedId ? this.index.get(this.detail.selectedId) : undefined;
    this.ring.show = Boolean(d);
    if (d) {
      this.ring.position = d.position;
      this.ring.id = d.point.id;
    }
    const surface = d?.track.threat.lowestSurface ?? null;
    this.drawSurface(surface);
    if (!d || !surface) {
      if (this.gap) {
        this.overlay.remove(this.gap.line);
        this.labels.remove(this.gap.label);
        this.gap = null;
      }
      return;
    }
    const { lon, lat, altM } = d.track.position;
    const penetrating = altM > surface.heightM;
    const at = Cesium.Cartesian3.fromDegrees(lon, lat, Math.max(0.5, this.opts.heightOf(altM)));
    const onSurface = Cesium.Cartesian3.fromDegrees(lon, lat, Math.max(0, this.opts.heightOf(surface.heightM)) + (Math.abs(altM - surface.heightM) < 0.1 ? 0.2 : 0));
    const m = Math.round(Math.abs(altM - surface.heightM));
    const key = `${penetrating}|${m}`;
    const middle = Cesium.Cartesian3.midpoint(at, onSurface, new Cesium.Cartesian3());
    if (!this.gap) {
      const material = Cesium.Material.fromType('Color', { color: css(penetrating ? '#ff4d4f' : '#6fcf97') });
      this.gap = {
        key: '',
        line: this.overlay.add({ positions: [at, onSurface], width: 4, material, show: this.shown }),
        label: this.labels.add({
          position: middle, text: '', font: `700 13px ${FONT}`, fillColor: css('#0b1220'), showBackground: true, backgroundColor: css('#ffffff', 0.92),
          backgroundPadding: new Cesium.Cartesian2(5, 2), horizontalOrigin: Cesium.HorizontalOrigin.RIGHT, pixelOffset: new Cesium.Cartesian2(-10, 0),
          disableDepthTestDistance: ALWAYS,
        }),
      };
    } else {
      this.gap.line.positions = [at, onSurface];
      this.gap.label.position = middle;
    }
    if (this.gap.key !== key) {
      this.gap.key = key;
      this.gap.line.material.uniforms.color = css(penetrating ? '#ff4d4f' : '#6fcf97');
      this.gap.label.text = this.opts.words.gap(m, penetrating);
      this.gap.label.backgroundColor = css(penetrating ? '#ff4d4f' : '#6fcf97', 0.92);
    }
  }

  /** Draws the clearance surface {surface, runway} bright over the OLS layer's translucent one (null: none). */
  private drawSurface(surface: { surface: ClearanceSurfaceName; runway: string | null } | null): void {
    const key = surface ? `${surface.surface}${surface.runway ? ` ${surface.runway}` : ''}` : '';
    if ((this.surface?.key ?? '') === key) return;
    if (this.surface) {
      if (this.surface.primitive) this.viewer.scene.primitives.remove(this.surface.primitive);
      for (const l of this.surface.outlines) removeSharing(this.overlay, l);
      this.surface = null;
    }
    if (!surface) return;
    const features = this.opts.clearance.filter((f) => f.properties.surface === surface.surface && (f.properties.runway ?? null) === surface.runway);
    const colour = css(this.opts.surfaceColor(surface.surface));
    const instances: CesiumModule.GeometryInstance[] = [];
    const outlines: CesiumModule.Polyline[] = [];
    const outlineMaterial = Cesium.Material.fromType('Color', { color: css(HIGHLIGHT) });
    for (const f of features) {
      const polygons = f.geometry.type === 'Polygon' ? [f.geometry.coordinates] : f.geometry.coordinates;
      for (const rings of polygons) {
        const toPositions = (ring: number[][]) => ring.map(([x, y, z]) => Cesium.Cartesian3.fromDegrees(x, y, this.opts.heightOf(z ?? 0) + 0.5));
        instances.push(new Cesium.GeometryInstance({
          geometry: new Cesium.PolygonGeometry({
            polygonHierarchy: new Cesium.PolygonHierarchy(toPositions(rings[0]), rings.slice(1).map((r) => new Cesium.PolygonHierarchy(toPositions(r)))),
            perPositionHeight: true,
          }),
          attributes: { color: Cesium.ColorGeometryInstanceAttribute.fromColor(Cesium.Color.lerp(colour, Cesium.Color.WHITE, 0.25, new Cesium.Color()).withAlpha(0.42)) },
        }));
        outlines.push(this.overlay.add({ positions: dedupe(toPositions(rings[0])), width: 3, material: outlineMaterial, show: this.shown }));
      }
    }
    const primitive = instances.length
      ? this.viewer.scene.primitives.add(new Cesium.Primitive({
        geometryInstances: instances, appearance: new Cesium.PerInstanceColorAppearance({ flat: true, translucent: true }), asynchronous: false, show: this.shown,
      }))
      : null;
    this.surface = { key, primitive, outlines };
  }
}
