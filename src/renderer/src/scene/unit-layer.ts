// The units (警力) on the map: one billboard each (a few dozen units: one BillboardCollection, updated in place).
// The shape says the kind (patrol a circle, post a square, station a house, 135 quick-response point a diamond),
// the glyph inside the force (特 交 派 武 安 群), the colour the status (available green, dispatched amber, on
// scene blue, off duty grey); a unit whose positions stopped coming is drawn dimmed. Call signs are labels
// beside the icons. Moving units leave a short trail of their last positions; a unit on an open order has a
// dashed line to its order's target. followUnitMap keeps the layer in step with the units-map store.
import { effectScope, watch } from 'vue';
import type { DispatchOrder, Unit, UnitForce, UnitKind, UnitStatus } from '../../../shared/response.ts';
import { useSessionStore } from '../stores/session.ts';
import { useUnitMapStore, type UnitMapChange } from '../stores/units-map.ts';
import { Cesium, type CesiumModule } from './cesium.ts';

export const UNIT_STATUS_COLORS: Record<UnitStatus, string> = {
  available: '#3ecf8e',
  dispatched: '#f5a524',
  'on-scene': '#38b6ff',
  'off-duty': '#9aa5b1',
};
/** One glyph per force, readable at icon size (the same in both UI languages: they are the forces' own marks). */
export const FORCE_GLYPHS: Record<UnitForce, string> = {
  swat: '特', traffic: '交', station: '派', 'armed-police': '武', 'tenant-security': '安', volunteer: '群',
};
const FONT = '"Noto Sans CJK SC", "Source Han Sans SC", "Microsoft YaHei", sans-serif';
const ICON_PX = 28;
const ALWAYS = Number.POSITIVE_INFINITY;
/** Units stand on the ground: drawn a little above it, over the roofs' depth (never hidden by a building). */
const GROUND_M = 3;
/** A trail keeps the positions of the last two minutes, at most this many. */
const TRAIL_MS = 120_000;
const TRAIL_POINTS = 24;
/** A fix closer than this to the last one is not a move (GPS jitter of a standing post). */
const MOVE_M = 3;
const STALE_ALPHA = 0.4;

const css = (c: string, alpha = 1) => Cesium.Color.fromCssColorString(c).withAlpha(alpha);

/** The icon of a kind, force and status, drawn once and handed over as a data URL (the atlas keeps one copy each). */
function unitIcon(kind: UnitKind, force: UnitForce, status: UnitStatus): string {
  const c = document.createElement('canvas');
  c.width = c.height = ICON_PX;
  const g = c.getContext('2d')!;
  const m = ICON_PX / 2;
  g.fillStyle = UNIT_STATUS_COLORS[status];
  g.strokeStyle = '#05080d';
  g.lineWidth = 2;
  g.lineJoin = 'round';
  g.beginPath();
  switch (kind) {
    case 'patrol':
      g.arc(m, m, m - 2, 0, 2 * Math.PI);
      break;
    case 'post':
      g.rect(2.5, 2.5, ICON_PX - 5, ICON_PX - 5);
      break;
    case 'station':
      g.moveTo(m, 1.5);
      g.lineTo(ICON_PX - 2, 10);
      g.lineTo(ICON_PX - 2, ICON_PX - 2);
      g.lineTo(2, ICON_PX - 2);
      g.lineTo(2, 10);
      g.closePath();
      break;
    case 'quick-response':
      g.moveTo(m, 1);
      g.lineTo(ICON_PX - 1, m);
      g.lineTo(m, ICON_PX - 1);
      g.lineTo(1, m);
      g.closePath();
      break;
  }
  g.fill();
  g.stroke();
  g.fillStyle = '#05080d';
  g.font = `700 ${kind === 'quick-response' ? 12 : 14}px ${FONT}`;
  g.textAlign = 'center';
  g.textBaseline = 'middle';
  g.fillText(FORCE_GLYPHS[force], m, kind === 'station' ? m + 2 : m + 1);
  return c.toDataURL();
}

interface Drawn {
  unit: Unit;
  billboard: CesiumModule.Billboard;
  label: CesiumModule.Label;
  trail: Array<{ at: number; position: CesiumModule.Cartesian3 }>;
  trailLine: CesiumModule.Polyline | null;
  key: string;
}

export interface UnitDrawState {
  shown: boolean;
  status: UnitStatus;
  stale: boolean;
  label: string;
  alpha: number;
  trailPoints: number;
  /** The target its dashed order line goes to, if it is on an open order. */
  lineTo: { lon: number; lat: number } | null;
}

export class UnitLayer {
  private readonly billboards: CesiumModule.BillboardCollection;
  private readonly labels: CesiumModule.LabelCollection;
  private readonly lines: CesiumModule.PolylineCollection;
  private readonly index = new Map<string, Drawn>();
  private readonly icons = new Map<string, string>();
  private readonly orderLines = new Map<string, { line: CesiumModule.Polyline; target: { lon: number; lat: number } }>();
  private orders: DispatchOrder[] = [];
  private shown = true;

  constructor(private readonly viewer: CesiumModule.Viewer) {
    const primitives = viewer.scene.primitives;
    this.lines = primitives.add(new Cesium.PolylineCollection());
    this.billboards = primitives.add(new Cesium.BillboardCollection({ scene: viewer.scene }));
    this.labels = primitives.add(new Cesium.LabelCollection());
    // Read-only diagnostics for the end-to-end tests: what the layer draws.
    (window as unknown as { __skyfenceUnits?: unknown }).__skyfenceUnits = {
      count: () => this.index.size,
      state: (id: string) => this.state(id),
    };
  }

  setVisible(on: boolean): void {
    this.shown = on;
    this.billboards.show = on;
    this.labels.show = on;
    this.lines.show = on;
    this.viewer.scene.requestRender();
  }

  /** Units that changed (or, on `reset`, every unit: those not in it are removed). */
  apply(change: UnitMapChange): void {
    if (change.reset) {
      const keep = new Set(change.units.map((u) => u.id));
      for (const id of [...this.index.keys()]) if (!keep.has(id)) this.remove(id);
    }
    for (const u of change.units) this.draw(u);
    this.drawOrderLines();
    this.viewer.scene.requestRender();
  }

  /** The open orders: each gets a dashed line from its unit to its target. */
  setOrders(orders: Iterable<DispatchOrder>): void {
    this.orders = [...orders];
    this.drawOrderLines();
    this.viewer.scene.requestRender();
  }

  count(): number {
    return this.index.size;
  }

  state(id: string): UnitDrawState | null {
    const d = this.index.get(id);
    if (!d) return null;
    return {
      shown: this.shown && d.billboard.show, status: d.unit.status, stale: d.unit.stale, label: d.label.text, alpha: d.billboard.color.alpha,
      trailPoints: d.trail.length, lineTo: this.orderLines.get(id)?.target ?? null,
    };
  }

  private icon(u: Unit): string {
    const key = `${u.kind}|${u.force}|${u.status}`;
    let url = this.icons.get(key);
    if (!url) {
      url = unitIcon(u.kind, u.force, u.status);
      this.icons.set(key, url);
    }
    return url;
  }

  private draw(u: Unit): void {
    const known = this.index.get(u.id);
    if (!u.position) {
      if (known) this.remove(u.id);
      return;
    }
    const position = Cesium.Cartesian3.fromDegrees(u.position.lon, u.position.lat, GROUND_M);
    const alpha = u.stale ? STALE_ALPHA : 1;
    const key = `${u.kind}|${u.force}|${u.status}|${u.stale}|${u.callSign}`;
    if (!known) {
      const billboard = this.billboards.add({
        position, image: this.icon(u), color: css('#ffffff', alpha), disableDepthTestDistance: ALWAYS,
        scaleByDistance: new Cesium.NearFarScalar(2000, 1, 30000, 0.55),
      });
      const label = this.labels.add({
        position, text: u.callSign, font: `600 13px ${FONT}`, fillColor: css('#ffffff', alpha), showBackground: true,
        backgroundColor: css('#0b1220', 0.78 * alpha), backgroundPadding: new Cesium.Cartesian2(5, 2),
        horizontalOrigin: Cesium.HorizontalOrigin.LEFT, verticalOrigin: Cesium.VerticalOrigin.CENTER, pixelOffset: new Cesium.Cartesian2(17, 0),
        distanceDisplayCondition: new Cesium.DistanceDisplayCondition(0, 9000), disableDepthTestDistance: ALWAYS,
      });
      const drawn: Drawn = { unit: u, billboard, label, trail: [], trailLine: null, key };
      this.index.set(u.id, drawn);
      this.extendTrail(drawn, position, u.positionAt ?? 0);
      return;
    }
    known.billboard.position = position;
    known.label.position = position;
    if (known.key !== key) {
      known.billboard.image = this.icon(u);
      known.billboard.color = css('#ffffff', alpha);
      known.label.text = u.callSign;
      known.label.fillColor = css('#ffffff', alpha);
      known.label.backgroundColor = css('#0b1220', 0.78 * alpha);
      known.key = key;
    }
    known.unit = u;
    this.extendTrail(known, position, u.positionAt ?? 0);
  }

  /** Adds a fix to a unit's trail (a real move only) and drops what is older than the trail's span. */
  private extendTrail(d: Drawn, position: CesiumModule.Cartesian3, at: number): void {
    const last = d.trail.at(-1);
    if (!last || Cesium.Cartesian3.distance(last.position, position) >= MOVE_M) d.trail.push({ at, position });
    while (d.trail.length > TRAIL_POINTS || (d.trail.length > 1 && at - d.trail[0].at > TRAIL_MS)) d.trail.shift();
    if (d.trail.length < 2) {
      if (d.trailLine) d.trailLine.show = false;
      return;
    }
    const positions = d.trail.map((p) => p.position);
    const color = css(UNIT_STATUS_COLORS[d.unit.status], d.unit.stale ? 0.3 : 0.7);
    if (d.trailLine) {
      d.trailLine.positions = positions;
      d.trailLine.material = Cesium.Material.fromType('Color', { color });
      d.trailLine.show = true;
    } else {
      d.trailLine = this.lines.add({ positions, width: 2.5, material: Cesium.Material.fromType('Color', { color }) });
    }
  }

  private drawOrderLines(): void {
    const wanted = new Map<string, { from: CesiumModule.Cartesian3; target: { lon: number; lat: number } }>();
    for (const o of this.orders) {
      const d = this.index.get(o.unitId);
      if (!o.target || !d?.unit.position) continue;
      wanted.set(o.unitId, { from: d.billboard.position, target: { lon: o.target.lon, lat: o.target.lat } });
    }
    for (const [unitId, known] of this.orderLines) {
      if (!wanted.has(unitId)) {
        this.lines.remove(known.line);
        this.orderLines.delete(unitId);
      }
    }
    for (const [unitId, w] of wanted) {
      const positions = [w.from, Cesium.Cartesian3.fromDegrees(w.target.lon, w.target.lat, GROUND_M)];
      const known = this.orderLines.get(unitId);
      if (known) {
        known.line.positions = positions;
        known.target = w.target;
      } else {
        const line = this.lines.add({
          positions, width: 3, material: Cesium.Material.fromType('PolylineDash', { color: css(UNIT_STATUS_COLORS.dispatched, 0.95), dashLength: 14 }),
        });
        this.orderLines.set(unitId, { line, target: w.target });
      }
    }
  }

  private remove(id: string): void {
    const d = this.index.get(id);
    if (!d) return;
    this.billboards.remove(d.billboard);
    this.labels.remove(d.label);
    if (d.trailLine) this.lines.remove(d.trailLine);
    this.index.delete(id);
  }
}

/** Keeps a unit layer in step with the units-map store (and reads the units again after a lost connection). */
export function followUnitMap(layer: UnitLayer): () => void {
  const store = useUnitMapStore();
  const session = useSessionStore();
  const offUnits = store.onUnits((change) => layer.apply(change));
  const offOrders = store.onOrders(() => layer.setOrders(store.orders.values()));
  layer.apply({ units: [...store.units.values()], reset: true });
  layer.setOrders(store.orders.values());
  void store.load();
  const scope = effectScope();
  scope.run(() => watch(() => session.connected, (up) => up && void store.load()));
  return () => {
    offUnits();
    offOrders();
    scope.stop();
  };
}
